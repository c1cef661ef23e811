#include "actors/actor_backend.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "actors/message_handoff.h"
#include "actors/messages.h"
#include "actors/supervisor_actor.h"
#include "actors/worker_actor.h"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"
#include "caf/spawn_options.hpp"

namespace taskqueue::internal {
namespace {

std::unique_ptr<caf::actor_system_config> MakeConfig() {
  auto config = std::make_unique<caf::actor_system_config>();
  // Every actor of a queue is detached (a thread of its own), so CAF's
  // scheduler threads only idle; one is enough.
  config->set("scheduler.max-threads", size_t{1});
  return config;
}

}  // namespace

ActorBackend::ActorBackend(const QueueOptions& options)
    : config_(MakeConfig()),
      system_(std::make_unique<caf::actor_system>(*config_)),
      inbox_(std::make_shared<TaskInbox>()),
      counters_(std::make_shared<QueueCounters>(options.num_workers)) {
  auto context = std::make_shared<WorkerContext>(WorkerContext{
      .queue = this,
      .counters = counters_,
      .on_error = options.on_error ? options.on_error : PrintTaskFailure,
  });
  for (int32_t i = 0; i < options.num_workers; ++i) {
    workers_.push_back(system_->spawn<caf::detached>(
        worker_actor, i, std::shared_ptr<const WorkerContext>(context)));
  }
  supervisor_ =
      system_->spawn<caf::detached>(supervisor_actor, inbox_, workers_);
}

ActorBackend::~ActorBackend() {
  Shutdown();
  // Releases our handles before the actor system waits for every actor.
  workers_.clear();
  supervisor_ = nullptr;
}

bool ActorBackend::Add(Task task) {
  switch (inbox_->Push(std::move(task))) {
    case TaskInbox::PushResult::kClosed:
      return false;
    case TaskInbox::PushResult::kQueuedWakeSupervisor:
      HandOffTo(supervisor_);
      caf::anon_send(supervisor_, drain_atom::value);
      return true;
    case TaskInbox::PushResult::kQueued:
      return true;
  }
  return true;
}

JoinResult ActorBackend::Join() {
  AwaitEpoch(inbox_->EndEpoch());
  uint64_t failed = counters_->failed();
  absl::MutexLock lock(&join_mu_);
  JoinResult result;
  if (failed > failed_reported_) {
    result.failed = failed - failed_reported_;
    failed_reported_ = failed;
  }
  return result;
}

void ActorBackend::AwaitEpoch(uint64_t epoch) {
  caf::error error;
  {
    caf::scoped_actor self{*system_};
    HandOffTo(supervisor_);
    self->request(supervisor_, caf::infinite, join_atom::value, epoch)
        .receive([](caf::ok_atom) {},
                 [&error](caf::error& e) { error = std::move(e); });
    TakeOver(self.ptr());
  }
  // Shutdown() stops the supervisor only after every task has finished, so
  // once the inbox is closed a missing answer means there is nothing left to
  // wait for. Before that, the supervisor cannot be gone.
  if (error && !inbox_->closed()) {
    throw std::runtime_error("taskqueue: the supervisor actor failed: " +
                             system_->render(error));
  }
}

void ActorBackend::Shutdown() {
  absl::MutexLock lock(&shutdown_mu_);
  if (stopped_) return;
  AwaitEpoch(inbox_->Close());
  for (const auto& worker : workers_) {
    HandOffTo(worker);
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
  }
  HandOffTo(supervisor_);
  caf::anon_send_exit(supervisor_, caf::exit_reason::user_shutdown);
  stopped_ = true;
}

Stats ActorBackend::GetStats() const { return counters_->Snapshot(*inbox_); }

bool ActorBackend::OnOwnWorker() const { return RunningOnWorkerOf(this); }

}  // namespace taskqueue::internal
