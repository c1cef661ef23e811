// ActorBackend: the actor system behind one TaskQueue. It owns a CAF actor
// system, the supervisor and worker actors, and the inbox they share, and
// turns the TaskQueue calls into their messages. CAF stays behind this class:
// its errors are translated here, and nothing of it reaches the public
// headers.
//
// Thread-safe: every method may be called from any thread.
#ifndef TASKQUEUE_ACTORS_ACTOR_BACKEND_H_
#define TASKQUEUE_ACTORS_ACTOR_BACKEND_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/admission.h"
#include "actors/lifecycle/task_lifecycle.h"
#include "actors/lifecycle_reporter.h"
#include "actors/queue_counters.h"
#include "actors/remote/transport_security.h"
#include "actors/task_inbox.h"
#include "caf/actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "taskqueue/join_result.h"
#include "taskqueue/queue_options.h"
#include "taskqueue/stats.h"
#include "taskqueue/task.h"
#include "taskqueue/task_control.h"

namespace taskqueue::internal {

class ActorBackend {
 public:
  using Clock = std::chrono::steady_clock;

  // Spawns the actors. `options.num_workers` must be valid already.
  explicit ActorBackend(const QueueOptions& options);
  // Shutdown(), then waits for the actors to exit.
  ~ActorBackend();

  // Queue a plain task / a task with a control block. Return false, without
  // taking the task, once Shutdown() has begun; throw QueueFullError when a
  // bounded queue refuses it. May block (OverflowPolicy::kBlock).
  bool Add(Attempt attempt);
  bool AddControlled(ControlRef control, Attempt attempt);

  // What a new control block links to (task_control.h).
  std::weak_ptr<QueueLink> link() const;

  // Blocks until everything added before the call has ended, or `deadline`.
  JoinResult Join(std::optional<Clock::time_point> deadline = std::nullopt);

  // Each waits for the supervisor to carry it out (at once when called from
  // a callback on the supervisor's thread). Once shutdown has begun they do
  // nothing: Clear() returns 0 and paused() is false.
  void Pause();
  void Resume();
  bool paused() const {
    return !closing_.load(std::memory_order_acquire) &&
           paused_->load(std::memory_order_acquire);
  }
  size_t Clear();

  // Refuses further tasks, waits for every accepted one, stops the actors.
  void Shutdown();

  Stats GetStats() const;
  std::string WorkerName(int worker) const {
    return counters_->EndpointName(worker);
  }

  // Whether the calling thread is running one of this queue's tasks, or one
  // of its callbacks on the supervisor's thread: a join there would wait for
  // itself.
  bool OnOwnWorker() const;

  int num_workers() const { return num_workers_; }

  // Where worker nodes connect (QueueOptions::listen); 0 when not listening.
  uint16_t listening_port() const { return port_; }

  // Kills worker `index`'s actor, as a crash would: the supervisor must
  // replace it. For tests of supervision only.
  void KillWorkerForTesting(int index);

 private:
  class Link;
  struct WorkerHandles {
    absl::Mutex mu;
    std::vector<caf::actor> handles ABSL_GUARDED_BY(mu);
  };

  // Publishes the gateway on `listen`'s address. Throws std::runtime_error.
  void Listen(const ListenOptions& listen);
  // Shutdown(), then waits for the actors to exit.
  void StopActors();
  // Throws when the task cannot run here: a closure on a queue without
  // local workers, a named task that a listening queue's registry lacks.
  void CheckRunnable(const TaskControl* control) const;
  // Counts the task in against the bound: throws QueueFullError when refused;
  // false when closed.
  bool Admit();
  bool Push(Attempt&& attempt, ControlRef&& control);
  // Reports the task as queued (OnQueued, its name's count), then pushes it:
  // one step as far as Shutdown() is concerned, so that a task is reported
  // if and only if it is pushed. False, reporting nothing, once closed.
  bool ReportAndPush(Attempt&& attempt, ControlRef&& control);
  // Blocks until every task of epoch <= `epoch` has ended, or `deadline`.
  // Returns whether they all ended.
  bool AwaitEpoch(uint64_t epoch, std::optional<Clock::time_point> deadline);
  // The same, answered by the supervisor only.
  bool AskSupervisorToJoin(uint64_t epoch,
                           std::optional<Clock::time_point> deadline);
  // Every task added so far has ended and had its callbacks run.
  bool AllSettled() const;
  // How long a join watches the counters before it asks the supervisor:
  // about one round trip through two awake actors on a 2-core machine.
  static constexpr Clock::duration kJoinSpin = std::chrono::microseconds(50);
  // A join watches only within this long of the previous join's end. See
  // AwaitEpoch.
  static constexpr Clock::duration kJoinSpinWindow =
      std::chrono::milliseconds(1);
  // Sends `message...` plus a reply to the supervisor and waits for it.
  // Returns false, having waited for nothing, once the supervisor is gone.
  template <class Result, class... Ts>
  bool Ask(Result* result, Ts... message);

  const int num_workers_;
  const bool record_timings_;
  // A listening queue's: checked before anything starts.
  const std::optional<TransportSecurity> transport_;
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  // Actor threads the system started for itself before we spawned any.
  size_t system_threads_ = 0;
  std::shared_ptr<TaskInbox> inbox_;
  std::shared_ptr<QueueCounters> counters_;
  std::shared_ptr<Admission> admission_;
  std::shared_ptr<LifecycleReporter> reporter_;
  std::shared_ptr<TaskLifecycle> lifecycle_;
  std::shared_ptr<std::atomic<bool>> prune_requested_;
  // Written by the supervisor only (the scheduler's paused()).
  std::shared_ptr<std::atomic<bool>> paused_;
  // No producer-side bound, observer or timings: a plain add_task goes
  // straight to the inbox, which is all the three-line user pays for.
  const bool plain_;
  std::shared_ptr<WorkerHandles> workers_;
  caf::actor supervisor_;
  // Listening queues only.
  caf::actor gateway_;
  std::map<std::string, std::string> listen_tasks_;
  uint16_t port_ = 0;
  std::shared_ptr<Link> link_;
  std::atomic<uint64_t> next_join_{1};
  // When the latest join returned, as Clock::time_point's count.
  std::atomic<Clock::rep> last_join_end_{0};
  // Shutdown has begun: pause, resume and clear do nothing from then on.
  std::atomic<bool> closing_{false};
  // Shutdown has stopped the actors.
  std::atomic<bool> stopped_{false};

  // Producers between reporting a task and pushing it. Shutdown() closes
  // the gate and waits for them before it closes the inbox.
  absl::Mutex report_mu_;
  int reporting_ ABSL_GUARDED_BY(report_mu_) = 0;
  bool report_closed_ ABSL_GUARDED_BY(report_mu_) = false;

  absl::Mutex join_mu_;
  uint64_t failed_reported_ ABSL_GUARDED_BY(join_mu_) = 0;

  absl::Mutex shutdown_mu_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_ACTOR_BACKEND_H_
