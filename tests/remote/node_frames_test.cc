// Node frames: what goes in comes out, in order, split where it must be; and
// bytes from a peer that breaks the protocol are an error, never a crash or
// an allocation larger than the frame.
#include "actors/remote/node_frames.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

std::vector<char> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<TaskOffer> SomeOffers() {
  std::vector<char> binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  return {
      {.id = 0, .name = "a", .arguments = {}},
      {.id = 127, .name = "plot", .arguments = Bytes("xy")},
      {.id = 128, .name = "", .arguments = binary},
      {.id = UINT64_MAX, .name = std::string(300, 'n'), .arguments = binary},
  };
}

std::vector<NodeReport> SomeReports() {
  using Kind = NodeReport::Kind;
  return {
      {.kind = Kind::kStarted, .id = 1},
      {.kind = Kind::kResult, .id = 1, .result = Bytes("42")},
      {.kind = Kind::kStarted, .id = UINT64_MAX},
      {.kind = Kind::kError,
       .id = UINT64_MAX,
       .type = "std::invalid_argument",
       .message = "no"},
      {.kind = Kind::kResult, .id = 9, .result = {}},
  };
}

// What a decoded frame says, as the reports that were put in.
std::vector<NodeReport> Owned(const std::vector<NodeReportView>& views) {
  std::vector<NodeReport> reports;
  for (const NodeReportView& v : views) {
    reports.push_back({.kind = v.kind,
                       .id = v.id,
                       .result = {v.result.begin(), v.result.end()},
                       .type = std::string(v.type),
                       .message = std::string(v.message)});
  }
  return reports;
}

std::vector<char> OneOfferFrame(const std::vector<TaskOffer>& offers) {
  FrameBuilder frames(1 << 20);
  for (const TaskOffer& o : offers) frames.AddOffer(o.id, o.name, o.arguments);
  std::vector<std::vector<char>> taken = frames.Take();
  EXPECT_EQ(taken.size(), 1u);
  return taken.at(0);
}

std::vector<char> OneReportFrame(const std::vector<NodeReport>& reports) {
  FrameBuilder frames(1 << 20);
  for (const NodeReport& r : reports) frames.AddReport(r);
  std::vector<std::vector<char>> taken = frames.Take();
  EXPECT_EQ(taken.size(), 1u);
  return taken.at(0);
}

TEST(NodeFrames, OffersRoundTripInOrder) {
  absl::StatusOr<std::vector<TaskOffer>> decoded =
      DecodeOffers(OneOfferFrame(SomeOffers()));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(*decoded, ElementsAreArray(SomeOffers()));
}

TEST(NodeFrames, ReportsRoundTripInOrder) {
  const std::vector<char> frame = OneReportFrame(SomeReports());
  absl::StatusOr<std::vector<NodeReportView>> decoded = DecodeReports(frame);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(Owned(*decoded), ElementsAreArray(SomeReports()));
  // Views into the frame, not copies.
  const NodeReportView& result = (*decoded)[1];
  EXPECT_GE(result.result.data(), frame.data());
  EXPECT_LE(result.result.data() + result.result.size(),
            frame.data() + frame.size());
}

TEST(NodeFrames, AnEmptyFrameHoldsNothing) {
  FrameBuilder frames(100);
  EXPECT_TRUE(frames.Take().empty());
  EXPECT_TRUE(DecodeOffers({})->empty());
  EXPECT_TRUE(DecodeReports({})->empty());
}

TEST(NodeFrames, SplitsAtTheBoundAndKeepsTheOrder) {
  constexpr size_t kMax = 1000;
  FrameBuilder frames(kMax);
  std::vector<TaskOffer> offers;
  for (uint64_t id = 0; id < 100; ++id) {
    // 100 bytes of arguments each, and one far larger than a frame.
    size_t size = id == 50 ? 5000 : 100;
    offers.push_back({.id = id,
                      .name = "t",
                      .arguments = std::vector<char>(size, 'a' + id % 26)});
    frames.AddOffer(id, offers.back().name, offers.back().arguments);
  }
  std::vector<std::vector<char>> taken = frames.Take();
  // Taken, they are the caller's: the builder starts afresh.
  EXPECT_TRUE(frames.Take().empty());
  EXPECT_GT(taken.size(), 10u);
  std::vector<TaskOffer> all;
  for (const std::vector<char>& frame : taken) {
    absl::StatusOr<std::vector<TaskOffer>> part = DecodeOffers(frame);
    ASSERT_TRUE(part.ok()) << part.status();
    ASSERT_FALSE(part->empty());
    // Over the bound only when it holds the one large entry, alone.
    if (frame.size() > kMax) {
      ASSERT_EQ(part->size(), 1u);
      EXPECT_EQ(part->front().id, 50u);
    }
    all.insert(all.end(), part->begin(), part->end());
  }
  EXPECT_THAT(all, ElementsAreArray(offers));
}

TEST(NodeFrames, OffersAndReportsAreNotTakenForEachOther) {
  absl::StatusOr<std::vector<NodeReportView>> reports =
      DecodeReports(OneOfferFrame(SomeOffers()));
  EXPECT_FALSE(reports.ok());
  EXPECT_THAT(reports.status().message(), HasSubstr("reports were expected"));
  absl::StatusOr<std::vector<TaskOffer>> offers =
      DecodeOffers(OneReportFrame(SomeReports()));
  EXPECT_FALSE(offers.ok());
  EXPECT_THAT(offers.status().message(), HasSubstr("tasks were expected"));
}

TEST(NodeFrames, ATruncatedFrameFailsOrYieldsWholeEntriesOnly) {
  const std::vector<char> frame = OneReportFrame(SomeReports());
  const std::vector<NodeReport> all = SomeReports();
  int failed = 0;
  for (size_t cut = 0; cut < frame.size(); ++cut) {
    std::vector<char> prefix(frame.begin(), frame.begin() + cut);
    absl::StatusOr<std::vector<NodeReportView>> decoded = DecodeReports(prefix);
    if (!decoded.ok()) {
      ++failed;
      continue;
    }
    // Cut between entries: the ones before the cut, exactly.
    std::vector<NodeReport> owned = Owned(*decoded);
    ASSERT_LE(owned.size(), all.size());
    for (size_t i = 0; i < owned.size(); ++i) EXPECT_EQ(owned[i], all[i]);
  }
  // Every cut but the few between entries breaks one.
  EXPECT_GT(failed, static_cast<int>(frame.size()) - 6);
}

TEST(NodeFrames, ALengthPastTheEndIsRefusedWithoutAllocatingIt) {
  // A result claiming 2^62 bytes in a frame of a dozen.
  std::vector<char> frame = {static_cast<char>(NodeReport::Kind::kResult), 7};
  for (int i = 0; i < 8; ++i) frame.push_back(static_cast<char>(0x80));
  frame.push_back(0x40);
  absl::StatusOr<std::vector<NodeReportView>> decoded = DecodeReports(frame);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(decoded.status().message(), HasSubstr("a length of"));
}

TEST(NodeFrames, AnEndlessVarintIsRefused) {
  std::vector<char> frame = {static_cast<char>(NodeReport::Kind::kStarted)};
  for (int i = 0; i < 11; ++i) frame.push_back(static_cast<char>(0xff));
  absl::StatusOr<std::vector<NodeReportView>> decoded = DecodeReports(frame);
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.status().message(), HasSubstr("varint"));
}

TEST(NodeFrames, AnUnknownKindIsRefused) {
  for (char kind : {char{0}, char{4}, char{0x7f}, static_cast<char>(0xff)}) {
    std::vector<char> frame = {kind, 1};
    EXPECT_FALSE(DecodeReports(frame).ok()) << int{kind};
    EXPECT_FALSE(DecodeOffers(frame).ok()) << int{kind};
  }
}

TEST(NodeFrames, RandomBytesNeverCrashTheDecoders) {
  std::mt19937 rng(7);
  int decoded_reports = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<char> frame(rng() % 64);
    for (char& c : frame) c = static_cast<char>(rng());
    // Half of them start as a valid entry would, to get past the first byte.
    if (!frame.empty() && round % 2 == 0) frame[0] = 1 + rng() % 3;
    absl::StatusOr<std::vector<NodeReportView>> reports = DecodeReports(frame);
    if (reports.ok()) ++decoded_reports;
    absl::StatusOr<std::vector<TaskOffer>> offers = DecodeOffers(frame);
    if (offers.ok()) {
      size_t bytes = 0;
      for (const TaskOffer& o : *offers) bytes += o.arguments.size();
      EXPECT_LE(bytes, frame.size());
    }
  }
  // Some random frames are valid ones (the empty frame at least).
  EXPECT_GT(decoded_reports, 0);
}

}  // namespace
}  // namespace taskqueue::internal
