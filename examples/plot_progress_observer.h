// PlotProgressObserver: the plot counts of the progress line (queued, running,
// done, failed, coalesced), kept up to date by the queue's own events instead
// of polled from TaskQueue::stats().
//
//   auto observer = std::make_shared<PlotProgressObserver>();
//   taskqueue::TaskQueue queue(
//       taskqueue::QueueOptions{.num_workers = 4, .observer = observer});
//   ...
//   PlotCounts now = observer->counts();  // any thread, any time
//
// Every task of the queue it observes is taken to be a plot (the example
// adds nothing else).
//
// A plot counts as queued from OnQueued to its first OnStarted, then as
// running until it ends, then as done, failed or coalesced; one that ends
// unrun for another reason (cancelled, dropped, expired: the example does
// none of these) leaves the count it was in and joins no other. The example
// does not retry plots; a plot between retries would stay counted as running.
//
// Threads: the queue calls the hooks on the producer, the workers and the
// supervisor, several at once. Each hook is one or two relaxed atomic adds,
// with no lock and no allocation, so it delays none of them. counts() reads
// the counters one after another, so while plots move a plot may be missed or
// seen twice for a moment (never a negative count); once the queue is quiet
// (after a join covering every plot) the counts are exact and agree with
// Stats: done == completed, failed == failed, coalesced == coalesced, and
// nothing queued or running.
#ifndef TASKQUEUE_EXAMPLES_PLOT_PROGRESS_OBSERVER_H_
#define TASKQUEUE_EXAMPLES_PLOT_PROGRESS_OBSERVER_H_

#include <atomic>

#include "taskqueue/task_observer.h"

namespace gradient_descent {

struct PlotCounts {
  int queued = 0;
  int running = 0;
  int done = 0;
  int failed = 0;
  int coalesced = 0;
};

class PlotProgressObserver : public taskqueue::TaskObserver {
 public:
  PlotCounts counts() const;

  void OnQueued(const taskqueue::TaskEvent& event) override;
  void OnStarted(const taskqueue::TaskEvent& event) override;
  void OnCompleted(const taskqueue::TaskEvent& event) override;
  void OnFailed(const taskqueue::TaskEvent& event) override;
  void OnNotRun(const taskqueue::TaskEvent& event) override;

 private:
  // Signed: a reader may see a plot leave one count before it sees it enter,
  // and counts() clamps what it reports at zero.
  std::atomic<int> queued_{0};
  std::atomic<int> running_{0};
  std::atomic<int> done_{0};
  std::atomic<int> failed_{0};
  std::atomic<int> coalesced_{0};
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_PLOT_PROGRESS_OBSERVER_H_
