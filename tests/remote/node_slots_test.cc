// NodeSlots: every task offered runs once, on some slot, reported started
// before it is answered; the node actor hears once per pile of reports;
// tasks not started can be taken back; Stop waits for the running ones.
#include "actors/remote/node_slots.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"

namespace taskqueue::internal {
namespace {

using Kind = NodeReport::Kind;

int64_t Twice(int64_t x) { return 2 * x; }
int32_t Refuse(std::string why) { throw std::invalid_argument(why); }
// Blocks until the test lets it go.
absl::Notification* gate = nullptr;
int32_t WaitForGate(int32_t x) {
  gate->WaitForNotification();
  return x;
}

constexpr NamedTask<&Twice> kTwice{"slots.twice"};
constexpr NamedTask<&Refuse> kRefuse{"slots.refuse"};
constexpr NamedTask<&WaitForGate> kWait{"slots.wait"};

std::shared_ptr<const TaskRegistry> Registry() {
  auto registry = std::make_shared<TaskRegistry>();
  registry->Add(kTwice);
  registry->Add(kRefuse);
  registry->Add(kWait);
  return registry;
}

TaskOffer Offer(uint64_t id, std::string name, std::vector<char> arguments) {
  return {.id = id, .name = std::move(name), .arguments = std::move(arguments)};
}

// Collects what the slots report, as the node actor would: on each call of
// on_reports, and at the end.
class Collector {
 public:
  void Called() {
    calls_.fetch_add(1);
    absl::MutexLock lock(&mu_);
    called_ = true;
  }
  // Waits until `n` reports are in (10 s at most) and returns all of them.
  std::vector<SlotReport> WaitFor(NodeSlots& slots, size_t n) {
    auto until = absl::Now() + absl::Seconds(10);
    while (reports_.size() < n && absl::Now() < until) {
      {
        absl::MutexLock lock(&mu_);
        mu_.AwaitWithDeadline(absl::Condition(&called_), until);
        called_ = false;
      }
      for (SlotReport& r : slots.TakeReports()) reports_.push_back(r);
    }
    return reports_;
  }
  int calls() const { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
  absl::Mutex mu_;
  bool called_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<SlotReport> reports_;
};

TEST(NodeSlots, EveryTaskRunsOnceStartedBeforeItsAnswer) {
  Collector collector;
  NodeSlots slots(4, Registry(), [&] { collector.Called(); });
  constexpr int kTasks = 10000;
  for (int batch = 0; batch < 100; ++batch) {
    std::vector<TaskOffer> offers;
    for (int i = 0; i < kTasks / 100; ++i) {
      int64_t id = batch * (kTasks / 100) + i;
      offers.push_back(Offer(id, "slots.twice", Encode(id)));
    }
    slots.Offer(/*session=*/3, std::move(offers));
  }
  std::vector<SlotReport> reports = collector.WaitFor(slots, 2 * kTasks);
  ASSERT_EQ(reports.size(), 2u * kTasks);
  std::map<uint64_t, int> started, answered;
  for (const SlotReport& r : reports) {
    EXPECT_EQ(r.session, 3u);
    if (r.report.kind == Kind::kStarted) {
      EXPECT_EQ(answered[r.report.id], 0) << "answered before started";
      ++started[r.report.id];
      continue;
    }
    ASSERT_EQ(r.report.kind, Kind::kResult);
    ++answered[r.report.id];
    int64_t result = 0;
    Decode(std::string_view(r.report.result.data(), r.report.result.size()),
           result);
    EXPECT_EQ(result, 2 * static_cast<int64_t>(r.report.id));
  }
  ASSERT_EQ(started.size(), static_cast<size_t>(kTasks));
  ASSERT_EQ(answered.size(), static_cast<size_t>(kTasks));
  for (const auto& [id, n] : started) EXPECT_EQ(n, 1) << id;
  for (const auto& [id, n] : answered) EXPECT_EQ(n, 1) << id;
  // Told of each pile once: never more calls than reports.
  EXPECT_GE(collector.calls(), 1);
  EXPECT_LE(collector.calls(), 2 * kTasks);
  EXPECT_TRUE(slots.Idle());
}

TEST(NodeSlots, WhatATaskThrowsIsItsAnswer) {
  Collector collector;
  NodeSlots slots(1, Registry(), [&] { collector.Called(); });
  slots.Offer(1, {Offer(1, "slots.refuse", Encode(std::string("nope"))),
                  Offer(2, "slots.unknown", {}),
                  Offer(3, "slots.twice", Encode(std::string("not an int")))});
  std::vector<SlotReport> reports = collector.WaitFor(slots, 6);
  ASSERT_EQ(reports.size(), 6u);
  EXPECT_EQ(reports[1].report.kind, Kind::kError);
  EXPECT_EQ(reports[1].report.type, "std::invalid_argument");
  EXPECT_EQ(reports[1].report.message, "nope");
  EXPECT_EQ(reports[3].report.kind, Kind::kError);
  EXPECT_EQ(reports[3].report.type, "taskqueue::UnknownTaskError");
  EXPECT_EQ(reports[5].report.kind, Kind::kError);
  EXPECT_EQ(reports[5].report.type, "taskqueue::WireFormatError");
}

TEST(NodeSlots, TasksNotStartedAreDroppedAndStopWaitsForTheRunningOne) {
  absl::Notification release;
  gate = &release;
  Collector collector;
  auto slots =
      std::make_unique<NodeSlots>(1, Registry(), [&] { collector.Called(); });
  std::vector<TaskOffer> offers;
  for (uint64_t id = 1; id <= 5; ++id) {
    offers.push_back(Offer(id, "slots.wait", Encode(int32_t{7})));
  }
  slots->Offer(1, std::move(offers));
  // The first one starts and blocks the only slot.
  std::vector<SlotReport> reports = collector.WaitFor(*slots, 1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].report.kind, Kind::kStarted);
  EXPECT_EQ(reports[0].report.id, 1u);
  EXPECT_EQ(slots->DropOffered(), 4u);
  EXPECT_FALSE(slots->Idle());

  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    slots->Stop();
    stopped = true;
  });
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE(stopped.load()) << "Stop returned with a task running";
  release.Notify();
  stopper.join();
  EXPECT_TRUE(stopped.load());
  // Its answer is there to take, and nothing after it ran.
  std::vector<SlotReport> rest = slots->TakeReports();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].report.kind, Kind::kResult);
  EXPECT_EQ(rest[0].report.id, 1u);
  slots->Offer(1, {Offer(9, "slots.twice", Encode(int64_t{1}))});
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_TRUE(slots->TakeReports().empty());
  slots.reset();  // A second Stop, from the destructor.
  gate = nullptr;
}

TEST(NodeSlots, EachReportCarriesItsSession) {
  Collector collector;
  NodeSlots slots(2, Registry(), [&] { collector.Called(); });
  slots.Offer(1, {Offer(1, "slots.twice", Encode(int64_t{1}))});
  slots.Offer(2, {Offer(2, "slots.twice", Encode(int64_t{2}))});
  std::vector<SlotReport> reports = collector.WaitFor(slots, 4);
  ASSERT_EQ(reports.size(), 4u);
  for (const SlotReport& r : reports) EXPECT_EQ(r.session, r.report.id);
}

}  // namespace
}  // namespace taskqueue::internal
