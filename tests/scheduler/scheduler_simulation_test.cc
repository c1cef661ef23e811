// Deterministic simulation of the scheduler: a seeded driver plays producers,
// handles, endpoints (that claim, run, fail, stall, leave batches early and
// die) and the clock, and checks the queue's promises after every step:
//   * every task ends exactly once, and no attempt starts after its end;
//   * a join is answered only once every task of its epoch has ended, and
//     every join is answered once the queue is quiet;
//   * a drop-oldest queue holds no more ready tasks than its bound;
//   * no task starts while a task of higher priority waits;
//   * no task starts while paused;
//   * once everything ended, the scheduler keeps nothing for it.
// Events are generated from the seed up front, as data, so any run replays
// from its seed, and a failing run is shrunk to a short list of events that
// still fails; both are printed.
//
// TASKQUEUE_SIM_STEPS (total steps, default 1,000,000) makes a longer run;
// TASKQUEUE_SIM_SEED replays one seed.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_format.h"
#include "actors/lifecycle/task_lifecycle.h"
#include "actors/scheduler/scheduler.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

enum class Kind {
  kAdd,
  kClaim,
  kFinish,
  kBatchDone,
  kCancel,
  kPrune,
  kPause,
  kResume,
  kClear,
  kJoin,
  kForgetJoin,
  kTick,
  kKill,
  kRevive,
};

const char* KindName(Kind kind) {
  static const char* const kNames[] = {
      "add",    "claim", "finish", "batch_done",  "cancel", "prune", "pause",
      "resume", "clear", "join",   "forget_join", "tick",   "kill",  "revive"};
  return kNames[static_cast<int>(kind)];
}

// One step: what happens, and numbers that pick whom and how, read modulo
// whatever exists when the step runs, so a step stays meaningful when steps
// before it are removed.
struct Event {
  Kind kind;
  uint32_t a = 0, b = 0, c = 0, d = 0;
};

struct Config {
  int endpoints = 2;
  size_t credit = 2;
  size_t drop_bound = 0;  // 0: unbounded.
  size_t max_batch = 4;
  // The last this many endpoints are remote: they may be sent named tasks
  // only (one task in four is named).
  int remote_endpoints = 0;
  // A deliberate bug, to show that the checks can fail: the driver runs a
  // claimed task a second time.
  bool inject_double_run = false;
};

std::vector<Event> Generate(uint64_t seed, size_t steps) {
  std::mt19937_64 random(seed);
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(random() % n); };
  // Weights: mostly adds and endpoint work, some of everything else.
  static const std::pair<Kind, int> kWeights[] = {
      {Kind::kAdd, 20},       {Kind::kClaim, 25},     {Kind::kFinish, 20},
      {Kind::kBatchDone, 12}, {Kind::kCancel, 4},     {Kind::kPrune, 4},
      {Kind::kPause, 1},      {Kind::kResume, 2},     {Kind::kClear, 1},
      {Kind::kJoin, 3},       {Kind::kForgetJoin, 1}, {Kind::kTick, 6},
      {Kind::kKill, 1},       {Kind::kRevive, 2}};
  int total = 0;
  for (const auto& [kind, weight] : kWeights) total += weight;
  std::vector<Event> events;
  events.reserve(steps);
  for (size_t i = 0; i < steps; ++i) {
    int r = static_cast<int>(pick(total));
    Kind kind = Kind::kAdd;
    for (const auto& [k, weight] : kWeights) {
      if (r < weight) {
        kind = k;
        break;
      }
      r -= weight;
    }
    events.push_back(
        {kind, static_cast<uint32_t>(random()), static_cast<uint32_t>(random()),
         static_cast<uint32_t>(random()), static_cast<uint32_t>(random())});
  }
  return events;
}

class Simulation;

// Plain tasks have no control block: their closure tells the simulation when
// it runs, and its destruction when it was thrown away unrun.
class PlainToken {
 public:
  PlainToken(Simulation* sim, int id) : sim_(sim), id_(id) {}
  PlainToken(PlainToken&& other) noexcept
      : sim_(other.sim_), id_(std::exchange(other.id_, -1)) {}
  PlainToken& operator=(PlainToken&&) = delete;
  ~PlainToken();
  void Ran();

 private:
  Simulation* sim_;
  int id_;
};

struct TaskInfo {
  ControlRef control;  // Null for a plain task.
  uint64_t epoch = 0;
  int priority = 0;
  // Attempt k (1-based) throws when bit k - 1 is set.
  uint32_t fail_mask = 0;
  int starts = 0;
  int ends = 0;
  TaskState end = TaskState::kQueued;
};

struct Running {
  QueuedTask* task;
  int id;
};

struct SimEndpoint {
  bool live = false;
  std::deque<TaskBatchPtr> batches;
  size_t claimed = 0;  // Claims on batches.front().
  bool front_exhausted = false;
  std::optional<Running> running;
};

class Simulation : public LifecycleSink {
 public:
  Simulation(Config config, uint64_t seed)
      : config_(config),
        lifecycle_(*this),
        scheduler_(SchedulerOptions{.drop_oldest_beyond = config.drop_bound,
                                    .max_batch = config.max_batch,
                                    .seed = static_cast<uint32_t>(seed)},
                   lifecycle_),
        endpoints_(config.endpoints) {}

  // Runs `events`, then shuts down and drains. Returns the first broken
  // promise, with the index of the step that broke it.
  std::optional<std::string> Run(const std::vector<Event>& events,
                                 size_t* failed_at) {
    for (int e = 0; e < config_.endpoints; ++e) Revive(e);
    for (size_t i = 0; i < events.size(); ++i) {
      Step(events[i]);
      if (!error_.empty()) {
        *failed_at = i;
        return error_;
      }
    }
    Drain();
    *failed_at = events.size();
    if (!error_.empty()) return error_;
    return std::nullopt;
  }

  // A digest of everything that happened, to compare two runs.
  uint64_t trace() const { return trace_; }

  // --- LifecycleSink. ---
  void Record(const Transition& t) override {
    Mix(static_cast<uint64_t>(t.to) * 31 + (t.control ? t.control->id : 0));
    if (t.control == nullptr) return;  // Plain tasks report through tokens.
    TaskInfo& info = tasks_[t.control->id];
    if (t.to == TaskState::kRunning) {
      if (info.ends > 0)
        Fail("task %llu started after it ended", t.control->id);
      ++info.starts;
      return;
    }
    if (t.to == TaskState::kQueued) return;
    End(static_cast<int>(t.control->id), t.to);
  }
  bool wants_plain_queued() const override { return false; }

  void PlainRan(int id) {
    if (++plain_runs_[id] > 1) Fail("plain task %d ran twice", id);
    End(id, TaskState::kCompleted);
  }
  void PlainDiscarded(int id) {
    if (tasks_[id].ends == 0) End(id, TaskState::kCancelled);
  }

 private:
  // The format is checked against the arguments at compile time.
  template <class... Args>
  void Fail(const absl::FormatSpec<Args...>& format, Args... args) {
    if (!error_.empty()) return;
    error_ = absl::StrFormat(format, args...);
  }

  void Mix(uint64_t x) { trace_ = (trace_ ^ x) * 0x100000001b3ULL; }

  void End(int id, TaskState state) {
    TaskInfo& info = tasks_[id];
    if (++info.ends > 1) {
      Fail("task %d ended twice (%s, then %s)", id,
           std::string(TaskStateName(info.end)).c_str(),
           std::string(TaskStateName(state)).c_str());
      return;
    }
    info.end = state;
    auto it = unended_by_epoch_.find(info.epoch);
    if (--it->second == 0) unended_by_epoch_.erase(it);
  }

  Clock::time_point Now() const { return Clock::time_point() + now_; }

  void Step(const Event& ev) {
    Mix(static_cast<uint64_t>(ev.kind));
    switch (ev.kind) {
      case Kind::kAdd:
        Add(ev);
        break;
      case Kind::kClaim:
        Claim(ev.a % endpoints_.size());
        break;
      case Kind::kFinish:
        Finish(ev.a % endpoints_.size());
        break;
      case Kind::kBatchDone:
        BatchDone(ev.a % endpoints_.size(), ev.b % 4 == 0);
        break;
      case Kind::kCancel:
        Cancel(ev.a);
        break;
      case Kind::kPrune:
        if (prune_pending_) {
          prune_pending_ = false;
          scheduler_.EndedElsewhere();
        }
        break;
      case Kind::kPause:
        scheduler_.Pause();
        break;
      case Kind::kResume:
        scheduler_.Resume();
        break;
      case Kind::kClear:
        scheduler_.Clear();
        break;
      case Kind::kJoin: {
        JoinId id = next_join_++;
        joins_[id] = epoch_;
        scheduler_.Join(id, epoch_++);
        break;
      }
      case Kind::kForgetJoin:
        if (!joins_.empty()) {
          auto it = std::next(joins_.begin(), ev.a % joins_.size());
          scheduler_.ForgetJoin(it->first);
          joins_.erase(it);
        }
        break;
      case Kind::kTick:
        now_ += milliseconds(ev.a % 40);
        if (armed_ && *armed_ <= Now()) {
          armed_.reset();
          scheduler_.TimerFired(Now());
        }
        break;
      case Kind::kKill:
        Kill(ev.a % endpoints_.size());
        break;
      case Kind::kRevive:
        if (!endpoints_[ev.a % endpoints_.size()].live) {
          Revive(ev.a % endpoints_.size());
        }
        break;
    }
    Execute();
    CheckQuiet();
  }

  void Add(const Event& ev) {
    int id = static_cast<int>(tasks_.size());
    TaskInfo& info = tasks_.emplace_back();
    info.epoch = epoch_;
    ++unended_by_epoch_[epoch_];
    info.fail_mask = ev.d % 3 == 0 ? ev.d >> 8 : 0;
    std::vector<QueuedTask> arrivals;
    if (ev.a % 5 == 0) {  // A plain add_task.
      arrivals.push_back(
          {[token = PlainToken(this, id)]() mutable { token.Ran(); }, epoch_});
    } else {
      ControlRef control = ControlRef::Make();
      control->id = id;
      TaskOptions& o = control->options;
      o.priority = static_cast<int>(ev.a >> 4) % 4 - 1;
      if (ev.b % 3 == 0) o.coalesce_key = "k" + std::to_string(ev.b % 7);
      if (ev.c % 4 == 0) o.deadline = Now() + milliseconds(ev.c % 120);
      if (ev.c % 5 == 1) control->run_at = Now() + milliseconds(ev.c % 60);
      if (ev.c % 97 == 2) control->run_at = Clock::time_point::max();
      o.max_attempts = 1 + static_cast<int>(ev.d % 3);
      o.backoff = Backoff{.initial_delay = milliseconds(5),
                          .max_delay = milliseconds(40),
                          .jitter = 0.5};
      if (o.max_attempts > 1) {
        control->make_attempt = [] { return Attempt([] {}); };
      }
      if (ev.b % 4 == 1) control->remote = std::make_unique<RemoteCall>();
      info.priority = o.priority;
      info.control = control;
      arrivals.push_back({[] {}, epoch_, std::move(control)});
    }
    scheduler_.TasksArrived(arrivals, Now());
    Execute();
    // Drop-oldest: at most the bound stays, unless only tasks that are
    // never dropped (delayed, in backoff) are left.
    if (config_.drop_bound > 0 && scheduler_.queued() > config_.drop_bound &&
        scheduler_.waiting() > 0) {
      Fail("%zu tasks queued, above the bound of %zu", scheduler_.queued(),
           config_.drop_bound);
    }
  }

  void Claim(size_t e) {
    SimEndpoint& ep = endpoints_[e];
    if (!ep.live || ep.batches.empty() || ep.running) return;
    QueuedTask* task = ep.batches.front()->Claim();
    if (task == nullptr) {
      ep.front_exhausted = true;
      return;
    }
    ++ep.claimed;
    if (scheduler_.paused()) Fail("a task was claimed while paused");
    TaskControl* control = task->control.get();
    int priority = control ? control->options.priority : 0;
    bool started = lifecycle_.Start(control, static_cast<int>(e), Now());
    // A remote endpoint is measured against the tasks it could have run.
    bool remote = IsRemote(e);
    if (started &&
        (remote ? scheduler_.waiting_portable() > 0
                : scheduler_.waiting() > 0) &&
        (remote ? scheduler_.top_waiting_portable_priority()
                : scheduler_.top_waiting_priority()) > priority) {
      Fail("a task of priority %d started while one of priority %d waits",
           priority, scheduler_.top_waiting_priority());
    }
    if (!started) {
      ep.batches.front()->MarkFinished(ep.claimed);
      return;
    }
    ep.running = Running{task, control ? static_cast<int>(control->id) : -1};
  }

  void Finish(size_t e) {
    SimEndpoint& ep = endpoints_[e];
    if (!ep.running) return;
    QueuedTask& task = *ep.running->task;
    TaskControl* control = task.control.get();
    if (control == nullptr) {
      std::move(task.attempt)();
      if (config_.inject_double_run && task.attempt) std::move(task.attempt)();
      lifecycle_.Complete(nullptr, static_cast<int>(e), Now());
    } else {
      TaskInfo& info = tasks_[control->id];
      if (config_.inject_double_run && info.starts == 1) ++info.ends;
      int attempt = control->attempts.load();
      if (info.fail_mask & (1u << (attempt - 1))) {
        TaskFailure failure;
        failure.description = "simulated";
        failure.exception =
            std::make_exception_ptr(std::runtime_error("simulated"));
        if (lifecycle_.AttemptFailed(control, static_cast<int>(e), failure,
                                     Now())) {
          scheduler_.RetryArrived(task.control, task.epoch, Now());
        }
      } else {
        lifecycle_.Complete(control, static_cast<int>(e), Now());
      }
    }
    ep.batches.front()->MarkFinished(ep.claimed);
    ep.running.reset();
  }

  void BatchDone(size_t e, bool leave_early) {
    SimEndpoint& ep = endpoints_[e];
    if (!ep.live || ep.batches.empty() || ep.running) return;
    if (!ep.front_exhausted && !leave_early) return;
    if (!scheduler_.BatchDone(static_cast<EndpointId>(e),
                              ep.batches.front()->sequence(), ep.claimed)) {
      Fail("endpoint %zu's report of its oldest batch was refused", e);
    }
    ep.batches.pop_front();
    ep.claimed = 0;
    ep.front_exhausted = false;
  }

  void Cancel(uint32_t pick) {
    if (tasks_.empty()) return;
    TaskInfo& info = tasks_[pick % tasks_.size()];
    if (!info.control) return;
    // As TaskHandle::cancel(): end it if queued, else ask it to stop.
    if (lifecycle_.EndUnrun(info.control.get(), TaskState::kCancelled)) {
      prune_pending_ = true;
      return;
    }
    info.control->RequestStop();
    if (lifecycle_.EndUnrun(info.control.get(), TaskState::kCancelled)) {
      prune_pending_ = true;
    }
  }

  void Kill(size_t e) {
    SimEndpoint& ep = endpoints_[e];
    if (!ep.live) return;
    ep = SimEndpoint();
    scheduler_.EndpointLost(static_cast<EndpointId>(e), Now());
  }

  bool IsRemote(size_t e) const {
    return static_cast<int>(e) >= config_.endpoints - config_.remote_endpoints;
  }

  void Revive(size_t e) {
    endpoints_[e].live = true;
    scheduler_.EndpointReady(
        static_cast<EndpointId>(e), config_.credit,
        IsRemote(e) ? EndpointKind::kRemote : EndpointKind::kLocal);
    Execute();
  }

  void Execute() {
    auto& commands = scheduler_.commands();
    for (size_t i = 0; i < commands.size(); ++i) {
      std::visit([this](auto& c) { Handle(c); }, commands[i]);
    }
    commands.clear();
  }

  void Handle(SendBatch& c) {
    Mix(c.batch->size());
    SimEndpoint& ep = endpoints_.at(c.endpoint);
    if (!ep.live) Fail("a batch went to dead endpoint %d", c.endpoint);
    if (scheduler_.paused()) Fail("a batch was sent while paused");
    if (IsRemote(c.endpoint)) {
      for (size_t i = 0; i < c.batch->size(); ++i) {
        if (!c.batch->at(i).portable()) {
          Fail("a closure went to remote endpoint %d", c.endpoint);
        }
      }
    }
    ep.batches.push_back(std::move(c.batch));
  }
  void Handle(AnswerJoin& c) {
    auto it = joins_.find(c.join);
    if (it == joins_.end()) {
      Fail("join %llu answered, but it was not waiting",
           static_cast<unsigned long long>(c.join));
      return;
    }
    if (!unended_by_epoch_.empty() &&
        unended_by_epoch_.begin()->first <= it->second) {
      Fail("join for epoch %llu answered while a task of epoch %llu runs",
           static_cast<unsigned long long>(it->second),
           static_cast<unsigned long long>(unended_by_epoch_.begin()->first));
    }
    joins_.erase(it);
  }
  void Handle(ArmTimer& c) {
    if (!armed_ || c.at < *armed_) armed_ = c.at;
  }
  void Handle(StopRunning& c) { c.task->RequestStop(); }

  // Once nothing is in flight (no batch out, no prune owed), every join
  // whose tasks all ended must have been answered.
  void CheckQuiet() {
    if (prune_pending_ || joins_.empty()) return;
    for (const SimEndpoint& ep : endpoints_) {
      if (!ep.batches.empty()) return;
    }
    uint64_t oldest_unended = unended_by_epoch_.empty()
                                  ? UINT64_MAX
                                  : unended_by_epoch_.begin()->first;
    for (const auto& [id, epoch] : joins_) {
      if (epoch < oldest_unended) {
        Fail("join for epoch %llu not answered, though its tasks all ended",
             static_cast<unsigned long long>(epoch));
      }
    }
  }

  // Shutdown, then the endpoints run everything that is left.
  void Drain() {
    if (!error_.empty()) return;
    if (prune_pending_) scheduler_.EndedElsewhere();
    prune_pending_ = false;
    scheduler_.Close();
    Execute();
    for (size_t e = 0; e < endpoints_.size(); ++e) {
      if (!endpoints_[e].live) Revive(e);
    }
    bool busy = true;
    for (int round = 0; busy && round < 100000 && error_.empty(); ++round) {
      busy = false;
      for (size_t e = 0; e < endpoints_.size(); ++e) {
        SimEndpoint& ep = endpoints_[e];
        if (ep.running) {
          Finish(e);
          busy = true;
        }
        // As a worker thread does: claim at once, report when out of tasks.
        while (!ep.running && !ep.batches.empty() && error_.empty()) {
          Claim(e);
          BatchDone(e, false);
          Execute();
          busy = true;
        }
        Execute();
      }
    }
    if (busy) Fail("the endpoints never ran out of work after shutdown");
    CheckQuiet();
    for (size_t id = 0; id < tasks_.size() && error_.empty(); ++id) {
      if (tasks_[id].ends != 1) {
        Fail("task %zu ended %d times", id, tasks_[id].ends);
      }
    }
    if (!joins_.empty()) Fail("%zu joins never answered", joins_.size());
    if (scheduler_.queued() != 0 || scheduler_.deadlines_tracked() != 0 ||
        scheduler_.keys_tracked() != 0 || scheduler_.joins_waiting() != 0 ||
        scheduler_.timers_waiting() != 0) {
      Fail(
          "after the end the scheduler still holds %zu queued, %zu "
          "deadlines, %zu keys, %zu joins, %zu timers",
          scheduler_.queued(), scheduler_.deadlines_tracked(),
          scheduler_.keys_tracked(), scheduler_.joins_waiting(),
          scheduler_.timers_waiting());
    }
  }

  Config config_;
  // Before the scheduler and the endpoints, which hold plain tasks whose
  // destruction reports here.
  std::deque<TaskInfo> tasks_;
  std::map<int, int> plain_runs_;
  std::map<uint64_t, int> unended_by_epoch_;
  std::string error_;
  TaskLifecycle lifecycle_;
  Scheduler scheduler_;
  std::vector<SimEndpoint> endpoints_;
  std::map<JoinId, uint64_t> joins_;
  JoinId next_join_ = 1;
  uint64_t epoch_ = 0;
  Clock::duration now_{milliseconds(1000)};
  std::optional<Clock::time_point> armed_;
  bool prune_pending_ = false;
  uint64_t trace_ = 0xcbf29ce484222325ULL;
};

PlainToken::~PlainToken() {
  if (id_ >= 0) sim_->PlainDiscarded(id_);
}
void PlainToken::Ran() {
  sim_->PlainRan(id_);
  id_ = -1;
}

struct Outcome {
  std::optional<std::string> error;
  size_t failed_at = 0;
  uint64_t trace = 0;
};

Outcome RunOnce(const Config& config, uint64_t seed,
                const std::vector<Event>& events) {
  Simulation sim(config, seed);
  Outcome outcome;
  outcome.error = sim.Run(events, &outcome.failed_at);
  outcome.trace = sim.trace();
  return outcome;
}

// Removes events while the run still fails, chunks first, then one by one;
// bounded in runs. Returns the shortest failing list it found.
std::vector<Event> Shrink(const Config& config, uint64_t seed,
                          std::vector<Event> events) {
  size_t failed_at = RunOnce(config, seed, events).failed_at;
  events.resize(std::min(events.size(), failed_at + 1));
  int runs = 0;
  for (size_t chunk = std::max<size_t>(events.size() / 2, 1);
       chunk >= 1 && runs < 3000; chunk /= 2) {
    for (size_t begin = 0; begin < events.size() && runs < 3000;) {
      std::vector<Event> candidate = events;
      candidate.erase(
          candidate.begin() + begin,
          candidate.begin() + std::min(candidate.size(), begin + chunk));
      ++runs;
      if (RunOnce(config, seed, candidate).error) {
        events = std::move(candidate);
      } else {
        begin += chunk;
      }
    }
    if (chunk == 1) break;
  }
  return events;
}

std::string Describe(const std::vector<Event>& events) {
  std::ostringstream out;
  for (const Event& e : events) {
    out << "  " << KindName(e.kind) << "(" << e.a << ", " << e.b << ", " << e.c
        << ", " << e.d << ")\n";
  }
  return out.str();
}

// Runs `seed`; on failure, the seed, the broken promise and the shrunk
// events, as a test failure message.
std::optional<std::string> Check(const Config& config, uint64_t seed,
                                 size_t steps) {
  std::vector<Event> events = Generate(seed, steps);
  Outcome outcome = RunOnce(config, seed, events);
  if (!outcome.error) return std::nullopt;
  std::vector<Event> shrunk = Shrink(config, seed, events);
  Outcome replay = RunOnce(config, seed, shrunk);
  std::ostringstream out;
  out << "seed " << seed << " (replay: TASKQUEUE_SIM_SEED=" << seed
      << "): step " << outcome.failed_at << ": " << *outcome.error << "\n"
      << "shortest failing run found (" << shrunk.size()
      << " events): " << replay.error.value_or("?") << "\n"
      << Describe(shrunk);
  return out.str();
}

size_t EnvOr(const char* name, size_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
}

// Queue shapes: endpoints and credit, bounded or not, batch sizes.
std::vector<Config> Shapes() {
  return {
      {.endpoints = 1, .credit = 1, .max_batch = 1},
      {.endpoints = 2, .credit = 2, .max_batch = 4},
      {.endpoints = 3, .credit = 2, .drop_bound = 5, .max_batch = 3},
      {.endpoints = 4, .credit = 3, .max_batch = 128},
      {.endpoints = 3, .credit = 2, .max_batch = 4, .remote_endpoints = 2},
  };
}

TEST(SchedulerSimulationTest, EveryPromiseHoldsOverAMillionRandomSteps) {
  constexpr size_t kStepsPerRun = 2000;
  const size_t total = EnvOr("TASKQUEUE_SIM_STEPS", 1000000);
  const std::vector<Config> shapes = Shapes();
  if (const char* seed = std::getenv("TASKQUEUE_SIM_SEED")) {
    uint64_t s = std::strtoull(seed, nullptr, 10);
    auto failure = Check(shapes[s % shapes.size()], s, kStepsPerRun);
    EXPECT_FALSE(failure) << *failure;
    return;
  }
  size_t runs = (total + kStepsPerRun - 1) / kStepsPerRun;
  for (uint64_t seed = 1; seed <= runs; ++seed) {
    auto failure = Check(shapes[seed % shapes.size()], seed, kStepsPerRun);
    ASSERT_FALSE(failure) << *failure;
  }
}

TEST(SchedulerSimulationTest, TheSameSeedReplaysTheSameRun) {
  for (uint64_t seed : {7, 8, 9}) {
    Config config = Shapes()[seed % Shapes().size()];
    std::vector<Event> events = Generate(seed, 3000);
    Outcome first = RunOnce(config, seed, events);
    Outcome second = RunOnce(config, seed, events);
    EXPECT_FALSE(first.error) << *first.error;
    EXPECT_EQ(first.trace, second.trace);
  }
}

// The checks are not vacuous: a driver that runs a task twice is caught,
// and the failure shrinks to a handful of events.
TEST(SchedulerSimulationTest, ADoubleRunIsCaughtAndShrunk) {
  Config config = Shapes()[1];
  config.inject_double_run = true;
  std::vector<Event> events = Generate(3, 2000);
  ASSERT_TRUE(RunOnce(config, 3, events).error);
  std::vector<Event> shrunk = Shrink(config, 3, events);
  Outcome replay = RunOnce(config, 3, shrunk);
  ASSERT_TRUE(replay.error);
  EXPECT_NE(replay.error->find("twice"), std::string::npos) << *replay.error;
  EXPECT_LE(shrunk.size(), 10u) << Describe(shrunk);
}

}  // namespace
}  // namespace taskqueue::internal
