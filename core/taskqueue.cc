#include "taskqueue/taskqueue.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "actors/actor_backend.h"
#include "actors/pages/queue_pages.h"
#include "taskqueue/named_task_errors.h"
#include "taskqueue/remote_call.h"
#include "taskqueue/task_registry.h"

namespace taskqueue {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("taskqueue: ") + what);
}

// Every field: an invalid value fails here rather than changing what the
// queue does (a negative block_timeout made kBlock behave as kReject). The
// transport (address, TLS, message bound) is the backend's to check
// (TransportSecurity), as the worker node's is.
void Validate(const ListenOptions& o) {
  Check(o.registry != nullptr, "ListenOptions::registry is required");
  Check(o.prefetch >= 0 && o.prefetch <= 1024,
        "ListenOptions::prefetch must be between 0 and 1024");
  Check(o.heartbeat_interval.count() > 0 &&
            o.connection_timeout > o.heartbeat_interval,
        "ListenOptions needs 0 < heartbeat_interval < connection_timeout");
  Check(o.max_node_losses >= 1, "ListenOptions::max_node_losses must be >= 1");
  Check(o.max_nodes >= 1 && o.max_nodes <= 4096,
        "ListenOptions::max_nodes must be between 1 and 4096");
}

QueueOptions Validated(QueueOptions options) {
  int fewest = options.listen ? 0 : 1;
  if (options.num_workers < fewest ||
      options.num_workers > QueueOptions::kMaxWorkers) {
    throw std::invalid_argument("taskqueue: num_workers must be between " +
                                std::to_string(fewest) + " and " +
                                std::to_string(QueueOptions::kMaxWorkers) +
                                ", got " + std::to_string(options.num_workers));
  }
  if (options.listen) Validate(*options.listen);
  // The dashboard charts latency percentiles.
  if (options.dashboard) options.record_timings = true;
  // on_error (empty: the default), max_queued (0: no bound), observer
  // (null: none) and record_timings take any value.
  Check(options.overflow == OverflowPolicy::kBlock ||
            options.overflow == OverflowPolicy::kReject ||
            options.overflow == OverflowPolicy::kDropOldest,
        "QueueOptions::overflow is not an OverflowPolicy");
  if (options.block_timeout) {
    Check(options.block_timeout->count() >= 0,
          "QueueOptions::block_timeout must not be negative");
    Check(options.overflow == OverflowPolicy::kBlock,
          "QueueOptions::block_timeout is for OverflowPolicy::kBlock only");
  }
  return options;
}

void Validate(const TaskOptions& o) {
  Check(o.max_attempts >= 1, "TaskOptions::max_attempts must be at least 1");
  Check(!(o.run_after && o.run_at),
        "TaskOptions: set run_after or run_at, not both");
  Check(!o.run_after || o.run_after->count() >= 0,
        "TaskOptions::run_after must not be negative");
  const Backoff& b = o.backoff;
  Check(b.initial_delay.count() >= 0 && b.max_delay.count() >= 0,
        "Backoff delays must not be negative");
  Check(b.multiplier >= 1.0, "Backoff::multiplier must be at least 1");
  Check(b.jitter >= 0.0 && b.jitter <= 1.0,
        "Backoff::jitter must be between 0 and 1");
}

std::atomic<uint64_t> next_task_id{1};

}  // namespace

TaskQueue::TaskQueue(int num_workers)
    : TaskQueue(QueueOptions{.num_workers = num_workers}) {}

TaskQueue::TaskQueue(QueueOptions options) {
  options = Validated(std::move(options));
  std::optional<DashboardOptions> dashboard = options.dashboard;
  backend_ = std::make_unique<internal::ActorBackend>(std::move(options));
  if (dashboard) {
    absl::StatusOr<std::unique_ptr<internal::QueuePages>> pages =
        internal::QueuePages::Serve(*backend_, *dashboard);
    if (!pages.ok()) {
      // backend_ stops the queue as the exception leaves.
      throw std::invalid_argument("taskqueue: the dashboard: " +
                                  std::string(pages.status().message()));
    }
    dashboard_ = *std::move(pages);
    std::string where = "http://" + dashboard->address + ":" +
                        std::to_string(dashboard_->port()) + "/";
    if (dashboard->token.empty()) {
      where += " (write token " + dashboard_->token() + ")";
    }
    std::fprintf(stderr, "taskqueue: dashboard on %s\n", where.c_str());
  }
}

TaskQueue::~TaskQueue() {
  if (backend_->OnOwnWorker()) {
    std::fprintf(stderr,
                 "taskqueue: a TaskQueue was destroyed by one of its own "
                 "tasks; it would wait for that task forever\n");
    std::abort();
  }
}

void TaskQueue::Enqueue(internal::Attempt attempt) {
  if (!backend_->Add(std::move(attempt))) throw QueueClosedError();
}

internal::ControlRef TaskQueue::NewControl(TaskOptions options) {
  Validate(options);
  internal::ControlRef control = internal::ControlRef::Make();
  control->id = next_task_id.fetch_add(1, std::memory_order_relaxed);
  // "For ever" without overflow (saturating_time.h): a delay past the end of
  // the clock is run_at = time_point::max(), never; a deadline of
  // time_point::max() is none (no timer, no clock read when it starts); a
  // backoff longer than Backoff::kLongestDelay waits that long, so that the
  // supervisor's backoff arithmetic stays in range.
  if (options.run_after) {
    control->run_at = internal::SaturatingAdd(std::chrono::steady_clock::now(),
                                              *options.run_after);
  } else if (options.run_at) {
    control->run_at = options.run_at;
  }
  if (options.deadline == std::chrono::steady_clock::time_point::max()) {
    options.deadline.reset();
  }
  Backoff& backoff = options.backoff;
  backoff.initial_delay =
      std::min(backoff.initial_delay, Backoff::kLongestDelay);
  backoff.max_delay = std::min(backoff.max_delay, Backoff::kLongestDelay);
  control->options = std::move(options);
  control->queue = backend_->link();
  return control;
}

TaskHandle TaskQueue::add_encoded(TaskOptions options,
                                  std::shared_ptr<const TaskRegistry> registry,
                                  std::string_view name,
                                  std::vector<char> arguments,
                                  std::shared_ptr<EncodedResult> result) {
  std::optional<TaskRegistry::Known> known = registry->Find(name);
  if (!known.has_value()) throw UnknownTaskError(name);
  internal::ControlRef control = NewControl(std::move(options));
  auto call = std::make_unique<internal::RemoteCall>();
  call->name = known->name;
  call->types = known->types;
  call->arguments = arguments;
  call->complete = [result](std::string_view bytes) {
    result->set_value(std::vector<char>(bytes.begin(), bytes.end()));
  };
  control->remote = std::move(call);
  control->attempt_listener = result;
  // On a local worker: the registry decodes, runs and encodes.
  auto run = [registry = std::move(registry), name = known->name,
              arguments = std::move(arguments)] {
    return registry->Run(name,
                         std::string_view(arguments.data(), arguments.size()));
  };
  return AddControlled(std::move(control), std::move(result), std::move(run));
}

namespace {

// submit_encoded's EncodedResult: a promise.
class PromisedResult : public EncodedResult {
 public:
  std::future<std::vector<char>> get_future() { return promise_.get_future(); }
  void set_value(std::vector<char> result) override {
    promise_.set_value(std::move(result));
  }
  void set_exception(std::exception_ptr error) override {
    promise_.set_exception(std::move(error));
  }

 private:
  std::promise<std::vector<char>> promise_;
};

}  // namespace

TaskFuture<std::vector<char>> TaskQueue::submit_encoded(
    TaskOptions options, std::shared_ptr<const TaskRegistry> registry,
    std::string_view name, std::vector<char> arguments) {
  auto result = std::make_shared<PromisedResult>();
  std::future<std::vector<char>> future = result->get_future();
  TaskHandle handle = add_encoded(std::move(options), std::move(registry), name,
                                  std::move(arguments), result);
  return TaskFuture<std::vector<char>>(std::move(future), std::move(handle));
}

void TaskQueue::EnqueueControlled(internal::ControlRef control,
                                  internal::Attempt first) {
  if (!backend_->AddControlled(std::move(control), std::move(first))) {
    throw QueueClosedError();
  }
}

JoinResult TaskQueue::join() {
  if (backend_->OnOwnWorker()) throw JoinFromTaskError("join()");
  return backend_->Join();
}

JoinResult TaskQueue::join_until(
    std::chrono::steady_clock::time_point deadline) {
  if (backend_->OnOwnWorker()) throw JoinFromTaskError("join_until()");
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    return backend_->Join();  // Never gives up.
  }
  return backend_->Join(deadline);
}

void TaskQueue::pause() { backend_->Pause(); }

void TaskQueue::resume() { backend_->Resume(); }

bool TaskQueue::paused() const { return backend_->paused(); }

size_t TaskQueue::clear() { return backend_->Clear(); }

void TaskQueue::shutdown() {
  if (backend_->OnOwnWorker()) throw JoinFromTaskError("shutdown()");
  backend_->Shutdown();
}

Stats TaskQueue::stats() const { return backend_->GetStats(); }

int TaskQueue::num_workers() const { return backend_->num_workers(); }

std::string TaskQueue::worker_name(int worker) const {
  return backend_->WorkerName(worker);
}

uint16_t TaskQueue::dashboard_port() const {
  return dashboard_ ? dashboard_->port() : 0;
}

uint16_t TaskQueue::listening_port() const {
  return backend_->listening_port();
}

}  // namespace taskqueue
