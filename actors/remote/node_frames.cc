#include "actors/remote/node_frames.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace taskqueue::internal {
namespace {

// An offer's kind byte: offers and reports never share a frame, but a
// report frame sent where offers are expected (or the reverse) must not
// decode.
constexpr uint8_t kOfferKind = 0x10;

constexpr size_t kMaxVarintBytes = 10;

size_t VarintBytes(uint64_t x) {
  size_t n = 1;
  while (x >= 0x80) {
    x >>= 7;
    ++n;
  }
  return n;
}

void PutVarint(uint64_t x, std::vector<char>& out) {
  while (x >= 0x80) {
    out.push_back(static_cast<char>((x & 0x7f) | 0x80));
    x >>= 7;
  }
  out.push_back(static_cast<char>(x));
}

template <class Bytes>
void PutBytes(const Bytes& bytes, std::vector<char>& out) {
  PutVarint(bytes.size(), out);
  out.insert(out.end(), bytes.begin(), bytes.end());
}

template <class Bytes>
size_t BytesSize(const Bytes& bytes) {
  return VarintBytes(bytes.size()) + bytes.size();
}

// Reads a frame front to back; every read checks what is left.
class FrameReader {
 public:
  explicit FrameReader(const std::vector<char>& frame)
      : next_(frame.data()), end_(frame.data() + frame.size()) {}

  bool at_end() const { return next_ == end_; }

  absl::Status Byte(uint8_t& x) {
    if (next_ == end_) return Truncated();
    x = static_cast<uint8_t>(*next_++);
    return absl::OkStatus();
  }

  absl::Status Varint(uint64_t& x) {
    x = 0;
    for (size_t i = 0; i < kMaxVarintBytes; ++i) {
      if (next_ == end_) return Truncated();
      const auto byte = static_cast<uint8_t>(*next_++);
      x |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) return absl::OkStatus();
    }
    return absl::InvalidArgumentError("node frame: a varint of over 10 bytes");
  }

  // A length and that many bytes, as a view into the frame.
  absl::Status Sized(std::string_view& out) {
    uint64_t size = 0;
    if (absl::Status s = Varint(size); !s.ok()) return s;
    if (size > static_cast<uint64_t>(end_ - next_)) {
      return absl::InvalidArgumentError(
          absl::StrCat("node frame: a length of ", size, " with ", end_ - next_,
                       " bytes left"));
    }
    out = std::string_view(next_, size);
    next_ += size;
    return absl::OkStatus();
  }

  template <class Bytes>
  absl::Status Sized(Bytes& out) {
    std::string_view view;
    if (absl::Status s = Sized(view); !s.ok()) return s;
    out.assign(view.begin(), view.end());
    return absl::OkStatus();
  }

 private:
  static absl::Status Truncated() {
    return absl::InvalidArgumentError("node frame: truncated entry");
  }

  const char* next_;
  const char* const end_;
};

}  // namespace

void FrameBuilder::AddOffer(uint64_t id, std::string_view name,
                            const std::vector<char>& arguments) {
  std::vector<char>& frame =
      FrameFor(1 + VarintBytes(id) + BytesSize(name) + BytesSize(arguments));
  frame.push_back(static_cast<char>(kOfferKind));
  PutVarint(id, frame);
  PutBytes(name, frame);
  PutBytes(arguments, frame);
}

void FrameBuilder::AddReport(const NodeReport& report) {
  size_t bytes = 1 + VarintBytes(report.id);
  if (report.kind == NodeReport::Kind::kResult) {
    bytes += BytesSize(report.result);
  } else if (report.kind == NodeReport::Kind::kError) {
    bytes += BytesSize(report.type) + BytesSize(report.message);
  }
  std::vector<char>& frame = FrameFor(bytes);
  frame.push_back(static_cast<char>(report.kind));
  PutVarint(report.id, frame);
  if (report.kind == NodeReport::Kind::kResult) {
    PutBytes(report.result, frame);
  } else if (report.kind == NodeReport::Kind::kError) {
    PutBytes(report.type, frame);
    PutBytes(report.message, frame);
  }
}

std::vector<char>& FrameBuilder::FrameFor(size_t bytes) {
  if (frames_.empty() || frames_.back().size() + bytes > max_bytes_) {
    frames_.emplace_back().reserve(bytes < max_bytes_ ? bytes : max_bytes_);
  }
  return frames_.back();
}

std::vector<std::vector<char>> FrameBuilder::Take() {
  return std::exchange(frames_, {});
}

absl::StatusOr<std::vector<TaskOffer>> DecodeOffers(
    const std::vector<char>& frame) {
  FrameReader in(frame);
  std::vector<TaskOffer> offers;
  while (!in.at_end()) {
    uint8_t kind = 0;
    if (absl::Status s = in.Byte(kind); !s.ok()) return s;
    if (kind != kOfferKind) {
      return absl::InvalidArgumentError(absl::StrCat(
          "node frame: an entry of kind ", kind, " where tasks were expected"));
    }
    TaskOffer& offer = offers.emplace_back();
    if (absl::Status s = in.Varint(offer.id); !s.ok()) return s;
    if (absl::Status s = in.Sized(offer.name); !s.ok()) return s;
    if (absl::Status s = in.Sized(offer.arguments); !s.ok()) return s;
  }
  return offers;
}

absl::StatusOr<std::vector<NodeReportView>> DecodeReports(
    const std::vector<char>& frame) {
  FrameReader in(frame);
  std::vector<NodeReportView> reports;
  while (!in.at_end()) {
    uint8_t kind = 0;
    if (absl::Status s = in.Byte(kind); !s.ok()) return s;
    if (kind < static_cast<uint8_t>(NodeReport::Kind::kStarted) ||
        kind > static_cast<uint8_t>(NodeReport::Kind::kError)) {
      return absl::InvalidArgumentError(
          absl::StrCat("node frame: an entry of kind ", kind,
                       " where reports were expected"));
    }
    NodeReportView& report = reports.emplace_back();
    report.kind = static_cast<NodeReport::Kind>(kind);
    if (absl::Status s = in.Varint(report.id); !s.ok()) return s;
    if (report.kind == NodeReport::Kind::kResult) {
      if (absl::Status s = in.Sized(report.result); !s.ok()) return s;
    } else if (report.kind == NodeReport::Kind::kError) {
      if (absl::Status s = in.Sized(report.type); !s.ok()) return s;
      if (absl::Status s = in.Sized(report.message); !s.ok()) return s;
    }
  }
  return reports;
}

}  // namespace taskqueue::internal
