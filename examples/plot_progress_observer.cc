#include "examples/plot_progress_observer.h"

#include <algorithm>

#include "taskqueue/task_state.h"

namespace gradient_descent {
namespace {

// Counts only: no other memory is published through them, so relaxed order
// is enough, and join() orders the final values before the caller reads them.
void Add(std::atomic<int>& counter, int delta) {
  counter.fetch_add(delta, std::memory_order_relaxed);
}

int Read(const std::atomic<int>& counter) {
  return std::max(0, counter.load(std::memory_order_relaxed));
}

}  // namespace

PlotCounts PlotProgressObserver::counts() const {
  return PlotCounts{.queued = Read(queued_),
                    .running = Read(running_),
                    .done = Read(done_),
                    .failed = Read(failed_),
                    .coalesced = Read(coalesced_)};
}

void PlotProgressObserver::OnQueued(const taskqueue::TaskEvent& event) {
  Add(queued_, 1);
}

void PlotProgressObserver::OnStarted(const taskqueue::TaskEvent& event) {
  // A retry's OnStarted (attempt > 1) follows a failed attempt that never
  // left the running count: moving it again would count it twice.
  if (event.attempt > 1) return;
  Add(queued_, -1);
  Add(running_, 1);
}

void PlotProgressObserver::OnCompleted(const taskqueue::TaskEvent& event) {
  Add(running_, -1);
  Add(done_, 1);
}

void PlotProgressObserver::OnFailed(const taskqueue::TaskEvent& event) {
  Add(running_, -1);
  Add(failed_, 1);
}

void PlotProgressObserver::OnNotRun(const taskqueue::TaskEvent& event) {
  // A retry cancelled in its backoff has started before, and is still
  // counted as running.
  Add(event.attempt > 0 ? running_ : queued_, -1);
  if (event.state == taskqueue::TaskState::kCoalesced) Add(coalesced_, 1);
}

}  // namespace gradient_descent
