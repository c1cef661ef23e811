// The supervisor actor: the queue's mailbox. It routes: each message becomes
// an event of the Scheduler (actors/scheduler/scheduler.h), which decides
// everything, and each command the scheduler returns becomes a message (a
// batch to a worker, a timer to itself) or a reply to a waiting caller. It
// also supervises: a worker that dies is reported to the scheduler as a lost
// endpoint and replaced at the same index. A listening queue's worker nodes
// are endpoints too, each through a proxy actor the supervisor spawns when
// the gateway lets a node in, and reports lost when it exits (the node
// left, died or hung); a node that comes back is a new endpoint.
//
// User callbacks that the scheduler's decisions cause (TaskObserver hooks,
// on_error) run on the supervisor's thread after the scheduler has decided,
// before joins are answered (lifecycle_reporter.h). From there pause(),
// resume() and clear() are carried out at once, on this thread
// (SupervisorOnThisThread), instead of waiting for a reply only this thread
// could send.
//
// Spawn it detached in production, so a join or a finished batch wakes it at
// once (CAF's scheduler threads poll with sleeps when idle).
#ifndef TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_
#define TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "actors/lifecycle/task_lifecycle.h"
#include "actors/messages.h"
#include "actors/queue_counters.h"
#include "actors/remote/node_handshake.h"
#include "actors/scheduler/scheduler.h"
#include "actors/task_inbox.h"
#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

namespace taskqueue::internal {

// What the supervisor works with.
struct SupervisorContext {
  // Identifies the queue, for SupervisorOnThisThread.
  const void* queue = nullptr;
  std::shared_ptr<TaskInbox> inbox;
  std::shared_ptr<TaskLifecycle> lifecycle;
  std::shared_ptr<QueueCounters> counters;
  SchedulerOptions scheduler;
  int num_workers = 1;
  // Spawns worker `index`, which announces itself to `supervisor` (the
  // first time, and again after the previous one died).
  std::function<caf::actor(int32_t index, caf::actor supervisor)> spawn_worker;
  // Worker nodes (a listening queue only): endpoints num_workers and up,
  // one a node, at most `max_nodes` at a time. Spawns the proxy that is
  // `endpoint` for `node` (node_proxy_actor.h), with room for `slots`.
  int max_nodes = 0;
  std::function<caf::actor(int32_t endpoint, caf::actor node, uint32_t slots,
                           caf::actor supervisor)>
      spawn_proxy;
  // Told about each node turned away here (ListenOptions::on_refused).
  RefusalHook on_refused;
  // Set by whoever sends a prune_atom, cleared by the supervisor before it
  // prunes: many cancels in a row cost one prune.
  std::shared_ptr<std::atomic<bool>> prune_requested;
  // The scheduler's paused(), published after every event; written here
  // only.
  std::shared_ptr<std::atomic<bool>> paused;
};

class Supervisor;

struct SupervisorState {
  static inline const char* name = "taskqueue.supervisor";
  SupervisorState();
  ~SupervisorState();  // Where Supervisor is complete.
  std::unique_ptr<Supervisor> supervisor;
};

caf::behavior supervisor_actor(caf::stateful_actor<SupervisorState>* self,
                               SupervisorContext context);

// Calls made on the supervisor's own thread (from a callback it runs),
// carried out at once. Null unless the calling thread is running the
// supervisor of `queue`.
class InlineCalls {
 public:
  virtual ~InlineCalls() = default;
  virtual void Pause() = 0;
  virtual void Resume() = 0;
  virtual size_t Clear() = 0;
};
InlineCalls* SupervisorOnThisThread(const void* queue);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SUPERVISOR_ACTOR_H_
