#include "examples/remote_plot_queue.h"

#include <chrono>
#include <exception>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "examples/plot_tasks.h"
#include "taskqueue/task_registry.h"

namespace gradient_descent {
namespace {

// How often the waits look at the nodes: short next to a node's start-up,
// long next to the cost of stats().
constexpr absl::Duration kPoll = absl::Milliseconds(50);

}  // namespace

class RemotePlotQueue::Refusals {
 public:
  void Add(const std::string& node, const std::string& why) {
    absl::MutexLock lock(&mu_);
    if (!first_.empty()) return;
    first_ = absl::StrCat("the queue refused plot node ", node, ": ", why);
  }
  // The first refusal, or "".
  std::string first() const {
    absl::MutexLock lock(&mu_);
    return first_;
  }

 private:
  mutable absl::Mutex mu_;
  std::string first_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<RemotePlotQueue>> RemotePlotQueue::Listen(
    const RemotePlotQueueOptions& options) {
  if (options.node_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the node timeout must be positive, got ",
                     absl::FormatDuration(options.node_timeout)));
  }
  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  AddPlotTasks(*registry);
  auto refusals = std::make_shared<Refusals>();
  auto observer = std::make_shared<PlotProgressObserver>();
  std::unique_ptr<taskqueue::TaskQueue> queue;
  try {
    queue = std::make_unique<taskqueue::TaskQueue>(taskqueue::QueueOptions{
        // Every plot goes to a node: that is what this run shows.
        .num_workers = 0,
        .observer = observer,
        .listen = taskqueue::ListenOptions{
            .address = "127.0.0.1",
            .port = options.port,
            .registry = registry,
            // Also printed on stderr by the node; kept here so that
            // WaitForNode can say why instead of timing out.
            .on_refused = [refusals](const std::string& node,
                                     const std::string& why) {
              refusals->Add(node, why);
            }}});
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for plot nodes on 127.0.0.1:", options.port,
                     ": ", e.what()));
  }
  return std::unique_ptr<RemotePlotQueue>(new RemotePlotQueue(
      options, std::move(refusals), std::move(observer), std::move(queue)));
}

RemotePlotQueue::RemotePlotQueue(const RemotePlotQueueOptions& options,
                                 std::shared_ptr<Refusals> refusals,
                                 std::shared_ptr<PlotProgressObserver> observer,
                                 std::unique_ptr<taskqueue::TaskQueue> queue)
    : options_(options),
      refusals_(std::move(refusals)),
      observer_(std::move(observer)),
      queue_(std::move(queue)) {}

RemotePlotQueue::~RemotePlotQueue() = default;

uint16_t RemotePlotQueue::port() const { return queue_->listening_port(); }

absl::Status RemotePlotQueue::WaitForNode(
    const std::function<absl::Status()>& check) {
  absl::Time give_up = absl::Now() + options_.node_timeout;
  for (;;) {
    if (AnyNodeConnected()) return absl::OkStatus();
    if (std::string refused = refusals_->first(); !refused.empty()) {
      return absl::FailedPreconditionError(refused);
    }
    if (check) {
      if (absl::Status status = check(); !status.ok()) return status;
    }
    if (absl::Now() >= give_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no plot node connected to 127.0.0.1:", port(), " within ",
          absl::FormatDuration(options_.node_timeout),
          " (start one with: plot_node --connect=127.0.0.1:", port(),
          " --slots=4)"));
    }
    absl::SleepFor(kPoll);
  }
}

taskqueue::TaskFuture<std::string> RemotePlotQueue::Plot(
    const TrainingSnapshot& snapshot, const std::filesystem::path& dir,
    absl::Duration latency) {
  return queue_->submit(kWritePlot, ToWire(snapshot), dir.string(),
                        absl::ToInt64Microseconds(latency));
}

int RemotePlotQueue::Finish() {
  int abandoned = 0;
  absl::Time last_connected = absl::Now();
  for (;;) {
    if (queue_->join_for(absl::ToChronoMilliseconds(kPoll)).complete) {
      return abandoned;
    }
    if (AnyNodeConnected()) {
      last_connected = absl::Now();
    } else if (absl::Now() - last_connected >= options_.node_timeout) {
      // Again on each pass: a plot the lost node had been sent comes back
      // to the queue only once the loss is noticed (connection_timeout).
      abandoned += static_cast<int>(queue_->clear());
    }
  }
}

PlotCounts RemotePlotQueue::counts() const { return observer_->counts(); }

taskqueue::Stats RemotePlotQueue::stats() const { return queue_->stats(); }

bool RemotePlotQueue::AnyNodeConnected() const {
  for (const auto& [name, node] : queue_->stats().nodes) {
    if (node.connected) return true;
  }
  return false;
}

}  // namespace gradient_descent
