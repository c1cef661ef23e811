#include "bench/caf_actor_pool.h"

#include "caf/actor_pool.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_execution_unit.hpp"
#include "caf/send.hpp"
#include "caf/spawn_options.hpp"

namespace taskqueue_bench {
namespace {

caf::behavior PoolWorker(caf::event_based_actor*, PendingTasks* pending) {
  return {
      [pending](const CafPoolTask& task) {
        task.run();
        pending->Done();
      },
  };
}

std::unique_ptr<caf::actor_system_config> MakeConfig() {
  auto config = std::make_unique<caf::actor_system_config>();
  // The workers are detached, so CAF's scheduler threads only idle (polling,
  // with sleeps); one is enough. taskqueue's backend does the same.
  config->set("scheduler.max-threads", size_t{1});
  return config;
}

}  // namespace

CafActorPool::CafActorPool(int num_workers)
    : config_(MakeConfig()),
      system_(std::make_unique<caf::actor_system>(*config_)) {
  caf::scoped_execution_unit context(system_.get());
  pool_ = caf::actor_pool::make(
      &context, static_cast<size_t>(num_workers),
      [this] { return system_->spawn<caf::detached>(PoolWorker, &pending_); },
      caf::actor_pool::round_robin());
}

CafActorPool::~CafActorPool() {
  join();
  // The pool sends its workers the exit message too.
  caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
  pool_ = nullptr;
  system_.reset();  // Waits for every actor to be gone.
}

void CafActorPool::Send(CafPoolTask task) {
  caf::anon_send(pool_, std::move(task));
}

}  // namespace taskqueue_bench
