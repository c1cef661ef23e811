// Every task-control option at once, from several producer threads, with a
// canceller and a thread pausing, resuming and clearing the queue, at 1, 2
// and 4 workers on a bounded queue (kBlock and kDropOldest): every task ends
// in exactly one of completed, failed, cancelled, dropped, coalesced and
// expired, none is lost or run twice, and the Stats counters add up.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "tests/task_control_testing.h"

namespace taskqueue {
namespace {

using std::chrono::milliseconds;
using test_support::Clock;
using test_support::Ended;

constexpr int kProducers = 4;
constexpr int kPerProducer = 1500;
constexpr int kTasks = kProducers * kPerProducer;

bool NeverRan(TaskState s) {
  return s == TaskState::kCancelled || s == TaskState::kDropped ||
         s == TaskState::kCoalesced || s == TaskState::kExpired;
}

bool IsEnd(TaskState s) {
  return s != TaskState::kQueued && s != TaskState::kRunning;
}

// Counts each task's events by id (tasks with options), and every end event
// by state (plain tasks included, whose id is 0).
class CountingObserver : public TaskObserver {
 public:
  struct Track {
    int queued = 0;
    int started = 0;
    int ends = 0;
    TaskState end = TaskState::kQueued;
  };

  void OnQueued(const TaskEvent& e) override {
    absl::MutexLock lock(&mu_);
    if (e.id != 0) ++tracks_[e.id].queued;
  }
  void OnStarted(const TaskEvent& e) override {
    absl::MutexLock lock(&mu_);
    if (e.id != 0) ++tracks_[e.id].started;
  }
  void OnCompleted(const TaskEvent& e) override { End(e); }
  void OnFailed(const TaskEvent& e) override { End(e); }
  void OnNotRun(const TaskEvent& e) override { End(e); }

  bool WaitForEnds(int count) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ends_ >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough),
                                test_support::kHangGuard);
  }
  Track Get(uint64_t id) {
    absl::MutexLock lock(&mu_);
    auto it = tracks_.find(id);
    return it == tracks_.end() ? Track{} : it->second;
  }
  std::map<TaskState, uint64_t> EndsByState() {
    absl::MutexLock lock(&mu_);
    return by_state_;
  }

 private:
  void End(const TaskEvent& e) {
    absl::MutexLock lock(&mu_);
    ++ends_;
    ++by_state_[e.state];
    if (e.id != 0) {
      Track& t = tracks_[e.id];
      ++t.ends;
      t.end = e.state;
    }
  }

  absl::Mutex mu_;
  std::unordered_map<uint64_t, Track> tracks_ ABSL_GUARDED_BY(mu_);
  std::map<TaskState, uint64_t> by_state_ ABSL_GUARDED_BY(mu_);
  int ends_ ABSL_GUARDED_BY(mu_) = 0;
};

// What a producer decided for one task, and what became of it.
struct Slot {
  bool plain = false;   // add_task without options: no handle, no id.
  bool submit = false;  // Has a future.
  int max_attempts = 1;
  int fail_first = 0;  // Attempts that throw before one returns.
  bool accepted = false;
  TaskHandle handle;
  TaskFuture<int> future;
  std::optional<CancelResult> cancelled_at_once;
};

struct CancelRecord {
  int index;
  CancelResult result;
};

class TaskControlStress
    : public ::testing::TestWithParam<std::tuple<int, OverflowPolicy>> {
 protected:
  int workers() const { return std::get<0>(GetParam()); }
  OverflowPolicy policy() const { return std::get<1>(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(
    WorkersAndPolicies, TaskControlStress,
    ::testing::Combine(::testing::Values(1, 2, 4),
                       ::testing::Values(OverflowPolicy::kBlock,
                                         OverflowPolicy::kDropOldest)),
    [](const auto& info) {
      return std::to_string(std::get<0>(info.param)) + "Workers" +
             (std::get<1>(info.param) == OverflowPolicy::kBlock ? "Block"
                                                                : "DropOldest");
    });

TEST_P(TaskControlStress, EveryTaskEndsExactlyOnceAndStatsAddUp) {
  auto observer = std::make_shared<CountingObserver>();
  test_support::FailureLog log;
  QueueOptions options = log.Options(workers());
  options.max_queued = 32;
  options.overflow = policy();
  options.observer = observer;
  options.record_timings = true;
  TaskQueue q(options);

  std::vector<std::atomic<int>> body_runs(kTasks);
  std::vector<std::atomic<int>> successes(kTasks);
  std::vector<Slot> slots(kTasks);  // Each producer writes its own slots.
  auto body = [&body_runs, &successes](std::stop_token, int index,
                                       int fail_first) {
    const int run = ++body_runs[index];
    if (run <= fail_first) throw std::runtime_error("flaky");
    ++successes[index];
    return index;
  };

  absl::Mutex published_mu;
  std::vector<int> published;  // Guarded by published_mu.
  std::atomic<int> producers_left{kProducers};
  std::atomic<int> add_errors{0};

  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      std::mt19937 rng(1234 + p);
      auto chance = [&rng](int percent) {
        return static_cast<int>(rng() % 100) < percent;
      };
      for (int i = 0; i < kPerProducer; ++i) {
        const int index = p * kPerProducer + i;
        Slot& slot = slots[index];
        TaskOptions o;
        static const char* const kNames[] = {"", "alpha", "beta"};
        o.name = kNames[rng() % 3];
        if (chance(15)) o.coalesce_key = "key" + std::to_string(rng() % 4);
        o.priority = static_cast<int>(rng() % 3) - 1;
        if (chance(10)) o.deadline = Clock::now() + milliseconds(rng() % 5);
        if (chance(10)) o.run_after = milliseconds(rng() % 3);
        if (chance(15)) {
          o.max_attempts = 3;
          o.backoff =
              Backoff{.initial_delay = milliseconds(rng() % 2), .jitter = 0.5};
          slot.fail_first = static_cast<int>(rng() % 4);  // 3: all fail.
        } else if (chance(5)) {
          slot.fail_first = 1;
        }
        slot.max_attempts = o.max_attempts;
        slot.plain = chance(10) && o.max_attempts == 1;
        slot.submit = !slot.plain && chance(40);
        try {
          if (slot.plain) {
            q.add_task(body, index, slot.fail_first);
          } else if (slot.submit) {
            slot.future = q.submit(o, body, index, slot.fail_first);
            slot.handle = slot.future.handle();
          } else {
            slot.handle = q.add_task(o, body, index, slot.fail_first);
          }
          slot.accepted = true;
        } catch (const std::exception& e) {
          ++add_errors;
          ADD_FAILURE() << "task " << index << " not accepted: " << e.what();
        }
        if (slot.accepted && !slot.plain) {
          if (chance(10)) slot.cancelled_at_once = slot.handle.cancel();
          absl::MutexLock lock(&published_mu);
          published.push_back(index);
        }
      }
      --producers_left;
    });
  }

  // Cancels tasks the producers published, at random, while they run.
  absl::Mutex cancels_mu;
  std::vector<CancelRecord> cancels;
  threads.emplace_back([&] {
    std::mt19937 rng(99);
    while (producers_left.load() > 0) {
      int index = -1;
      {
        absl::MutexLock lock(&published_mu);
        if (!published.empty()) index = published[rng() % published.size()];
      }
      if (index >= 0 && rng() % 4 == 0) {
        // The slot was written before it was published.
        TaskHandle h;
        {
          absl::MutexLock lock(&published_mu);
          h = slots[index].handle;
        }
        CancelResult r = h.cancel();
        absl::MutexLock lock(&cancels_mu);
        cancels.push_back({index, r});
      }
      std::this_thread::yield();
    }
  });

  // Pauses, resumes, clears and joins with a timeout while tasks flow.
  std::atomic<uint64_t> cleared{0};
  threads.emplace_back([&] {
    int round = 0;
    while (producers_left.load() > 0) {
      ++round;
      q.pause();
      std::this_thread::yield();
      q.resume();
      if (round % 3 == 0) cleared += q.clear();
      q.join_for(milliseconds(1));
    }
  });

  for (auto& t : threads) t.join();
  JoinResult final_join = q.join();
  EXPECT_TRUE(final_join.complete);

  int accepted = 0;
  for (const Slot& s : slots) accepted += s.accepted;
  ASSERT_EQ(add_errors.load(), 0);
  ASSERT_EQ(accepted, kTasks);
  ASSERT_TRUE(observer->WaitForEnds(kTasks));

  // Stats add up once the queue is quiet.
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, static_cast<uint64_t>(kTasks));
  EXPECT_EQ(Ended(stats), stats.submitted)
      << "completed " << stats.completed << " failed " << stats.failed
      << " cancelled " << stats.cancelled << " dropped " << stats.dropped
      << " coalesced " << stats.coalesced << " expired " << stats.expired;
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.running, 0u);
  EXPECT_FALSE(stats.paused);
  EXPECT_GE(stats.cancelled, cleared.load());
  // What the mix exercised, in the test's XML output.
  RecordProperty("completed", std::to_string(stats.completed));
  RecordProperty("failed", std::to_string(stats.failed));
  RecordProperty("cancelled", std::to_string(stats.cancelled));
  RecordProperty("dropped", std::to_string(stats.dropped));
  RecordProperty("coalesced", std::to_string(stats.coalesced));
  RecordProperty("expired", std::to_string(stats.expired));
  RecordProperty("retried", std::to_string(stats.retried));
  if (policy() == OverflowPolicy::kBlock) {
    EXPECT_EQ(stats.dropped, 0u);
  }

  // The observer saw the same ends as the counters.
  std::map<TaskState, uint64_t> ends = observer->EndsByState();
  EXPECT_EQ(ends[TaskState::kCompleted], stats.completed);
  EXPECT_EQ(ends[TaskState::kFailed], stats.failed);
  EXPECT_EQ(ends[TaskState::kCancelled], stats.cancelled);
  EXPECT_EQ(ends[TaskState::kDropped], stats.dropped);
  EXPECT_EQ(ends[TaskState::kCoalesced], stats.coalesced);
  EXPECT_EQ(ends[TaskState::kExpired], stats.expired);

  // Each task, from what its body saw, its handle, its future and the
  // observer. A task with retries may end as not run (cancelled, dropped,
  // coalesced, expired) while it waits between attempts, after running.
  uint64_t completed = 0, failed = 0, not_run = 0, attempts = 0;
  for (int index = 0; index < kTasks; ++index) {
    SCOPED_TRACE("task " + std::to_string(index));
    Slot& slot = slots[index];
    const int runs = body_runs[index].load();
    const int ok = successes[index].load();
    ASSERT_LE(ok, 1) << "completed twice";
    ASSERT_LE(runs, slot.max_attempts) << "run more often than allowed";
    attempts += runs;
    if (slot.plain) {  // No retries: the body tells it all.
      if (ok == 1) {
        ++completed;
      } else if (runs == 1) {
        ++failed;
      } else {
        ++not_run;
      }
      continue;
    }

    const TaskState state = slot.handle.state();
    ASSERT_TRUE(IsEnd(state)) << TaskStateName(state);
    const CountingObserver::Track track = observer->Get(slot.handle.id());
    EXPECT_EQ(track.queued, 1);
    EXPECT_EQ(track.ends, 1);
    EXPECT_EQ(track.end, state);
    EXPECT_EQ(track.started, runs);
    EXPECT_EQ(slot.handle.attempts(), runs);
    if (NeverRan(state)) {
      ++not_run;
      EXPECT_EQ(ok, 0) << TaskStateName(state) << " but it completed";
      if (slot.max_attempts == 1) {
        EXPECT_EQ(runs, 0) << TaskStateName(state) << " but it ran";
      } else {
        EXPECT_LT(runs, slot.max_attempts);
      }
    } else if (state == TaskState::kCompleted) {
      ++completed;
      EXPECT_EQ(ok, 1);
    } else {
      ++failed;
      ASSERT_EQ(state, TaskState::kFailed);
      EXPECT_EQ(ok, 0);
      EXPECT_GE(runs, 1);
    }
    if (slot.cancelled_at_once == CancelResult::kCancelled) {
      EXPECT_EQ(state, TaskState::kCancelled);
    }
    if (slot.submit) {
      try {
        EXPECT_EQ(slot.future.get(), index);
        EXPECT_EQ(state, TaskState::kCompleted);
      } catch (const TaskNotRunError& e) {
        EXPECT_EQ(e.state(), state);
      } catch (const std::runtime_error& e) {
        EXPECT_EQ(state, TaskState::kFailed);
        EXPECT_EQ(std::string(e.what()), "flaky");
      }
    }
  }
  EXPECT_EQ(completed, stats.completed);
  EXPECT_EQ(failed, stats.failed);
  EXPECT_EQ(not_run,
            stats.cancelled + stats.dropped + stats.coalesced + stats.expired);
  EXPECT_EQ(stats.run_time.count, attempts);  // One sample per attempt.

  // A cancel's answer matches what happened.
  absl::MutexLock lock(&cancels_mu);
  for (const CancelRecord& c : cancels) {
    SCOPED_TRACE("cancelled task " + std::to_string(c.index));
    const TaskState state = slots[c.index].handle.state();
    if (c.result == CancelResult::kCancelled) {
      EXPECT_EQ(state, TaskState::kCancelled);
      EXPECT_EQ(successes[c.index].load(), 0);
      if (slots[c.index].max_attempts == 1) {
        EXPECT_EQ(body_runs[c.index].load(), 0);
      }
    } else if (c.result == CancelResult::kStopRequested) {
      EXPECT_GE(body_runs[c.index].load(), 1);
      EXPECT_FALSE(NeverRan(state));
    }
  }
}

}  // namespace
}  // namespace taskqueue
