// Unit tests of the Scheduler: one behaviour per test, driven one event at a
// time on a fake clock, with no threads. The fixture plays the supervisor
// (it executes the scheduler's commands), the endpoints (they claim, run and
// report the batches they are sent) and the producers (they add tasks); a
// recording sink keeps every transition the TaskLifecycle reports.
#include "actors/scheduler/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "actors/lifecycle/task_lifecycle.h"
#include "actors/lifecycle/transition.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Keeps every transition, with what it needs of the control block.
class RecordingSink : public LifecycleSink {
 public:
  struct Entry {
    uint64_t id;  // 0 for a plain task.
    TaskState from;
    TaskState to;
    bool retry;
    int worker;
    int attempt;
    std::string failure;  // The failure's description, if any.
  };

  void Record(const Transition& t) override {
    entries.push_back({t.control != nullptr ? t.control->id : 0, t.from, t.to,
                       t.retry, t.worker, t.attempt,
                       t.failure != nullptr ? t.failure->description : ""});
  }
  bool wants_plain_queued() const override { return false; }

  // The states task `id` went to, in order.
  std::vector<TaskState> StatesOf(uint64_t id) const {
    std::vector<TaskState> states;
    for (const Entry& e : entries) {
      if (e.id == id) states.push_back(e.to);
    }
    return states;
  }

  // The last transition of task `id`; the test fails without one.
  Entry LastOf(uint64_t id) const {
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      if (it->id == id) return *it;
    }
    ADD_FAILURE() << "no transition of task " << id;
    return {};
  }

  std::vector<Entry> entries;
};

// A task's first attempt throws this when it is told to fail.
struct Failure : std::runtime_error {
  Failure() : std::runtime_error("attempt failed") {}
};

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() { Recreate(SchedulerOptions{}); }

  // A fresh scheduler with `options`, for tests that need other than the
  // defaults; call before any event.
  void Recreate(SchedulerOptions options) {
    scheduler_ = std::make_unique<Scheduler>(options, lifecycle_);
  }

  Scheduler& scheduler() { return *scheduler_; }

  static TimePoint At(Clock::duration since_start) {
    return TimePoint() + since_start;
  }

  // --- Producers. ---

  // Queues task `id` (> 0) with `options` (and `run_at`) for the next
  // Arrive(); it records `id` in ran_ when it runs. With max_attempts > 1 it
  // can be retried, on a fresh attempt that records the same.
  ControlRef Push(uint64_t id, TaskOptions options = {},
                  std::optional<TimePoint> run_at = std::nullopt) {
    ControlRef control = ControlRef::Make();
    control->id = id;
    control->options = std::move(options);
    control->run_at = run_at;
    if (control->options.max_attempts > 1) {
      control->make_attempt = [this, id] { return AttemptOf(id); };
    }
    controls_[id] = control;
    arrivals_.push_back(QueuedTask{AttemptOf(id), epoch_, control});
    return control;
  }

  // Like Push, for a named task, which remote endpoints can run.
  ControlRef PushNamed(uint64_t id, TaskOptions options = {}) {
    ControlRef control = Push(id, std::move(options));
    control->remote = std::make_unique<RemoteCall>();
    return control;
  }

  // Queues a plain add_task (no control block) that records `id`.
  void PushPlain(uint64_t id) {
    arrivals_.push_back(QueuedTask{AttemptOf(id), epoch_, ControlRef()});
  }

  // Hands what was pushed to the scheduler, as one arrival, now.
  void Arrive() {
    scheduler().TasksArrived(arrivals_, now_);
    arrivals_.clear();
    Execute();
  }

  ControlRef Add(uint64_t id, TaskOptions options = {},
                 std::optional<TimePoint> run_at = std::nullopt) {
    ControlRef control = Push(id, std::move(options), run_at);
    Arrive();
    return control;
  }

  // As TaskInbox::EndEpoch: the epoch that ends; later tasks are in the next.
  uint64_t EndEpoch() { return epoch_++; }

  TaskState State(uint64_t id) const { return controls_.at(id)->state.load(); }

  // --- The supervisor: commands. ---

  void Execute() {
    std::vector<SchedulerCommand>& commands = scheduler().commands();
    for (SchedulerCommand& command : commands) {
      if (auto* send = std::get_if<SendBatch>(&command)) {
        Endpoint& e = endpoints_[send->endpoint];
        e.received.push_back(send->batch);
        ++batches_sent_;
      } else if (auto* answer = std::get_if<AnswerJoin>(&command)) {
        EXPECT_TRUE(answered_.insert(answer->join).second)
            << "join " << answer->join << " answered twice";
      } else if (auto* arm = std::get_if<ArmTimer>(&command)) {
        armed_.push_back(arm->at);
      } else if (auto* stop = std::get_if<StopRunning>(&command)) {
        stopped_.push_back(stop->task->id);
        stop->task->RequestStop();
      }
    }
    commands.clear();
  }

  void Ready(EndpointId id, size_t credit = 2,
             EndpointKind kind = EndpointKind::kLocal) {
    scheduler().EndpointReady(id, credit, kind);
    Execute();
  }

  JoinId Join(uint64_t epoch) {
    JoinId id = next_join_++;
    scheduler().Join(id, epoch);
    Execute();
    return id;
  }
  bool Answered(JoinId id) const { return answered_.count(id) > 0; }

  void TimerFired(TimePoint now) {
    now_ = now;
    scheduler().TimerFired(now_);
    Execute();
  }

  // --- Endpoints. ---

  struct Endpoint {
    std::vector<TaskBatchPtr> received;
    size_t reported = 0;  // Batches of `received` reported done.
    size_t claimed = 0;   // Claims on received[reported].
  };

  // The oldest batch endpoint `e` has not reported done.
  TaskBatchPtr Front(EndpointId e) {
    Endpoint& ep = endpoints_[e];
    if (ep.reported >= ep.received.size()) return nullptr;
    return ep.received[ep.reported];
  }

  // Claims the next task of `e`'s oldest batch and starts it, leaving it
  // running. Returns the task, or null when the batch has none left or
  // the task may not start (it ended elsewhere or expired).
  QueuedTask* StartNext(EndpointId e) {
    TaskBatchPtr batch = Front(e);
    if (batch == nullptr) return nullptr;
    QueuedTask* task = batch->Claim();
    if (task == nullptr) return nullptr;
    size_t claimed = ++endpoints_[e].claimed;
    if (!lifecycle_.Start(task->control.get(), e, now_)) {
      batch->MarkFinished(claimed);
      return nullptr;
    }
    return task;
  }

  // The running `task` of `e` throws; returns whether it is to be retried
  // (the endpoint's retry message is then on its way: RetryArrived).
  bool Throw(EndpointId e, QueuedTask* task) {
    TaskFailure failure;
    try {
      throw Failure();
    } catch (...) {
      failure = TaskFailure::FromCurrentException();
    }
    return lifecycle_.AttemptFailed(task->control.get(), e, failure, now_);
  }

  // The running `task` of `e` returns (or throws, if `fail`).
  void Finish(EndpointId e, QueuedTask* task, bool fail = false) {
    TaskControl* control = task->control.get();
    if (fail) {
      if (Throw(e, task)) {
        scheduler().RetryArrived(task->control, task->epoch, now_);
        Execute();
      }
    } else {
      std::move(task->attempt)();
      lifecycle_.Complete(control, e, now_);
    }
    Front(e)->MarkFinished(endpoints_[e].claimed);
  }

  // Endpoint `e` runs up to `count` tasks of its oldest batch; returns how
  // many it claimed.
  size_t RunTasks(EndpointId e, size_t count = SIZE_MAX) {
    TaskBatchPtr batch = Front(e);
    if (batch == nullptr) return 0;
    size_t before = endpoints_[e].claimed;
    while (endpoints_[e].claimed - before < count) {
      size_t claims = endpoints_[e].claimed;
      QueuedTask* task = StartNext(e);
      if (task != nullptr) {
        Finish(e, task);
      } else if (endpoints_[e].claimed == claims) {
        break;  // Nothing left to claim.
      }
    }
    return endpoints_[e].claimed - before;
  }

  // Endpoint `e` reports its oldest batch done with what it claimed.
  bool ReportDone(EndpointId e) {
    Endpoint& ep = endpoints_[e];
    TaskBatchPtr batch = Front(e);
    if (batch == nullptr) {
      ADD_FAILURE() << "endpoint " << e << " has no batch to report";
      return false;
    }
    bool accepted = scheduler().BatchDone(e, batch->sequence(), ep.claimed);
    ++ep.reported;
    ep.claimed = 0;
    Execute();
    return accepted;
  }

  // Endpoint `e` runs and reports every batch it is sent, including those
  // sent in reply to its reports, until it has none left.
  void RunDry(EndpointId e) {
    while (Front(e) != nullptr) {
      RunTasks(e);
      EXPECT_TRUE(ReportDone(e));
    }
  }

  // Endpoint `e` dies; a replacement may come with Ready(e) later.
  void Lose(EndpointId e) {
    scheduler().EndpointLost(e, now_);
    Endpoint& ep = endpoints_[e];
    ep.reported = ep.received.size();
    ep.claimed = 0;
    Execute();
  }

  size_t Received(EndpointId e) { return endpoints_[e].received.size(); }

  bool ArmedAnyTimer() const { return !armed_.empty(); }

  RecordingSink sink_;
  TaskLifecycle lifecycle_{sink_};
  std::unique_ptr<Scheduler> scheduler_;
  TimePoint now_ = At(seconds(1));
  uint64_t epoch_ = 0;
  std::vector<QueuedTask> arrivals_;
  std::map<uint64_t, ControlRef> controls_;
  std::map<EndpointId, Endpoint> endpoints_;
  size_t batches_sent_ = 0;
  std::set<JoinId> answered_;
  JoinId next_join_ = 1;
  std::vector<TimePoint> armed_;
  std::vector<uint64_t> stopped_;
  std::vector<uint64_t> ran_;

 private:
  Attempt AttemptOf(uint64_t id) {
    return [this, id] { ran_.push_back(id); };
  }
};

TaskOptions Priority(int priority) { return TaskOptions{.priority = priority}; }
TaskOptions Key(std::string key) {
  return TaskOptions{.coalesce_key = std::move(key)};
}
TaskOptions Deadline(TimePoint deadline) {
  return TaskOptions{.deadline = deadline};
}
// Retried up to `max_attempts`, after exactly `backoff` (no jitter).
TaskOptions Retried(int max_attempts, Clock::duration backoff,
                    std::string key = "") {
  return TaskOptions{.coalesce_key = std::move(key),
                     .max_attempts = max_attempts,
                     .backoff = Backoff{.initial_delay = backoff,
                                        .multiplier = 1.0,
                                        .max_delay = backoff,
                                        .jitter = 0.0}};
}

// --- Dispatch. ---

TEST_F(SchedulerTest, HandsOutTasksInFifoOrderOverAllEndpoints) {
  Ready(0);
  Ready(1);
  for (uint64_t id = 1; id <= 8; ++id) Push(id);
  Arrive();
  // Two batch slots per endpoint, filled in turn.
  ASSERT_EQ(Received(0), 2u);
  ASSERT_EQ(Received(1), 2u);
  RunTasks(0);  // First batches of each, then the second ones.
  RunTasks(1);
  ASSERT_TRUE(ReportDone(0));
  ASSERT_TRUE(ReportDone(1));
  RunTasks(0);
  RunTasks(1);
  EXPECT_THAT(ran_, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8));
  for (uint64_t id = 1; id <= 8; ++id) {
    EXPECT_EQ(State(id), TaskState::kCompleted) << id;
    EXPECT_THAT(sink_.StatesOf(id),
                ElementsAre(TaskState::kRunning, TaskState::kCompleted));
  }
}

TEST_F(SchedulerTest, KeepsAtMostCreditBatchesPerEndpointInFlight) {
  Ready(0, /*credit=*/3);
  const size_t max_batch = SchedulerOptions().max_batch;
  const uint64_t tasks = 4 * max_batch;
  for (uint64_t id = 1; id <= tasks; ++id) Push(id);
  Arrive();
  EXPECT_EQ(Received(0), 3u);
  EXPECT_EQ(scheduler().batches_in_flight(0), 3u);
  EXPECT_EQ(endpoints_[0].received[0]->size(), max_batch);
  // Each report makes room for one more batch, never more than three.
  RunTasks(0);
  ASSERT_TRUE(ReportDone(0));
  EXPECT_EQ(scheduler().batches_in_flight(0), 3u);
  RunDry(0);
  EXPECT_EQ(ran_.size(), tasks);
  EXPECT_EQ(scheduler().queued(), 0u);
  EXPECT_EQ(scheduler().batches_in_flight(0), 0u);
}

TEST_F(SchedulerTest, IdleEndpointTakesOverWhatARunningEndpointHasNotClaimed) {
  Ready(0);
  Ready(1);
  for (uint64_t id = 1; id <= 40; ++id) Push(id);
  Arrive();
  // Endpoint 0 starts its first task and is stuck in it.
  QueuedTask* stuck = StartNext(0);
  ASSERT_NE(stuck, nullptr);
  EXPECT_EQ(stuck->control->id, 1u);
  // Endpoint 1 runs everything it gets, including what is taken from 0.
  RunDry(1);
  EXPECT_EQ(ran_.size(), 39u);
  for (const TaskBatchPtr& batch : endpoints_[0].received) {
    EXPECT_FALSE(batch->HasUnclaimed());
  }
  EXPECT_EQ(State(1), TaskState::kRunning);
  Finish(0, stuck);
  EXPECT_TRUE(ReportDone(0));
  EXPECT_TRUE(ReportDone(0));
  // Each task ran once: the stuck one on endpoint 0, the rest on 1.
  std::vector<uint64_t> sorted = ran_;
  std::sort(sorted.begin(), sorted.end());
  ASSERT_EQ(sorted.size(), 40u);
  for (uint64_t id = 1; id <= 40; ++id) {
    EXPECT_EQ(sorted[id - 1], id);
    EXPECT_EQ(State(id), TaskState::kCompleted);
    EXPECT_EQ(sink_.LastOf(id).worker, id == 1 ? 0 : 1) << id;
  }
}

TEST_F(SchedulerTest, HigherPriorityOvertakesTasksHandedOutButUnclaimed) {
  Ready(0);
  for (uint64_t id = 1; id <= 6; ++id) Push(id, Priority(0));
  Arrive();
  ASSERT_EQ(Received(0), 2u);
  Add(100, Priority(5));
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(100, 1, 2, 3, 4, 5, 6));
}

TEST_F(SchedulerTest, TasksLeftInABatchReportedDoneRunLater) {
  Ready(0);
  for (uint64_t id = 1; id <= 6; ++id) Push(id);
  Arrive();
  // The endpoint runs one task of its first batch and leaves the rest.
  ASSERT_EQ(RunTasks(0, 1), 1u);
  ASSERT_TRUE(ReportDone(0));
  EXPECT_EQ(scheduler().queued(), 5u);
  RunDry(0);
  EXPECT_THAT(ran_, UnorderedElementsAre(1, 2, 3, 4, 5, 6));
  for (uint64_t id = 1; id <= 6; ++id) {
    EXPECT_THAT(sink_.StatesOf(id),
                ElementsAre(TaskState::kRunning, TaskState::kCompleted));
  }
}

TEST_F(SchedulerTest, PauseTakesBackUnclaimedTasksAndSendsNoMore) {
  Ready(0);
  for (uint64_t id = 1; id <= 6; ++id) Push(id);
  Arrive();
  size_t sent = batches_sent_;
  scheduler().Pause();
  Execute();
  EXPECT_TRUE(scheduler().paused());
  EXPECT_EQ(scheduler().waiting(), 6u);
  RunDry(0);  // Its batches are empty now.
  EXPECT_THAT(ran_, IsEmpty());
  EXPECT_EQ(batches_sent_, sent);
  Add(7);  // Arrivals wait too.
  EXPECT_EQ(batches_sent_, sent);
  EXPECT_EQ(scheduler().queued(), 7u);
  for (uint64_t id = 1; id <= 7; ++id) EXPECT_EQ(State(id), TaskState::kQueued);
  scheduler().Resume();
  Execute();
  EXPECT_FALSE(scheduler().paused());
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(1, 2, 3, 4, 5, 6, 7));
}

TEST_F(SchedulerTest, PauseAfterCloseIsIgnored) {
  Add(1);
  scheduler().Close();
  Execute();
  scheduler().Pause();
  Execute();
  EXPECT_TRUE(scheduler().closing());
  EXPECT_FALSE(scheduler().paused());
  // What is ready still runs.
  Ready(0);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(1));
  EXPECT_EQ(State(1), TaskState::kCompleted);
}

// --- Joins. ---

TEST_F(SchedulerTest, JoinWaitsForTheStuckTaskThenAnswers) {
  Ready(0);
  Ready(1);
  for (uint64_t id = 1; id <= 10; ++id) Push(id);
  Arrive();
  JoinId join = Join(EndEpoch());
  QueuedTask* stuck = StartNext(0);
  ASSERT_NE(stuck, nullptr);
  RunDry(1);
  EXPECT_EQ(ran_.size(), 9u);
  EXPECT_FALSE(Answered(join));
  EXPECT_EQ(scheduler().joins_waiting(), 1u);
  Finish(0, stuck);
  EXPECT_FALSE(Answered(join));  // Not before the endpoint reports it.
  ASSERT_TRUE(ReportDone(0));
  EXPECT_TRUE(Answered(join));
  EXPECT_TRUE(ReportDone(0));
  EXPECT_EQ(scheduler().joins_waiting(), 0u);
}

TEST_F(SchedulerTest, JoinIgnoresTasksOfLaterEpochs) {
  Ready(0);
  Add(1);
  uint64_t epoch = EndEpoch();
  Add(2);
  JoinId join = Join(epoch);
  ASSERT_EQ(Received(0), 2u);  // One task per batch.
  EXPECT_FALSE(Answered(join));
  RunTasks(0);
  ASSERT_TRUE(ReportDone(0));
  EXPECT_TRUE(Answered(join));
  EXPECT_THAT(ran_, ElementsAre(1));  // Task 2 has not run, and need not.
  EXPECT_EQ(State(2), TaskState::kQueued);
}

TEST_F(SchedulerTest, JoinWithNothingOutstandingIsAnsweredAtOnce) {
  Ready(0);
  Ready(1);
  Ready(2);
  JoinId join = Join(EndEpoch());
  EXPECT_TRUE(Answered(join));
  EXPECT_EQ(scheduler().joins_waiting(), 0u);
}

TEST_F(SchedulerTest, ForgetJoinStopsWaitingAndKeepsNothing) {
  Ready(0);
  Add(1);
  JoinId join = Join(EndEpoch());
  EXPECT_EQ(scheduler().joins_waiting(), 1u);
  scheduler().ForgetJoin(join);  // join_for timed out.
  EXPECT_EQ(scheduler().joins_waiting(), 0u);
  scheduler().ForgetJoin(join);  // Again, or unknown: harmless.
  scheduler().ForgetJoin(12345);
  RunDry(0);
  EXPECT_FALSE(Answered(join));  // Forgotten joins are not answered.
  EXPECT_EQ(scheduler().joins_waiting(), 0u);
  EXPECT_EQ(State(1), TaskState::kCompleted);
}

TEST_F(SchedulerTest,
       ReportsFromUnknownEndpointsOrStaleSequencesChangeNothing) {
  Ready(0);
  Add(1);
  JoinId join = Join(EndEpoch());
  TaskBatchPtr batch = Front(0);
  ASSERT_NE(batch, nullptr);
  EXPECT_FALSE(scheduler().BatchDone(7, batch->sequence(), 1));
  EXPECT_FALSE(scheduler().BatchDone(-1, batch->sequence(), 1));
  EXPECT_FALSE(scheduler().BatchDone(0, batch->sequence() + 1, 0));
  Execute();
  EXPECT_FALSE(Answered(join));
  EXPECT_EQ(scheduler().batches_in_flight(0), 1u);
  EXPECT_EQ(scheduler().queued(), 1u);
  RunTasks(0);
  EXPECT_FALSE(Answered(join));
  uint64_t sequence = batch->sequence();
  ASSERT_TRUE(ReportDone(0));
  EXPECT_TRUE(Answered(join));
  // The same report again is stale.
  EXPECT_FALSE(scheduler().BatchDone(0, sequence, 1));
  EXPECT_EQ(scheduler().batches_in_flight(0), 0u);
}

// --- Endpoints that die. ---

TEST_F(SchedulerTest, DeadEndpointsClaimedTaskFailsAndTheRestRunElsewhere) {
  Ready(0);
  Ready(1);
  for (uint64_t id = 1; id <= 8; ++id) Push(id);
  Arrive();
  JoinId join = Join(EndEpoch());
  // Endpoint 0 claims one task and dies in it.
  ASSERT_NE(StartNext(0), nullptr);
  Lose(0);
  EXPECT_EQ(State(1), TaskState::kFailed);
  RecordingSink::Entry failed = sink_.LastOf(1);
  EXPECT_EQ(failed.from, TaskState::kRunning);
  EXPECT_EQ(failed.to, TaskState::kFailed);
  EXPECT_THAT(failed.failure, HasSubstr("died"));
  // It gets nothing until its replacement is ready, which takes them.
  EXPECT_EQ(scheduler().batches_in_flight(0), 0u);
  EXPECT_EQ(scheduler().waiting(), 3u);
  size_t received = Received(0);
  Ready(0);
  EXPECT_GT(Received(0), received);
  EXPECT_EQ(scheduler().waiting(), 0u);
  RunDry(0);
  RunDry(1);
  EXPECT_THAT(ran_, UnorderedElementsAre(2, 3, 4, 5, 6, 7, 8));
  for (uint64_t id = 2; id <= 8; ++id) {
    EXPECT_EQ(State(id), TaskState::kCompleted);
  }
  EXPECT_TRUE(Answered(join));
  EXPECT_EQ(scheduler().queued(), 0u);
}

TEST_F(SchedulerTest, DeadEndpointsClaimedTaskIsRetriedWhenItHasAttemptsLeft) {
  Ready(0);
  Ready(1);
  Add(1, Retried(2, milliseconds(10)));
  Add(2);
  JoinId join = Join(EndEpoch());
  TaskBatchPtr first = Front(0);
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->at(0).control->id, 1u);
  ASSERT_NE(StartNext(0), nullptr);
  Lose(0);
  EXPECT_EQ(State(1), TaskState::kQueued);
  RecordingSink::Entry retry = sink_.LastOf(1);
  EXPECT_TRUE(retry.retry);
  EXPECT_THAT(retry.failure, HasSubstr("died"));
  EXPECT_EQ(scheduler().timers_waiting(), 1u);
  ASSERT_FALSE(armed_.empty());
  EXPECT_EQ(armed_.back(), now_ + milliseconds(10));
  RunDry(1);
  EXPECT_THAT(ran_, ElementsAre(2));
  EXPECT_FALSE(Answered(join));
  TimerFired(now_ + milliseconds(10));
  RunDry(1);
  EXPECT_THAT(ran_, ElementsAre(2, 1));
  EXPECT_EQ(State(1), TaskState::kCompleted);
  EXPECT_EQ(controls_[1]->attempts.load(), 2);
  EXPECT_TRUE(Answered(join));
}

// --- Remote endpoints. ---

// The ids of the tasks of `batch`, in order.
std::vector<uint64_t> IdsOf(const TaskBatch& batch) {
  std::vector<uint64_t> ids;
  for (size_t i = 0; i < batch.size(); ++i) {
    ids.push_back(batch.at(i).control ? batch.at(i).control->id : 0);
  }
  return ids;
}

TEST_F(SchedulerTest, RemoteEndpointGetsOnlyNamedTasksInOrder) {
  Ready(0, 1, EndpointKind::kRemote);
  Push(1);
  PushNamed(2);
  PushPlain(3);
  PushNamed(4);
  Arrive();
  ASSERT_EQ(Received(0), 1u);
  EXPECT_THAT(IdsOf(*Front(0)), ElementsAre(2, 4));
  // The closures wait for a local endpoint, in their order.
  EXPECT_EQ(scheduler().waiting(), 2u);
  Ready(1, 1);
  ASSERT_EQ(Received(1), 1u);
  EXPECT_THAT(IdsOf(*Front(1)), ElementsAre(1, 0));
  RunDry(0);
  RunDry(1);
  EXPECT_THAT(ran_, ElementsAre(2, 4, 1, 3));
}

TEST_F(SchedulerTest, IdleRemoteEndpointTakesOverOnlyNamedTasks) {
  Ready(0, 1);
  for (uint64_t id = 1; id <= 4; ++id) Push(id);
  PushNamed(5);
  Arrive();
  ASSERT_EQ(Received(0), 1u);
  QueuedTask* running = StartNext(0);  // Endpoint 0 is busy with task 1.
  ASSERT_NE(running, nullptr);
  Ready(1, 1, EndpointKind::kRemote);
  ASSERT_EQ(Received(1), 1u);
  EXPECT_THAT(IdsOf(*Front(1)), ElementsAre(5));
  RunDry(1);
  // What the remote endpoint cannot run was handed back to endpoint 0.
  EXPECT_EQ(scheduler().waiting(), 3u);
  Finish(0, running);
  RunDry(0);
  EXPECT_THAT(ran_, UnorderedElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(scheduler().queued(), 0u);
}

TEST_F(SchedulerTest, DeadEndpointsClaimedButUnstartedTasksRunElsewhere) {
  Ready(0, 1, EndpointKind::kRemote);
  for (uint64_t id = 1; id <= 4; ++id) PushNamed(id);
  Arrive();
  JoinId join = Join(EndEpoch());
  // A remote endpoint claims the tasks it sends ahead to its node; the node
  // started task 1 and died before starting 2 and 3.
  ASSERT_NE(StartNext(0), nullptr);
  TaskBatchPtr batch = Front(0);
  ASSERT_NE(batch->Claim(), nullptr);
  ASSERT_NE(batch->Claim(), nullptr);
  Lose(0);
  EXPECT_EQ(State(1), TaskState::kFailed);  // Its attempt was lost.
  for (uint64_t id = 2; id <= 4; ++id) EXPECT_EQ(State(id), TaskState::kQueued);
  Ready(1, 1, EndpointKind::kRemote);
  RunDry(1);
  EXPECT_THAT(ran_, ElementsAre(2, 3, 4));
  EXPECT_TRUE(Answered(join));
}

// --- Latest wins. ---

TEST_F(SchedulerTest, NewerTaskWithTheSameKeyEndsTheQueuedOneAsCoalesced) {
  Add(1, Key("k"));
  Add(2, Key("other"));
  Add(3, Key("k"));
  EXPECT_EQ(State(1), TaskState::kCoalesced);
  EXPECT_THAT(sink_.StatesOf(1), ElementsAre(TaskState::kCoalesced));
  EXPECT_EQ(scheduler().waiting(), 2u);
  EXPECT_EQ(scheduler().keys_tracked(), 2u);
  JoinId join = Join(EndEpoch());
  Ready(0);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2, 3));
  EXPECT_TRUE(Answered(join));
  EXPECT_EQ(scheduler().keys_tracked(), 0u);
}

TEST_F(SchedulerTest, NewerTaskWithTheSameKeyCoalescesOneHandedOutUnclaimed) {
  Ready(0);
  Add(1, Key("k"));
  ASSERT_EQ(Received(0), 1u);
  Add(2, Key("k"));
  EXPECT_EQ(State(1), TaskState::kCoalesced);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2));
  EXPECT_EQ(scheduler().keys_tracked(), 0u);
}

TEST_F(SchedulerTest, ARunningTaskIsNotInterruptedByANewerTaskWithItsKey) {
  Ready(0);
  Add(1, Key("k"));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  Add(2, Key("k"));
  EXPECT_EQ(State(1), TaskState::kRunning);
  EXPECT_EQ(State(2), TaskState::kQueued);
  EXPECT_THAT(stopped_, IsEmpty());
  EXPECT_FALSE(controls_[1]->stop_requested.load());
  Finish(0, running);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(1, 2));
  EXPECT_EQ(State(1), TaskState::kCompleted);
  EXPECT_EQ(State(2), TaskState::kCompleted);
  EXPECT_EQ(scheduler().keys_tracked(), 0u);
}

// Defect 4: a retry waiting out its backoff is still the newest of its key.
TEST_F(SchedulerTest, RetryInBackoffIsCoalescedByANewerTaskWithItsKey) {
  Ready(0, /*credit=*/1);
  Add(1, Retried(3, seconds(1), "k"));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  Finish(0, running, /*fail=*/true);
  ASSERT_TRUE(ReportDone(0));
  ASSERT_EQ(State(1), TaskState::kQueued);
  ASSERT_EQ(scheduler().timers_waiting(), 1u);
  JoinId join = Join(EndEpoch());
  Add(2, Key("k"));
  EXPECT_EQ(State(1), TaskState::kCoalesced);
  EXPECT_THAT(sink_.StatesOf(1),
              ElementsAre(TaskState::kRunning, TaskState::kQueued,
                          TaskState::kCoalesced));
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  TimerFired(now_ + seconds(1));  // Its backoff would have ended.
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2));  // Task 1 never ran again.
  EXPECT_EQ(controls_[1]->attempts.load(), 1);
  EXPECT_TRUE(Answered(join));
  EXPECT_EQ(scheduler().keys_tracked(), 0u);
}

TEST_F(SchedulerTest, RetryOfATaskReplacedWhileRunningIsCoalesced) {
  Ready(0, /*credit=*/1);
  Add(1, Retried(3, seconds(1), "k"));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  Add(2, Key("k"));  // Task 1 is not interrupted.
  EXPECT_EQ(State(1), TaskState::kRunning);
  Finish(0, running, /*fail=*/true);  // Its retry is the older task now.
  EXPECT_EQ(State(1), TaskState::kCoalesced);
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2));
  EXPECT_EQ(scheduler().keys_tracked(), 0u);
}

// --- Deadlines. ---

TEST_F(SchedulerTest, QueuedTaskExpiresAtItsDeadline) {
  TimePoint deadline = now_ + milliseconds(50);
  Add(1, Deadline(deadline));
  JoinId join = Join(EndEpoch());
  ASSERT_THAT(armed_, ElementsAre(deadline));
  TimerFired(deadline - milliseconds(1));  // Early: harmless.
  EXPECT_EQ(State(1), TaskState::kQueued);
  TimerFired(deadline);
  EXPECT_EQ(State(1), TaskState::kExpired);
  EXPECT_THAT(sink_.StatesOf(1), ElementsAre(TaskState::kExpired));
  EXPECT_EQ(scheduler().queued(), 0u);
  EXPECT_EQ(scheduler().deadlines_tracked(), 0u);
  EXPECT_TRUE(Answered(join));
  Ready(0);
  EXPECT_EQ(Received(0), 0u);
}

TEST_F(SchedulerTest, TaskHandedOutUnclaimedExpiresAtItsDeadline) {
  Ready(0);
  Add(1);
  TimePoint deadline = now_ + milliseconds(50);
  Add(2, Deadline(deadline));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  ASSERT_EQ(running->control->id, 1u);
  TimerFired(deadline);
  EXPECT_EQ(State(2), TaskState::kExpired);
  EXPECT_EQ(scheduler().queued(), 0u);
  Finish(0, running);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(1));
  EXPECT_EQ(scheduler().deadlines_tracked(), 0u);
}

TEST_F(SchedulerTest, RunningTaskPastItsDeadlineIsAskedToStop) {
  Ready(0);
  TimePoint deadline = now_ + milliseconds(50);
  Add(1, Deadline(deadline));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  TimerFired(deadline);
  EXPECT_THAT(stopped_, ElementsAre(1));
  EXPECT_EQ(State(1), TaskState::kRunning);  // Not interrupted.
  EXPECT_TRUE(controls_[1]->stop_requested.load());
  Finish(0, running);
  EXPECT_TRUE(ReportDone(0));
  EXPECT_EQ(State(1), TaskState::kCompleted);
  EXPECT_EQ(scheduler().deadlines_tracked(), 0u);
}

// Defect 8: nothing is kept for tasks with deadlines once they ended, however
// they ended.
TEST_F(SchedulerTest, NoDeadlineIsTrackedOnceTheTasksEnded) {
  TimePoint late = now_ + hours(1);
  // Completed; failed; retried, then completed.
  Add(1, Deadline(late));
  Add(2, TaskOptions{.deadline = late});
  TaskOptions retried = Retried(2, milliseconds(10));
  retried.deadline = late;
  Add(3, retried);
  // Coalesced; cancelled elsewhere; cleared later; expired at the timer.
  Add(4, TaskOptions{.coalesce_key = "k", .deadline = late});
  Add(5, TaskOptions{.coalesce_key = "k", .deadline = late});
  Add(6, Deadline(late));
  TimePoint soon = now_ + milliseconds(5);
  Add(7, Deadline(soon));
  EXPECT_EQ(State(4), TaskState::kCoalesced);
  ASSERT_TRUE(lifecycle_.EndUnrun(controls_[6].get(), TaskState::kCancelled));
  scheduler().EndedElsewhere();
  Execute();
  Ready(0, /*credit=*/1);

  QueuedTask* task = StartNext(0);  // Task 1.
  ASSERT_NE(task, nullptr);
  Finish(0, task);
  ASSERT_TRUE(ReportDone(0));
  task = StartNext(0);  // Task 2.
  ASSERT_NE(task, nullptr);
  Finish(0, task, /*fail=*/true);
  ASSERT_TRUE(ReportDone(0));
  task = StartNext(0);  // Task 3, first attempt.
  ASSERT_NE(task, nullptr);
  Finish(0, task, /*fail=*/true);
  ASSERT_TRUE(ReportDone(0));
  TimerFired(soon);  // Task 7 expires.
  EXPECT_EQ(State(7), TaskState::kExpired);
  TimerFired(now_ + milliseconds(10));  // Task 3's retry is due.
  RunDry(0);                            // Task 5, then task 3 again.

  EXPECT_EQ(State(1), TaskState::kCompleted);
  EXPECT_EQ(State(2), TaskState::kFailed);
  EXPECT_EQ(State(3), TaskState::kCompleted);
  EXPECT_EQ(State(4), TaskState::kCoalesced);
  EXPECT_EQ(State(5), TaskState::kCompleted);
  EXPECT_EQ(State(6), TaskState::kCancelled);
  EXPECT_EQ(State(7), TaskState::kExpired);
  EXPECT_EQ(controls_[3]->attempts.load(), 2);
  EXPECT_EQ(scheduler().deadlines_tracked(), 0u);
  EXPECT_EQ(scheduler().keys_tracked(), 0u);
  EXPECT_EQ(scheduler().queued(), 0u);

  // Cleared, and expired while running (asked to stop), too.
  Add(8, Deadline(late));
  task = StartNext(0);
  ASSERT_NE(task, nullptr);
  Add(9, Deadline(late));
  EXPECT_EQ(scheduler().Clear(), 1u);
  EXPECT_EQ(State(9), TaskState::kCancelled);
  TimerFired(late);
  EXPECT_THAT(stopped_, ElementsAre(8));
  Finish(0, task);
  RunDry(0);
  EXPECT_EQ(State(8), TaskState::kCompleted);
  EXPECT_EQ(scheduler().deadlines_tracked(), 0u);
}

// --- Delays and backoffs. ---

TEST_F(SchedulerTest, DelayedTaskWaitsForItsTime) {
  Ready(0);
  TimePoint at = now_ + milliseconds(100);
  Add(1, {}, at);
  Add(2, {}, now_);  // Due already: ready at once.
  EXPECT_EQ(scheduler().timers_waiting(), 1u);
  EXPECT_EQ(scheduler().queued(), 2u);
  ASSERT_THAT(armed_, ElementsAre(at));
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2));
  TimerFired(at - milliseconds(1));  // Early: harmless.
  EXPECT_EQ(scheduler().timers_waiting(), 1u);
  EXPECT_EQ(Front(0), nullptr);
  TimerFired(at);
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2, 1));
}

TEST_F(SchedulerTest, DelayedTasksAreReleasedWhenTheTimerFiresLate) {
  Ready(0);
  Add(1, {}, now_ + milliseconds(20));
  Add(2, {}, now_ + milliseconds(10));
  Add(3, {}, now_ + hours(1));
  TimerFired(now_ + milliseconds(500));
  EXPECT_EQ(scheduler().timers_waiting(), 1u);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2, 1));  // Soonest first.
  EXPECT_EQ(State(3), TaskState::kQueued);
  ASSERT_FALSE(armed_.empty());
  EXPECT_EQ(armed_.back(), At(seconds(1)) + hours(1));
}

// Defect 5: "never" is no time to arm a timer for.
TEST_F(SchedulerTest, RunAtTheEndOfTimeArmsNoTimerAndIsCancelledByClose) {
  Ready(0);
  Add(1, {}, TimePoint::max());
  JoinId join = Join(EndEpoch());
  EXPECT_EQ(scheduler().timers_waiting(), 1u);
  EXPECT_FALSE(ArmedAnyTimer());
  TimerFired(At(hours(24 * 365 * 100)));
  EXPECT_EQ(State(1), TaskState::kQueued);
  EXPECT_EQ(Front(0), nullptr);
  EXPECT_FALSE(ArmedAnyTimer());
  EXPECT_FALSE(Answered(join));
  scheduler().Close();
  Execute();
  EXPECT_EQ(State(1), TaskState::kCancelled);
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  EXPECT_TRUE(Answered(join));
  EXPECT_THAT(ran_, IsEmpty());
}

TEST_F(SchedulerTest, BackoffOfTheLongestDurationSaturates) {
  Ready(0);
  Add(1, Retried(2, Clock::duration::max()));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  Finish(0, running, /*fail=*/true);
  ASSERT_TRUE(ReportDone(0));
  // The retry waits "forever": not at once, and with no timer armed.
  EXPECT_EQ(State(1), TaskState::kQueued);
  EXPECT_EQ(scheduler().timers_waiting(), 1u);
  EXPECT_EQ(scheduler().waiting(), 0u);
  EXPECT_EQ(Front(0), nullptr);
  EXPECT_FALSE(ArmedAnyTimer());
  TimerFired(At(hours(24 * 365 * 100)));
  EXPECT_EQ(Front(0), nullptr);
  EXPECT_EQ(controls_[1]->attempts.load(), 1);
  scheduler().Close();
  Execute();
  EXPECT_EQ(State(1), TaskState::kFailed);
}

TEST_F(SchedulerTest, RetryWaitsOutItsBackoffThenRuns) {
  Ready(0);
  Add(1, Retried(3, milliseconds(30)));
  QueuedTask* running = StartNext(0);
  ASSERT_NE(running, nullptr);
  TimePoint failed_at = now_;
  Finish(0, running, /*fail=*/true);
  ASSERT_TRUE(ReportDone(0));
  ASSERT_FALSE(armed_.empty());
  EXPECT_EQ(armed_.back(), failed_at + milliseconds(30));
  EXPECT_EQ(Front(0), nullptr);
  TimerFired(failed_at + milliseconds(30));
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(1));
  EXPECT_THAT(sink_.StatesOf(1),
              ElementsAre(TaskState::kRunning, TaskState::kQueued,
                          TaskState::kRunning, TaskState::kCompleted));
  EXPECT_EQ(controls_[1]->attempts.load(), 2);
}

// --- Clear, close, drop-oldest. ---

TEST_F(SchedulerTest, ClearCancelsEveryTaskNotStartedAndCountsThem) {
  Ready(0, /*credit=*/1);
  Add(1, Retried(2, seconds(1)));
  QueuedTask* task = StartNext(0);
  ASSERT_NE(task, nullptr);
  Finish(0, task, /*fail=*/true);  // Task 1 waits out its backoff.
  ASSERT_TRUE(ReportDone(0));
  Add(2, {}, now_ + hours(1));  // Delayed.
  Add(3);
  Add(4);
  PushPlain(5);
  Arrive();
  JoinId join = Join(EndEpoch());
  QueuedTask* running = StartNext(0);  // Task 3.
  ASSERT_NE(running, nullptr);
  ASSERT_EQ(running->control->id, 3u);
  // 1 (in backoff), 2 (delayed), 4 (handed out, unclaimed), 5 (plain).
  EXPECT_EQ(scheduler().Clear(), 4u);
  Execute();
  EXPECT_EQ(State(1), TaskState::kCancelled);
  EXPECT_EQ(State(2), TaskState::kCancelled);
  EXPECT_EQ(State(3), TaskState::kRunning);
  EXPECT_EQ(State(4), TaskState::kCancelled);
  EXPECT_EQ(scheduler().queued(), 0u);
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  EXPECT_FALSE(Answered(join));
  Finish(0, running);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(3));
  EXPECT_TRUE(Answered(join));
  EXPECT_EQ(scheduler().Clear(), 0u);
}

// What an endpoint holds but has not started is as queued as what waits
// here, and so is a retry whose message is still on its way.
TEST_F(SchedulerTest, ClearCancelsTasksClaimedButNotStartedAndRetriesOnTheWay) {
  Ready(0, /*credit=*/1);
  Push(1, Retried(2, seconds(1)));
  Push(2);
  Arrive();
  TaskBatchPtr batch = Front(0);
  ASSERT_NE(batch, nullptr);
  ASSERT_EQ(batch->size(), 2u);
  QueuedTask* first = StartNext(0);
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(Throw(0, first));  // Its retry message is not delivered yet.
  batch->MarkFinished(1);
  QueuedTask* second = batch->Claim();  // Claimed, about to start.
  ASSERT_NE(second, nullptr);
  ++endpoints_[0].claimed;
  JoinId join = Join(EndEpoch());

  EXPECT_EQ(scheduler().Clear(), 2u);
  Execute();
  EXPECT_EQ(State(1), TaskState::kCancelled);
  EXPECT_EQ(State(2), TaskState::kCancelled);
  EXPECT_FALSE(lifecycle_.Start(second->control.get(), 0, now_));
  batch->MarkFinished(2);
  scheduler().RetryArrived(first->control, first->epoch, now_);
  Execute();
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  EXPECT_FALSE(Answered(join));  // The batch is still out.
  ASSERT_TRUE(ReportDone(0));
  EXPECT_TRUE(Answered(join));
  EXPECT_TRUE(ran_.empty());
  EXPECT_THAT(sink_.StatesOf(1),
              ElementsAre(TaskState::kRunning, TaskState::kQueued,
                          TaskState::kCancelled));
  EXPECT_THAT(sink_.StatesOf(2), ElementsAre(TaskState::kCancelled));
}

TEST_F(SchedulerTest, CloseFailsRetriesInBackoffAndCancelsDelayedTasks) {
  Ready(0, /*credit=*/1);
  Add(1, Retried(2, seconds(1)));
  QueuedTask* task = StartNext(0);
  ASSERT_NE(task, nullptr);
  Finish(0, task, /*fail=*/true);
  ASSERT_TRUE(ReportDone(0));
  Add(2, {}, now_ + hours(1));
  scheduler().Pause();
  Add(3);  // Ready: still runs after Close.
  JoinId join = Join(EndEpoch());
  scheduler().Close();
  Execute();
  EXPECT_TRUE(scheduler().closing());
  EXPECT_FALSE(scheduler().paused());  // Shutdown waits for no resume.
  EXPECT_EQ(State(1), TaskState::kFailed);
  RecordingSink::Entry failed = sink_.LastOf(1);
  EXPECT_EQ(failed.from, TaskState::kQueued);
  EXPECT_EQ(failed.attempt, 1);
  EXPECT_THAT(failed.failure, HasSubstr("attempt failed"));
  EXPECT_EQ(State(2), TaskState::kCancelled);
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(3));
  EXPECT_TRUE(Answered(join));
}

TEST_F(SchedulerTest, AfterCloseDelayedArrivalsAreCancelledAndRetriesFail) {
  Ready(0);
  Add(1, Retried(2, seconds(1)));
  QueuedTask* task = StartNext(0);
  ASSERT_NE(task, nullptr);
  scheduler().Close();
  Execute();
  Add(2, {}, now_ + seconds(1));
  EXPECT_EQ(State(2), TaskState::kCancelled);
  Finish(0, task, /*fail=*/true);  // Its retry will not come.
  EXPECT_EQ(State(1), TaskState::kFailed);
  EXPECT_EQ(scheduler().timers_waiting(), 0u);
  RunDry(0);
  EXPECT_EQ(scheduler().queued(), 0u);
}

TEST_F(SchedulerTest, DropOldestDropsTheOldestOfTheLowestPriority) {
  Recreate(SchedulerOptions{.drop_oldest_beyond = 3});
  Add(1, Priority(0));
  Add(2, Priority(0));
  Add(3, Priority(-1));
  Add(4, Priority(-1));  // 4 > 3: the oldest of priority -1 goes.
  EXPECT_EQ(State(3), TaskState::kDropped);
  Add(5, Priority(1));
  EXPECT_EQ(State(4), TaskState::kDropped);
  Add(6, Priority(0));  // Priority 0 is the lowest now.
  EXPECT_EQ(State(1), TaskState::kDropped);
  EXPECT_THAT(sink_.StatesOf(1), ElementsAre(TaskState::kDropped));
  EXPECT_EQ(scheduler().queued(), 3u);
  Ready(0);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(5, 2, 6));
}

TEST_F(SchedulerTest, DropOldestAlsoTakesBackTasksHandedOutUnclaimed) {
  Recreate(SchedulerOptions{.drop_oldest_beyond = 2});
  Ready(0);
  Add(1);
  Add(2);                              // Handed out in a batch of its own.
  QueuedTask* running = StartNext(0);  // Task 1: not queued any more.
  ASSERT_NE(running, nullptr);
  Add(3);
  Add(4);  // Tasks 2, 3, 4 are queued: task 2 is taken back and goes.
  EXPECT_EQ(State(2), TaskState::kDropped);
  EXPECT_EQ(scheduler().queued(), 2u);
  Finish(0, running);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(1, 3, 4));
}

TEST_F(SchedulerTest, TasksEndedElsewhereAreTakenOut) {
  Add(1);
  Add(2);
  JoinId join = Join(EndEpoch());
  ASSERT_TRUE(lifecycle_.EndUnrun(controls_[1].get(), TaskState::kCancelled));
  scheduler().EndedElsewhere();
  Execute();
  EXPECT_EQ(scheduler().waiting(), 1u);
  Ready(0);
  RunDry(0);
  EXPECT_THAT(ran_, ElementsAre(2));
  EXPECT_TRUE(Answered(join));
}

}  // namespace
}  // namespace taskqueue::internal
