// ActorBackend: the actor system behind one TaskQueue. It owns a CAF actor
// system, the supervisor and worker actors, and the inbox they share, and
// turns the TaskQueue calls into their messages. CAF stays behind this class:
// its errors are translated here, and nothing of it reaches the public
// headers.
//
// Thread-safe: every method may be called from any thread.
#ifndef TASKQUEUE_ACTORS_ACTOR_BACKEND_H_
#define TASKQUEUE_ACTORS_ACTOR_BACKEND_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/queue_counters.h"
#include "actors/task_inbox.h"
#include "caf/actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "taskqueue/join_result.h"
#include "taskqueue/queue_options.h"
#include "taskqueue/stats.h"
#include "taskqueue/task.h"

namespace taskqueue::internal {

class ActorBackend {
 public:
  // Spawns the actors. `options.num_workers` must be valid already.
  explicit ActorBackend(const QueueOptions& options);
  // Shutdown(), then waits for the actors to exit.
  ~ActorBackend();

  // Returns false, without taking the task, once Shutdown() has begun.
  bool Add(Task task);

  // Blocks until everything added before the call has finished.
  JoinResult Join();

  // Refuses further tasks, waits for every accepted one, stops the actors.
  void Shutdown();

  Stats GetStats() const;

  // Whether the calling thread is running one of this queue's tasks.
  bool OnOwnWorker() const;

  int num_workers() const { return static_cast<int>(workers_.size()); }

 private:
  // Blocks until every task of epoch <= `epoch` has finished.
  void AwaitEpoch(uint64_t epoch);

  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  std::shared_ptr<TaskInbox> inbox_;
  std::shared_ptr<QueueCounters> counters_;
  std::vector<caf::actor> workers_;
  caf::actor supervisor_;

  absl::Mutex join_mu_;
  uint64_t failed_reported_ ABSL_GUARDED_BY(join_mu_) = 0;

  absl::Mutex shutdown_mu_;
  bool stopped_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_ACTOR_BACKEND_H_
