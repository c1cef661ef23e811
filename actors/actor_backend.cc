#include "actors/actor_backend.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "actors/message_handoff.h"
#include "actors/messages.h"
#include "actors/remote/connection_watch.h"
#include "actors/remote/gateway_actor.h"
#include "actors/remote/node_proxy_actor.h"
#include "actors/sleeping_scheduler.h"
#include "actors/spin_wait.h"
#include "actors/supervisor_actor.h"
#include "actors/worker_actor.h"
#include "caf/actor_addr.hpp"
#include "caf/actor_cast.hpp"
#include "caf/atom.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/publish.hpp"
#include "caf/send.hpp"
#include "caf/spawn_options.hpp"
#include "taskqueue/errors.h"
#include "taskqueue/named_task_errors.h"
#include "taskqueue/task_registry.h"

namespace taskqueue::internal {
namespace {

std::optional<TransportSecurity> MakeTransport(const QueueOptions& options) {
  if (!options.listen) return std::nullopt;
  const ListenOptions& listen = *options.listen;
  return TransportSecurity("ListenOptions", listen.address, listen.tls,
                           listen.allow_insecure_remote,
                           listen.max_message_bytes);
}

std::unique_ptr<caf::actor_system_config> MakeConfig(
    const QueueOptions& options,
    const std::optional<TransportSecurity>& transport) {
  auto config = std::make_unique<caf::actor_system_config>();
  if (transport) {
    // Only a listening queue pays for the middleman's thread.
    transport->Configure(*config);
    ConfigureConnectionWatch(*config, "ListenOptions",
                             options.listen->heartbeat_interval,
                             options.listen->connection_timeout);
  }
  UseSleepingScheduler(*config);
  return config;
}

// Blocks until every actor of the queue has run its cleanup, while the
// system's clock still runs. `supervisor` is the queue's supervisor;
// `own_threads` the actor threads the system started for itself (its
// printer), which end only when the system stops.
//
// Why: in CAF 0.17.6 an exiting actor unregisters from the system
// (local_actor::cleanup) *before* it cancels its timeouts by pushing an event
// into the clock's 64-slot ring buffer. ~actor_system waits only for the
// unregistering (await_all_actors_done), then stops the clock. When a large
// pool exits at once, workers that have unregistered can still be waiting in
// thread_safe_actor_clock::push for the clock to drain the full buffer; once
// it has stopped they wait for ever, and so does ~actor_system.
//
// A detached actor's thread ends only after its actor is destroyed, which is
// after its cleanup, so this waits for the queue's actor threads: all of
// them, or all but the supervisor's while it is still alive (a delayed timer
// message pending in the clock holds it until it fires, and one actor
// pushing once more after the clock stops cannot fill the buffer).
void AwaitActorCleanups(caf::actor_system& system,
                        const caf::actor_addr& supervisor, size_t own_threads) {
  system.await_all_actors_done();
  for (;;) {
    // The count first: if the supervisor is alive after it was read, its
    // thread was one of those counted.
    size_t threads = system.detached_actors();
    if (threads <= own_threads) return;
    if (threads == own_threads + 1 && caf::actor_cast<caf::actor>(supervisor)) {
      return;
    }
    // The remaining threads are a moment away from ending.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

// How handles reach the queue (task_control.h). Outlives the backend when a
// handle does; Detach() cuts it off from the actors before they go.
class ActorBackend::Link : public QueueLink {
 public:
  Link(std::shared_ptr<TaskLifecycle> lifecycle,
       std::shared_ptr<std::atomic<bool>> prune_requested,
       caf::actor supervisor)
      : lifecycle_(std::move(lifecycle)),
        prune_requested_(std::move(prune_requested)),
        supervisor_(std::move(supervisor)) {}

  bool EndUnrun(TaskControl& task, TaskState why) override {
    if (!lifecycle_->EndUnrun(&task, why)) return false;
    RequestPrune();
    return true;
  }

  // Asks the supervisor to take out tasks that ended unrun; one message for
  // any number of requests until it has pruned.
  void RequestPrune() {
    absl::ReaderMutexLock lock(&mu_);
    if (!supervisor_ || prune_requested_->exchange(true)) return;
    TsanMessageSent(supervisor_);
    caf::anon_send(supervisor_, prune_atom::value);
  }

  void Detach() {
    absl::MutexLock lock(&mu_);
    supervisor_ = nullptr;
  }

 private:
  const std::shared_ptr<TaskLifecycle> lifecycle_;
  const std::shared_ptr<std::atomic<bool>> prune_requested_;
  absl::Mutex mu_;
  caf::actor supervisor_ ABSL_GUARDED_BY(mu_);
};

ActorBackend::ActorBackend(const QueueOptions& options)
    : num_workers_(options.num_workers),
      record_timings_(options.record_timings),
      transport_(MakeTransport(options)),
      config_(MakeConfig(options, transport_)),
      system_(std::make_unique<caf::actor_system>(*config_)),
      inbox_(std::make_shared<TaskInbox>()),
      counters_(std::make_shared<QueueCounters>(
          options.num_workers, options.listen ? options.listen->max_nodes : 0,
          options.record_timings)),
      admission_(options.max_queued > 0 &&
                         options.overflow != OverflowPolicy::kDropOldest
                     ? std::make_shared<Admission>(options.max_queued,
                                                   options.overflow,
                                                   options.block_timeout)
                     : nullptr),
      reporter_(std::make_shared<LifecycleReporter>(
          counters_, admission_, options.on_error, options.observer)),
      lifecycle_(std::make_shared<TaskLifecycle>(*reporter_)),
      prune_requested_(std::make_shared<std::atomic<bool>>(false)),
      paused_(std::make_shared<std::atomic<bool>>(false)),
      plain_(!options.record_timings && admission_ == nullptr &&
             options.observer == nullptr),
      workers_(std::make_shared<WorkerHandles>()) {
  system_threads_ = system_->detached_actors();
  auto context = std::make_shared<const WorkerContext>(WorkerContext{
      .queue = this,
      .lifecycle = lifecycle_,
      .record_timings = options.record_timings,
  });
  caf::actor_system* system = system_.get();
  std::shared_ptr<WorkerHandles> workers = workers_;
  auto spawn_worker = [system, context, workers](int32_t index,
                                                 caf::actor supervisor) {
    caf::actor worker =
        system->spawn<caf::detached>(worker_actor, index, context, supervisor);
    absl::MutexLock lock(&workers->mu);
    if (workers->handles.size() <= static_cast<size_t>(index)) {
      workers->handles.resize(index + 1);
    }
    workers->handles[index] = worker;
    return worker;
  };
  std::function<caf::actor(int32_t, caf::actor, uint32_t, caf::actor)>
      spawn_proxy;
  if (options.listen) {
    listen_tasks_ = options.listen->registry->signatures();
    auto proxy_context = std::make_shared<const NodeProxyContext>(
        NodeProxyContext{.lifecycle = lifecycle_,
                         .record_timings = options.record_timings,
                         .frame_bytes = transport_->frame_bytes(),
                         .tasks = listen_tasks_});
    auto prefetch = static_cast<size_t>(options.listen->prefetch);
    // Not detached, unlike every other actor of the queue: only scheduled
    // actors talk to the network (gateway_actor.h says why: a detached one
    // the middleman still references would hang the queue's destructor). A
    // proxy runs no task; it only routes messages, on CAF's scheduler thread.
    spawn_proxy = [system, proxy_context, prefetch](
                      int32_t endpoint, caf::actor node, uint32_t slots,
                      caf::actor supervisor) {
      return system->spawn(node_proxy_actor, endpoint, std::move(node),
                           size_t{slots}, prefetch, proxy_context, supervisor);
    };
  }
  supervisor_ = system_->spawn<caf::detached>(
      supervisor_actor,
      SupervisorContext{
          .queue = this,
          .inbox = inbox_,
          .lifecycle = lifecycle_,
          .counters = counters_,
          .scheduler = {.drop_oldest_beyond =
                            options.overflow == OverflowPolicy::kDropOldest
                                ? options.max_queued
                                : 0,
                        .max_node_losses = options.listen
                                               ? options.listen->max_node_losses
                                               : 1},
          .num_workers = num_workers_,
          .spawn_worker = spawn_worker,
          .max_nodes = options.listen ? options.listen->max_nodes : 0,
          .spawn_proxy = std::move(spawn_proxy),
          .on_refused =
              options.listen ? options.listen->on_refused : RefusalHook(),
          .prune_requested = prune_requested_,
          .paused = paused_,
      });
  link_ = std::make_shared<Link>(lifecycle_, prune_requested_, supervisor_);
  if (!options.listen) return;
  try {
    Listen(*options.listen);
  } catch (...) {
    StopActors();
    throw;
  }
}

void ActorBackend::Listen(const ListenOptions& listen) {
  gateway_ = system_->spawn(gateway_actor, listen_tasks_, listen.on_refused,
                            supervisor_);
  caf::expected<uint16_t> port =
      transport_->tls()
          ? caf::openssl::publish(gateway_, listen.port, listen.address.c_str(),
                                  /*reuse=*/true)
          : system_->middleman().publish(gateway_, listen.port,
                                         listen.address.c_str(),
                                         /*reuse_addr=*/true);
  if (!port) {
    throw std::runtime_error("taskqueue: cannot listen on " + listen.address +
                             ":" + std::to_string(listen.port) + ": " +
                             system_->render(port.error()));
  }
  port_ = *port;
}

ActorBackend::~ActorBackend() { StopActors(); }

void ActorBackend::StopActors() {
  Shutdown();
  if (gateway_) {
    caf::anon_send_exit(gateway_, caf::exit_reason::user_shutdown);
    gateway_ = nullptr;
  }
  link_->Detach();
  // Releases our handles, then waits for every actor to finish exiting while
  // the actor system (and its clock, which exiting actors still use) runs.
  {
    absl::MutexLock lock(&workers_->mu);
    workers_->handles.clear();
  }
  caf::actor_addr supervisor = supervisor_.address();
  supervisor_ = nullptr;
  AwaitActorCleanups(*system_, supervisor, system_threads_);
}

std::weak_ptr<QueueLink> ActorBackend::link() const { return link_; }

bool ActorBackend::Admit() {
  if (!admission_) return true;
  switch (admission_->Enter()) {
    case Admission::Result::kAdmitted:
      return true;
    case Admission::Result::kClosed:
      return false;
    case Admission::Result::kFull:
      throw QueueFullError("max_queued tasks are waiting");
    case Admission::Result::kTimedOut:
      throw QueueFullError(
          "max_queued tasks are still waiting after block_timeout");
  }
  return true;
}

bool ActorBackend::Push(Attempt&& attempt, ControlRef&& control) {
  switch (inbox_->Push(std::move(attempt), std::move(control))) {
    case TaskInbox::PushResult::kClosed:
      if (admission_) admission_->Leave();
      return false;
    case TaskInbox::PushResult::kQueuedWakeSupervisor:
      TsanMessageSent(supervisor_);
      caf::anon_send(supervisor_, drain_atom::value);
      return true;
    case TaskInbox::PushResult::kQueued:
      return true;
  }
  return true;
}

bool ActorBackend::ReportAndPush(Attempt&& attempt, ControlRef&& control) {
  {
    absl::MutexLock lock(&report_mu_);
    if (report_closed_) {
      if (admission_) admission_->Leave();
      return false;
    }
    ++reporting_;
  }
  // Reported before the push, so that OnQueued precedes OnStarted.
  lifecycle_->Queued(control.get());
  bool pushed = Push(std::move(attempt), std::move(control));
  absl::MutexLock lock(&report_mu_);
  --reporting_;
  return pushed;
}

bool ActorBackend::Add(Attempt attempt) {
  if (num_workers_ == 0) CheckRunnable(nullptr);
  if (plain_) return Push(std::move(attempt), ControlRef());
  if (record_timings_) {
    // The wait is measured from the control block's queued_at.
    return AddControlled(ControlRef::Make(), std::move(attempt));
  }
  if (!Admit()) return false;
  if (lifecycle_->wants_plain_queued()) {
    return ReportAndPush(std::move(attempt), ControlRef());
  }
  return Push(std::move(attempt), ControlRef());
}

void ActorBackend::CheckRunnable(const TaskControl* control) const {
  const RemoteCall* remote =
      control != nullptr ? control->remote.get() : nullptr;
  if (remote == nullptr) {
    if (num_workers_ == 0) {
      throw std::logic_error(
          "taskqueue: this queue has no local workers "
          "(QueueOptions::num_workers = 0) and a closure cannot run on a "
          "worker node: add a named task (named_task.h)");
    }
    return;
  }
  if (!port_) return;
  if (!transport_->Fits(remote->arguments.size())) {
    throw std::invalid_argument(
        "taskqueue: the arguments of task \"" + std::string(remote->name) +
        "\" take " + std::to_string(remote->arguments.size()) +
        " bytes, more than a message to a worker node may carry "
        "(ListenOptions::max_message_bytes, " +
        std::to_string(transport_->max_message_bytes()) + ")");
  }
  auto it = listen_tasks_.find(std::string(remote->name));
  if (it == listen_tasks_.end()) {
    throw UnknownTaskError("taskqueue: task \"" + std::string(remote->name) +
                           "\" is not in ListenOptions::registry, so no "
                           "worker node is known to run it");
  }
  if (it->second != *remote->types) {
    throw TaskSignatureError("taskqueue: task \"" + it->first + "\" is " +
                             it->first + *remote->types + " here but " +
                             it->first + it->second +
                             " in ListenOptions::registry");
  }
}

bool ActorBackend::AddControlled(ControlRef control, Attempt attempt) {
  CheckRunnable(control.get());
  if (!Admit()) return false;
  if (record_timings_) control->queued_at = Clock::now();
  // Only tasks that are reported pay for the gate.
  if (lifecycle_->wants_plain_queued() || !control->options.name.empty()) {
    return ReportAndPush(std::move(attempt), std::move(control));
  }
  return Push(std::move(attempt), std::move(control));
}

template <class Result, class... Ts>
bool ActorBackend::Ask(Result* result, Ts... message) {
  using Promise = std::promise<Result>;
  auto reply = std::make_shared<Promise>();
  std::future<Result> answer = reply->get_future();
  TsanMessageSent(supervisor_);
  caf::anon_send(supervisor_, message..., std::move(reply));
  try {
    if constexpr (std::is_void_v<Result>) {
      answer.get();
    } else {
      *result = answer.get();
    }
    return true;
  } catch (const std::future_error&) {
    // The supervisor exited (shutdown) and dropped the reply unanswered.
    return false;
  }
}

JoinResult ActorBackend::Join(std::optional<Clock::time_point> deadline) {
  JoinResult result;
  result.complete = AwaitEpoch(inbox_->EndEpoch(), deadline);
  uint64_t failed = counters_->failed();
  absl::MutexLock lock(&join_mu_);
  if (failed > failed_reported_) {
    result.failed = failed - failed_reported_;
    failed_reported_ = failed;
  }
  return result;
}

bool ActorBackend::AwaitEpoch(uint64_t epoch,
                              std::optional<Clock::time_point> deadline) {
  // Once stopped, every accepted task has ended.
  if (stopped_.load(std::memory_order_acquire)) return true;
  // A join that the workers finish within microseconds is answered by
  // watching the counters: asking the supervisor costs two thread wake-ups
  // more (its own, and this thread's when it answers). That pays only while
  // the actors are awake, as they are right after a join. After an idle
  // gap the supervisor and a worker must be woken first, which takes longer
  // than the spin, and on a small machine the spinning thread holds the
  // very core they are woken onto (perf sched): there a spin only delays.
  Clock::time_point now = Clock::now();
  Clock::time_point last_end(
      Clock::duration(last_join_end_.load(std::memory_order_relaxed)));
  bool answered = false;
  if (now - last_end < kJoinSpinWindow) {
    Clock::time_point spin_until = now + kJoinSpin;
    if (deadline) spin_until = std::min(spin_until, *deadline);
    answered = SpinUntil([this] { return AllSettled(); }, spin_until);
  }
  if (!answered) answered = AskSupervisorToJoin(epoch, deadline);
  last_join_end_.store(Clock::now().time_since_epoch().count(),
                       std::memory_order_relaxed);
  return answered;
}

bool ActorBackend::AskSupervisorToJoin(
    uint64_t epoch, std::optional<Clock::time_point> deadline) {
  JoinId id = next_join_.fetch_add(1, std::memory_order_relaxed);
  auto reply = std::make_shared<std::promise<void>>();
  std::future<void> answered = reply->get_future();
  TsanMessageSent(supervisor_);
  caf::anon_send(supervisor_, join_atom::value, id, epoch, std::move(reply));
  if (deadline && answered.wait_until(*deadline) != std::future_status::ready) {
    // The supervisor need not keep a reply nobody waits for.
    TsanMessageSent(supervisor_);
    caf::anon_send(supervisor_, forget_atom::value, id);
    // Out of time before the supervisor answered; but if every task ever
    // added has ended, so have the ones this join waits for, and a quiet
    // queue is never "incomplete".
    return AllSettled();
  }
  try {
    answered.get();
  } catch (const std::future_error&) {
    // Dropped by a supervisor that exited: shutdown ended every task.
  }
  return true;
}

bool ActorBackend::AllSettled() const {
  uint64_t settled = counters_->settled();  // First: see settled().
  return settled >= inbox_->submitted();
}

void ActorBackend::Pause() {
  if (InlineCalls* inline_calls = SupervisorOnThisThread(this)) {
    return inline_calls->Pause();
  }
  if (closing_.load(std::memory_order_acquire)) return;
  Ask<void>(nullptr, pause_atom::value);
}

void ActorBackend::Resume() {
  if (InlineCalls* inline_calls = SupervisorOnThisThread(this)) {
    return inline_calls->Resume();
  }
  if (closing_.load(std::memory_order_acquire)) return;
  Ask<void>(nullptr, resume_atom::value);
}

size_t ActorBackend::Clear() {
  if (InlineCalls* inline_calls = SupervisorOnThisThread(this)) {
    return inline_calls->Clear();
  }
  if (closing_.load(std::memory_order_acquire)) return 0;
  size_t cleared = 0;
  return Ask(&cleared, clear_atom::value) ? cleared : 0;
}

void ActorBackend::Shutdown() {
  closing_.store(true, std::memory_order_release);
  absl::MutexLock lock(&shutdown_mu_);
  if (stopped_.load(std::memory_order_acquire)) return;
  {
    // Producers that reported a task push it before the inbox closes; later
    // ones report nothing.
    absl::MutexLock report_lock(&report_mu_);
    report_closed_ = true;
    auto none_reporting = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(report_mu_) {
      return reporting_ == 0;
    };
    report_mu_.Await(absl::Condition(&none_reporting));
  }
  uint64_t last_epoch = inbox_->Close();
  if (admission_) admission_->Close();
  TsanMessageSent(supervisor_);
  caf::anon_send(supervisor_, close_atom::value);
  // Through the supervisor, never by watching the counters: once it has
  // answered, it has started (and spawned every worker the exits below must
  // reach) and seen the close.
  AskSupervisorToJoin(last_epoch, std::nullopt);
  // The supervisor first, so that it does not replace the workers as they
  // go down.
  TsanMessageSent(supervisor_);
  caf::anon_send_exit(supervisor_, caf::exit_reason::user_shutdown);
  absl::MutexLock workers_lock(&workers_->mu);
  for (const auto& worker : workers_->handles) {
    TsanMessageSent(worker);
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
  }
  paused_->store(false, std::memory_order_release);
  stopped_.store(true, std::memory_order_release);
}

Stats ActorBackend::GetStats() const {
  return counters_->Snapshot(*inbox_, paused());
}

bool ActorBackend::OnOwnWorker() const {
  return RunningOnWorkerOf(this) || SupervisorOnThisThread(this) != nullptr;
}

void ActorBackend::KillWorkerForTesting(int index) {
  absl::MutexLock lock(&workers_->mu);
  // The supervisor spawns the workers when it starts, on its own thread.
  WorkerHandles& workers = *workers_;
  auto spawned = [&workers, index]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(workers.mu) {
    return workers.handles.size() > static_cast<size_t>(index);
  };
  workers.mu.Await(absl::Condition(&spawned));
  caf::anon_send_exit(workers_->handles.at(index), caf::exit_reason::kill);
}

}  // namespace taskqueue::internal
