// How every actor system of taskqueue (a queue's, a worker node's, a queue
// server's front, a client's) runs CAF's scheduler: one thread, which
// sleeps when there is nothing to do.
//
// One is enough: the actors that do work (workers, the supervisor, a node's
// slots) are detached, threads of their own; the scheduled ones only route
// messages (gateways, proxies, a server's front, a client's requests). And
// it must sleep: the default work-stealing policy polls its queue every
// ~100 us for the first ~60 ms after any job, which keeps an idle process's
// CPU awake (1% of a core). The sharing policy waits on a condition
// variable, whose mutex also shows ThreadSanitizer the order between an
// actor's spawn and its start, which the work-stealing queues (atomics in
// the uninstrumented libcaf_core.so) hide from it.
#ifndef TASKQUEUE_ACTORS_SLEEPING_SCHEDULER_H_
#define TASKQUEUE_ACTORS_SLEEPING_SCHEDULER_H_

#include <cstddef>

#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"

namespace taskqueue::internal {

// Call before the actor system is made from `config`.
inline void UseSleepingScheduler(caf::actor_system_config& config) {
  config.set("scheduler.max-threads", size_t{1});
  config.set("scheduler.policy", caf::atom("sharing"));
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SLEEPING_SCHEDULER_H_
