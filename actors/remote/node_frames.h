// Node frames: many tasks (proxy -> node) or many reports (node -> proxy) in
// the bytes of one CAF message (node_protocol.h). One BASP message per task
// and per report made the network, not the tasks, the bound on a node's
// throughput; a frame carries whatever the window or the node's slots
// produced since the last one.
//
//   FrameBuilder frames(transport.frame_bytes());
//   frames.AddOffer(id, "plot", arguments);
//   for (std::vector<char>& frame : frames.Take()) send(node, frame);
//   ...
//   absl::StatusOr<std::vector<TaskOffer>> offers = DecodeOffers(frame);
//   absl::StatusOr<std::vector<NodeReportView>> reports =
//       DecodeReports(frame);
//   if (!offers.ok()) { /* the peer broke the protocol: disconnect it */ }
//
// The format: a sequence of entries, each a kind byte and its fields; ids and
// lengths are LEB128 varints, bytes and strings a length and the bytes. A
// decoder trusts nothing: a truncated entry, an unknown kind, a length past
// the end or an oversized varint is an error (kInvalidArgument), and nothing
// is allocated beyond the frame's own size.
//
// Thread-compatible: plain values and functions.
#ifndef TASKQUEUE_ACTORS_REMOTE_NODE_FRAMES_H_
#define TASKQUEUE_ACTORS_REMOTE_NODE_FRAMES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace taskqueue::internal {

// A task the proxy sends its node.
struct TaskOffer {
  uint64_t id = 0;
  std::string name;
  std::vector<char> arguments;

  bool operator==(const TaskOffer&) const = default;
};

// What a node says of a task it was offered, in the order it happened.
struct NodeReport {
  enum class Kind : uint8_t {
    kStarted = 1,  // A slot began it. Always before its answer.
    kResult = 2,   // It returned `result` (our wire format).
    kError = 3,    // It threw `type`: `message` (or was refused there).
  };
  Kind kind = Kind::kStarted;
  uint64_t id = 0;
  std::vector<char> result;
  std::string type;
  std::string message;

  bool operator==(const NodeReport&) const = default;
};

// A report as read from a frame, without copies: its bytes are the frame's,
// valid while the frame is.
struct NodeReportView {
  NodeReport::Kind kind = NodeReport::Kind::kStarted;
  uint64_t id = 0;
  std::string_view result;
  std::string_view type;
  std::string_view message;

  bool operator==(const NodeReportView&) const = default;
};

// Packs entries into frames of at most `max_bytes` each; an entry larger
// than that on its own gets a frame of its own (the caller has checked that
// it fits a message). Not thread-safe.
class FrameBuilder {
 public:
  explicit FrameBuilder(size_t max_bytes) : max_bytes_(max_bytes) {}

  void AddOffer(uint64_t id, std::string_view name,
                const std::vector<char>& arguments);
  void AddReport(const NodeReport& report);

  // The frames built so far, in order; the builder is empty after.
  std::vector<std::vector<char>> Take();

 private:
  // The frame an entry of `bytes` goes into.
  std::vector<char>& FrameFor(size_t bytes);

  const size_t max_bytes_;
  std::vector<std::vector<char>> frames_;
};

absl::StatusOr<std::vector<TaskOffer>> DecodeOffers(
    const std::vector<char>& frame);
// The views point into `frame`, which must outlive them.
absl::StatusOr<std::vector<NodeReportView>> DecodeReports(
    const std::vector<char>& frame);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_NODE_FRAMES_H_
