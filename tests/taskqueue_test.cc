// Behaviour of the public TaskQueue API, including each way the naive queue
// fails: lost tasks, workers killed by exceptions, tasks dropped at exit and
// slow tasks starving the rest.
#include "taskqueue/taskqueue.h"

// Users must not pay CAF's compile time: no CAF header behind the API.
#ifdef CAF_VERSION
#error "taskqueue/taskqueue.h includes a CAF header"
#endif

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Keeps the default on_error quiet in tests that fail tasks on purpose, and
// records what it was handed.
struct FailureLog {
  absl::Mutex mu;
  std::vector<std::string> descriptions ABSL_GUARDED_BY(mu);

  QueueOptions Options(int workers) {
    return QueueOptions{.num_workers = workers,
                        .on_error = [this](const TaskFailure& failure) {
                          absl::MutexLock lock(&mu);
                          descriptions.push_back(failure.description);
                        }};
  }
  std::vector<std::string> Get() {
    absl::MutexLock lock(&mu);
    return descriptions;
  }
};

class WorkerSweep : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Workers, WorkerSweep, ::testing::Values(1, 2, 4, 8));

TEST_P(WorkerSweep, EveryTaskRunsExactlyOnce) {
  constexpr int kTasks = 20000;
  std::vector<std::atomic<int>> runs(kTasks);
  TaskQueue q(GetParam());
  for (int i = 0; i < kTasks; ++i) {
    q.add_task([&runs](int id) { runs[id].fetch_add(1); }, i);
  }
  JoinResult result = q.join();
  EXPECT_TRUE(result.ok());
  for (int i = 0; i < kTasks; ++i) ASSERT_EQ(runs[i].load(), 1) << "task " << i;
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, kTasks);
  EXPECT_EQ(stats.completed, kTasks);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.queued, 0);
  EXPECT_EQ(stats.running, 0);
}

TEST_P(WorkerSweep, RepeatedAddJoinRounds) {
  TaskQueue q(GetParam());
  std::atomic<int> count{0};
  for (int round = 1; round <= 50; ++round) {
    for (int i = 0; i < round; ++i) q.add_task([&count] { ++count; });
    q.join();
    ASSERT_EQ(count.load(), round * (round + 1) / 2) << "round " << round;
  }
}

TEST_P(WorkerSweep, DestructionWithoutJoinRunsEverythingQueued) {
  std::atomic<int> count{0};
  {
    TaskQueue q(GetParam());
    for (int i = 0; i < 1000; ++i) {
      q.add_task([&count] {
        std::this_thread::sleep_for(std::chrono::microseconds(10));
        ++count;
      });
    }
  }
  EXPECT_EQ(count.load(), 1000);
}

TEST(TaskQueueTest, NamesItsWorkersAndRefusesOtherNumbers) {
  TaskQueue q(2);
  EXPECT_EQ(q.worker_name(0), "local/0");
  EXPECT_EQ(q.worker_name(1), "local/1");
  EXPECT_THROW(q.worker_name(2), std::out_of_range);
  EXPECT_THROW(q.worker_name(-1), std::out_of_range);
}

TEST(TaskQueueTest, ArgumentsReachTheTask) {
  TaskQueue q(2);
  std::string got_text;
  int got_number = 0;
  auto moved_in = std::make_unique<int>(7);
  int got_owned = 0;
  q.add_task(
      [&](std::string text, int number, std::unique_ptr<int> owned) {
        got_text = text;
        got_number = number;
        got_owned = *owned;
      },
      std::string("plot-42"), 42, std::move(moved_in));
  int by_ref = 0;
  q.add_task([](int& target) { target = 5; }, std::ref(by_ref));
  q.join();
  EXPECT_EQ(got_text, "plot-42");
  EXPECT_EQ(got_number, 42);
  EXPECT_EQ(got_owned, 7);
  EXPECT_EQ(by_ref, 5);
}

TEST(TaskQueueTest, ArgumentsAreCopiedWhenAdded) {
  TaskQueue q(1);
  absl::Notification release;
  q.add_task([&release] { release.WaitForNotification(); });
  std::vector<int> values = {1, 2, 3};
  std::vector<int> seen;
  q.add_task([&seen](const std::vector<int>& v) { seen = v; }, values);
  values.push_back(4);  // After add_task: the task must not see it.
  release.Notify();
  q.join();
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
}

TEST(TaskQueueTest, TenSleepersOnFiveWorkersTakeTwoRounds) {
  TaskQueue q(5);
  std::atomic<int> done{0};
  auto start = Clock::now();
  for (int i = 0; i < 10; ++i) {
    q.add_task([&done] {
      std::this_thread::sleep_for(milliseconds(200));
      ++done;
    });
  }
  q.join();
  auto took = Clock::now() - start;
  EXPECT_EQ(done.load(), 10);
  // Two rounds of 200 ms; one worker at a time would take 2 s. Generous
  // above, for a loaded machine; a lower bound of 400 ms is physics.
  EXPECT_GE(took, milliseconds(400));
  EXPECT_LT(took, milliseconds(1500));
}

TEST(TaskQueueTest, BlockingTasksRunInParallel) {
  constexpr int kWorkers = 4;
  TaskQueue q(kWorkers);
  // Every task waits until all of them are running at once: this only
  // finishes if the workers run blocking tasks concurrently.
  std::atomic<int> arrived{0};
  std::atomic<int> max_seen{0};
  for (int i = 0; i < kWorkers; ++i) {
    q.add_task([&] {
      int now = ++arrived;
      int prev = max_seen.load();
      while (prev < now && !max_seen.compare_exchange_weak(prev, now)) {
      }
      auto deadline = Clock::now() + std::chrono::seconds(10);
      while (arrived.load() < kWorkers && Clock::now() < deadline) {
        std::this_thread::sleep_for(milliseconds(1));
      }
    });
  }
  q.join();
  EXPECT_EQ(max_seen.load(), kWorkers);
}

TEST(TaskQueueTest, ThrowingTasksLeaveWorkersAlive) {
  FailureLog log;
  TaskQueue q(log.Options(1));  // One worker: if it died, nothing would run.
  std::atomic<int> after{0};
  q.add_task([] { throw std::runtime_error("upload refused"); });
  q.add_task([] { throw 42; });  // Not a std::exception.
  q.add_task([&after] { ++after; });
  JoinResult result = q.join();
  EXPECT_EQ(after.load(), 1);
  EXPECT_EQ(result.failed, 2);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(log.Get(), ::testing::UnorderedElementsAre("upload refused",
                                                         HasSubstr("int")));
  Stats stats = q.stats();
  EXPECT_EQ(stats.failed, 2);
  EXPECT_EQ(stats.completed, 1);
  // Failures are reported once: the next join starts from zero.
  q.add_task([&after] { ++after; });
  EXPECT_TRUE(q.join().ok());
}

TEST(TaskQueueTest, DefaultOnErrorPrintsOneLine) {
  ::testing::internal::CaptureStderr();
  {
    TaskQueue q(1);
    q.add_task([] { throw std::runtime_error("disk full"); });
    q.join();
  }
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "taskqueue: task failed: disk full\n");
}

TEST(TaskQueueTest, ThrowingOnErrorDoesNotKillTheWorker) {
  ::testing::internal::CaptureStderr();
  TaskQueue q(QueueOptions{
      .num_workers = 1,
      .on_error = [](const TaskFailure&) { throw std::logic_error("oops"); }});
  std::atomic<int> after{0};
  q.add_task([] { throw std::runtime_error("first"); });
  q.add_task([&after] { ++after; });
  EXPECT_EQ(q.join().failed, 1);
  EXPECT_EQ(after.load(), 1);
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), HasSubstr("first"));
}

TEST(TaskQueueTest, JoinOnEmptyQueueReturnsAtOnce) {
  TaskQueue q(3);
  EXPECT_TRUE(q.join().ok());
  EXPECT_TRUE(q.join().ok());
  EXPECT_EQ(q.stats().submitted, 0);
}

TEST(TaskQueueTest, SubmitCarriesValuesAndExceptions) {
  FailureLog log;
  TaskQueue q(log.Options(2));
  std::future<int> sum = q.submit([](int a, int b) { return a + b; }, 2, 3);
  std::future<std::string> text =
      q.submit([] { return std::string("plotted"); });
  std::future<void> nothing = q.submit([] {});
  std::future<int> failing =
      q.submit([]() -> int { throw std::out_of_range("bad index"); });
  std::future<void> odd = q.submit([] { throw 3.5; });
  EXPECT_EQ(sum.get(), 5);
  EXPECT_EQ(text.get(), "plotted");
  nothing.get();
  EXPECT_THROW(failing.get(), std::out_of_range);
  EXPECT_THROW(odd.get(), double);
  EXPECT_EQ(q.join().failed, 2);
  // The exceptions went to the futures, not to on_error as well.
  EXPECT_TRUE(log.Get().empty());
  EXPECT_EQ(q.stats().completed, 3);
}

TEST(TaskQueueTest, ShortTasksDoNotWaitBehindALongOne) {
  TaskQueue q(2);
  absl::Notification release_long;
  std::atomic<int> short_done{0};
  q.add_task(
      [&] { release_long.WaitForNotificationWithTimeout(absl::Seconds(20)); });
  for (int i = 0; i < 200; ++i) {
    q.add_task([&short_done] {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      ++short_done;
    });
  }
  // Every short task finishes while the long one is still blocked.
  auto deadline = Clock::now() + std::chrono::seconds(15);
  while (short_done.load() < 200 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_EQ(short_done.load(), 200);
  EXPECT_FALSE(release_long.HasBeenNotified());
  EXPECT_EQ(q.stats().running, 1);
  release_long.Notify();
  q.join();
}

TEST(TaskQueueTest, JoinIgnoresTasksAddedAfterItBegan) {
  TaskQueue q(2);
  absl::Notification release_late;
  std::atomic<bool> early_done{false};
  q.add_task([&early_done] {
    std::this_thread::sleep_for(milliseconds(50));
    early_done = true;
  });
  std::thread joiner([&] {
    q.join();
    // The early task is done; the late one still waits for its release.
    EXPECT_TRUE(early_done.load());
    release_late.Notify();
  });
  // Added after the joiner may have begun; if join waited for it, the
  // joiner would never release it (the test would time out).
  std::this_thread::sleep_for(milliseconds(10));
  q.add_task([&release_late] {
    release_late.WaitForNotificationWithTimeout(absl::Seconds(30));
  });
  joiner.join();
  EXPECT_TRUE(release_late.HasBeenNotified());
  q.join();
}

TEST(TaskQueueTest, JoinFromATaskFailsInsteadOfDeadlocking) {
  FailureLog log;
  TaskQueue q(log.Options(2));
  std::future<void> inner = q.submit([&q] { q.join(); });
  EXPECT_THROW(inner.get(), JoinFromTaskError);
  std::future<void> stop = q.submit([&q] { q.shutdown(); });
  EXPECT_THROW(stop.get(), JoinFromTaskError);
  // A fire-and-forget join is reported, not swallowed.
  q.add_task([&q] { q.join(); });
  EXPECT_EQ(q.join().failed, 3);
  EXPECT_THAT(log.Get(), ::testing::ElementsAre(HasSubstr("own tasks")));
}

TEST(TaskQueueTest, AddAfterShutdownThrows) {
  TaskQueue q(2);
  std::atomic<int> count{0};
  q.add_task([&count] { ++count; });
  q.shutdown();
  EXPECT_EQ(count.load(), 1);
  EXPECT_THROW(q.add_task([] {}), QueueClosedError);
  EXPECT_THROW(q.submit([] { return 1; }), QueueClosedError);
  EXPECT_EQ(q.stats().submitted, 1);
  q.shutdown();  // Idempotent.
  EXPECT_TRUE(q.join().ok());
}

TEST(TaskQueueTest, ShutdownFinishesEverythingQueued) {
  TaskQueue q(1);
  std::atomic<int> count{0};
  for (int i = 0; i < 100; ++i) {
    q.add_task([&count] {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      ++count;
    });
  }
  q.shutdown();
  EXPECT_EQ(count.load(), 100);
}

TEST(TaskQueueTest, FewerThanOneWorkerIsRejected) {
  EXPECT_THROW(TaskQueue(0), std::invalid_argument);
  EXPECT_THROW(TaskQueue(-3), std::invalid_argument);
  EXPECT_THROW(TaskQueue(QueueOptions{.num_workers = 100000}),
               std::invalid_argument);
}

TEST(TaskQueueTest, StatsSeeQueuedAndRunningTasks) {
  TaskQueue q(1);
  absl::Notification started, release;
  q.add_task([&] {
    started.Notify();
    release.WaitForNotification();
  });
  q.add_task([] {});
  q.add_task([] {});
  started.WaitForNotification();
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, 3);
  EXPECT_EQ(stats.running, 1);
  EXPECT_EQ(stats.queued, 2);
  release.Notify();
  q.join();
  stats = q.stats();
  EXPECT_EQ(stats.completed, 3);
  EXPECT_EQ(stats.running + stats.queued, 0);
}

TEST(TaskQueueTest, JoinFromSeveralThreads) {
  TaskQueue q(2);
  std::atomic<int> count{0};
  for (int i = 0; i < 500; ++i) q.add_task([&count] { ++count; });
  std::vector<std::thread> joiners;
  for (int j = 0; j < 4; ++j) {
    joiners.emplace_back([&] {
      q.join();
      EXPECT_EQ(count.load(), 500);
    });
  }
  for (auto& t : joiners) t.join();
}

}  // namespace
}  // namespace taskqueue
