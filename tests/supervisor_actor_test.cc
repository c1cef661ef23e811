// The supervisor's dispatch and join policy, driven one message at a time on
// CAF's test coordinator: stand-in workers record the batches they are sent,
// and the test decides which tasks "run" and when each batch is reported done.
#include "actors/supervisor_actor.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include "actors/messages.h"
#include "actors/queue_counters.h"
#include "actors/task_inbox.h"
#include "actors/task_reporter.h"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/send.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using Batches = std::vector<TaskBatchPtr>;

caf::behavior stand_in_worker(caf::event_based_actor*,
                              std::shared_ptr<Batches> received) {
  return {[received](run_atom, const TaskBatchPtr& batch) {
    received->push_back(batch);
  }};
}

// Whether the supervisor has fulfilled `reply`.
bool Answered(const std::shared_future<void>& reply) {
  return reply.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

struct TestingConfig : caf::actor_system_config {
  TestingConfig() { set("scheduler.policy", caf::atom("testing")); }
};

class SupervisorActorTest : public ::testing::Test {
 protected:
  void Start(int num_workers) {
    std::vector<caf::actor> handles;
    for (int i = 0; i < num_workers; ++i) {
      received_.push_back(std::make_shared<Batches>());
      reported_.push_back(0);
      handles.push_back(sys_.spawn(stand_in_worker, received_.back()));
    }
    worker_handles_ = handles;
    // A replacement records its batches where its predecessor did.
    auto respawn = [this](int32_t index) {
      ++respawned_;
      received_[index] = std::make_shared<Batches>();
      reported_[index] = 0;
      return sys_.spawn(stand_in_worker, received_[index]);
    };
    supervisor_ = sys_.spawn(
        supervisor_actor,
        SupervisorContext{
            .inbox = inbox_,
            .reporter = std::make_shared<TaskReporter>(
                counters_,
                [this](const TaskFailure& f) { failures_.push_back(f); },
                nullptr),
            .respawn_worker = respawn,
            .prune_requested = std::make_shared<std::atomic<bool>>(false),
        },
        handles);
    sched_.run();
  }

  // Queues a task that records `id` in ran_ when it runs.
  void Push(int id) {
    inbox_->Push([this, id] { ran_.push_back(id); });
  }

  // Like Push, with a control block carrying `priority`.
  void PushWithPriority(int id, int priority) {
    ControlRef control = ControlRef::Make();
    control->options.priority = priority;
    inbox_->Push([this, id] { ran_.push_back(id); }, std::move(control));
  }

  void Drain() {
    caf::anon_send(supervisor_, drain_atom::value);
    sched_.run();
  }

  // Runs the next `count` unclaimed tasks of `batch`, as its worker would.
  static uint64_t RunTasks(const TaskBatchPtr& batch, size_t count = SIZE_MAX) {
    uint64_t ran = 0;
    while (ran < count) {
      QueuedTask* queued = batch->Claim();
      if (queued == nullptr) break;
      if (!queued->control || queued->control->Leave(TaskState::kRunning)) {
        std::move(queued->task)();
      }
      ++ran;
      batch->MarkFinished(ran);
    }
    return ran;
  }

  void ReportDone(int32_t worker, uint64_t ran) {
    if (worker >= 0 && static_cast<size_t>(worker) < reported_.size()) {
      ++reported_[worker];
    }
    caf::anon_send(supervisor_, done_atom::value, worker, ran);
    sched_.run();
  }

  // Lets worker `w` run and report every batch it has been sent, including
  // those sent in reply to its reports, until it has nothing left.
  // Like a worker, it reports its batches in the order received, each once.
  void RunWorkerDry(int32_t w) {
    while (reported_[w] < received_[w]->size()) {
      TaskBatchPtr batch = (*received_[w])[reported_[w]];
      ReportDone(w, RunTasks(batch));
    }
  }

  std::shared_future<void> Join(uint64_t epoch) {
    auto reply = std::make_shared<std::promise<void>>();
    std::shared_future<void> answered = reply->get_future().share();
    caf::anon_send(supervisor_, join_atom::value, epoch, reply);
    sched_.run();
    return answered;
  }

  TestingConfig config_;
  caf::actor_system sys_{config_};
  caf::scheduler::test_coordinator& sched_ =
      dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler());
  std::shared_ptr<TaskInbox> inbox_ = std::make_shared<TaskInbox>();
  std::shared_ptr<QueueCounters> counters_ =
      std::make_shared<QueueCounters>(4, /*record_timings=*/false);
  std::vector<TaskFailure> failures_;
  int respawned_ = 0;
  std::vector<caf::actor> worker_handles_;
  std::vector<std::shared_ptr<Batches>> received_;
  // Per worker: how many of its received batches were reported done.
  std::vector<size_t> reported_;
  caf::actor supervisor_;
  std::vector<int> ran_;
};

TEST_F(SupervisorActorTest, HandsOutTasksInFifoOrderOverAllWorkers) {
  Start(2);
  for (int i = 0; i < 8; ++i) Push(i);
  Drain();
  // Two batch slots per worker, filled in turn.
  ASSERT_EQ(received_[0]->size(), 2);
  ASSERT_EQ(received_[1]->size(), 2);
  for (const TaskBatchPtr& batch : {(*received_[0])[0], (*received_[1])[0],
                                    (*received_[0])[1], (*received_[1])[1]}) {
    RunTasks(batch);
  }
  EXPECT_THAT(ran_, ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));
}

TEST_F(SupervisorActorTest, KeepsAtMostTwoBatchesPerWorkerInFlight) {
  Start(1);
  for (int i = 0; i < 1000; ++i) Push(i);
  Drain();
  EXPECT_EQ(received_[0]->size(), SupervisorState::kMaxBatchesPerWorker);
  EXPECT_EQ((*received_[0])[0]->size(), SupervisorState::kMaxBatch);
  RunWorkerDry(0);
  EXPECT_EQ(ran_.size(), 1000);
}

TEST_F(SupervisorActorTest, IdleWorkerTakesOverWhatAStuckWorkerHasNotClaimed) {
  Start(2);
  for (int i = 0; i < 40; ++i) Push(i);
  Drain();
  // Worker 0 starts its first task and blocks in it (never reports).
  ASSERT_FALSE(received_[0]->empty());
  ASSERT_EQ(RunTasks((*received_[0])[0], 1), 1);
  int stuck = ran_.front();
  // Worker 1 runs everything it gets, including what is taken back from 0.
  RunWorkerDry(1);
  EXPECT_EQ(ran_.size(), 40);
  for (const TaskBatchPtr& batch : *received_[0]) {
    EXPECT_FALSE(batch->HasUnclaimed());
  }
  // Each task ran once: the stuck one on worker 0, the rest on worker 1.
  std::vector<int> sorted = ran_;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 40; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_EQ(stuck, 0);
}

TEST_F(SupervisorActorTest, JoinWaitsForTheStuckTaskThenAnswers) {
  Start(2);
  for (int i = 0; i < 10; ++i) Push(i);
  uint64_t epoch = inbox_->EndEpoch();
  auto answered = Join(epoch);
  RunTasks((*received_[0])[0], 1);
  RunWorkerDry(1);
  EXPECT_FALSE(Answered(answered));
  // Worker 0 finishes its stuck task and reports each of its batches.
  ReportDone(0, 1);
  ReportDone(0, 0);
  EXPECT_TRUE(Answered(answered));
}

TEST_F(SupervisorActorTest, JoinIgnoresTasksOfLaterEpochs) {
  Start(1);
  Push(1);
  uint64_t epoch = inbox_->EndEpoch();
  Push(2);
  auto answered = Join(epoch);
  ASSERT_EQ(received_[0]->size(),
            2);  // One task per batch: 2 waiting, 2 slots.
  EXPECT_FALSE(Answered(answered));
  ReportDone(0, RunTasks((*received_[0])[0]));
  EXPECT_TRUE(Answered(answered));
  EXPECT_THAT(ran_, ElementsAre(1));  // Task 2 has not run, and need not.
}

TEST_F(SupervisorActorTest, JoinWithNothingOutstandingIsAnsweredAtOnce) {
  Start(3);
  EXPECT_TRUE(Answered(Join(inbox_->EndEpoch())));
}

TEST_F(SupervisorActorTest, ReportsFromUnknownWorkersChangeNothing) {
  Start(1);
  Push(1);
  Drain();
  auto answered = Join(inbox_->EndEpoch());
  ReportDone(7, 1);
  ReportDone(-1, 1);
  EXPECT_FALSE(Answered(answered));
  ReportDone(0, RunTasks((*received_[0])[0]));
  EXPECT_TRUE(Answered(answered));
}

TEST_F(SupervisorActorTest, HigherPriorityOvertakesTasksHandedOutButUnclaimed) {
  Start(1);
  for (int i = 0; i < 6; ++i) PushWithPriority(i, 0);
  Drain();
  PushWithPriority(100, 5);
  Drain();
  RunWorkerDry(0);
  ASSERT_EQ(ran_.size(), 7);
  EXPECT_EQ(ran_.front(), 100);
  EXPECT_THAT(std::vector<int>(ran_.begin() + 1, ran_.end()),
              ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST_F(SupervisorActorTest, TasksLeftInABatchReportedDoneRunLater) {
  Start(1);
  for (int i = 0; i < 6; ++i) Push(i);
  Drain();
  // The worker runs one task of its first batch and leaves the rest, as it
  // does for a more urgent newcomer.
  ReportDone(0, RunTasks((*received_[0])[0], 1));
  RunWorkerDry(0);
  std::vector<int> sorted = ran_;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_THAT(sorted, ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST_F(SupervisorActorTest, PauseTakesBackUnclaimedTasksAndSendsNoMore) {
  Start(1);
  for (int i = 0; i < 6; ++i) Push(i);
  Drain();
  auto reply = std::make_shared<std::promise<void>>();
  auto paused = reply->get_future();
  caf::anon_send(supervisor_, pause_atom::value, reply);
  sched_.run();
  ASSERT_TRUE(Answered(paused.share()));
  size_t sent = received_[0]->size();
  RunWorkerDry(0);
  EXPECT_TRUE(ran_.empty());
  EXPECT_EQ(received_[0]->size(), sent);
  caf::anon_send(supervisor_, resume_atom::value);
  sched_.run();
  RunWorkerDry(0);
  EXPECT_THAT(ran_, ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST_F(SupervisorActorTest, ReplacesADeadWorkerAndHandsOutItsUnclaimedTasks) {
  Start(2);
  for (int i = 0; i < 8; ++i) Push(i);
  Drain();
  uint64_t epoch = inbox_->EndEpoch();
  auto answered = Join(epoch);
  // Worker 0 claims one task and dies in it.
  TaskBatchPtr first = (*received_[0])[0];
  ASSERT_NE(first->Claim(), nullptr);
  caf::anon_send_exit(worker_handles_[0], caf::exit_reason::kill);
  sched_.run();
  EXPECT_EQ(respawned_, 1);
  EXPECT_EQ(counters_->Snapshot(*inbox_, false).restarts, 1);
  // The task it died in failed, reported once; the rest all run elsewhere.
  ASSERT_EQ(failures_.size(), 1);
  EXPECT_THAT(failures_[0].description, ::testing::HasSubstr("died"));
  RunWorkerDry(0);
  RunWorkerDry(1);
  EXPECT_EQ(ran_.size(), 7);
  EXPECT_TRUE(Answered(answered));
}

}  // namespace
}  // namespace taskqueue::internal
