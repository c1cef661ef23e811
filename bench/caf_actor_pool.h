// CafActorPool: CAF's own actor_pool, the pool an actor programmer would
// reach for first: N worker actors behind one pool actor that forwards each
// message to the next worker, round robin. Each task is one CAF message.
//
// Workers are detached (a thread each), like taskqueue's, so a blocking task
// holds up its own thread only. The round robin is fixed at send time: a
// task sent to a busy worker waits for it even while others idle, which the
// long-then-short scenario shows. actor_pool has no join: PendingTasks.
#ifndef TASKQUEUE_BENCH_CAF_ACTOR_POOL_H_
#define TASKQUEUE_BENCH_CAF_ACTOR_POOL_H_

#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include "bench/pending_tasks.h"
#include "caf/actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/allowed_unsafe_message_type.hpp"

namespace taskqueue_bench {

// A task as a CAF message.
struct CafPoolTask {
  std::function<void()> run;
};

class CafActorPool {
 public:
  static constexpr std::string_view kName = "caf_actor_pool";
  // The mailboxes synchronize inside uninstrumented libcaf_core.so, so TSan
  // sees a task's memory written by the sender and read by a worker with
  // nothing in between. (taskqueue annotates that edge per receiver; a pool
  // picks the receiver inside CAF, out of our reach.)
  static constexpr bool kTsanClean = false;

  explicit CafActorPool(int num_workers);
  ~CafActorPool();

  CafActorPool(const CafActorPool&) = delete;
  CafActorPool& operator=(const CafActorPool&) = delete;

  template <class F>
  void add_task(F&& f) {
    pending_.Add();
    Send(CafPoolTask{std::forward<F>(f)});
  }

  void join() { pending_.AwaitZero(); }

 private:
  void Send(CafPoolTask task);

  PendingTasks pending_;
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  caf::actor pool_;
};

}  // namespace taskqueue_bench

// Closures cannot be serialized; these messages never leave the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue_bench::CafPoolTask)

#endif  // TASKQUEUE_BENCH_CAF_ACTOR_POOL_H_
