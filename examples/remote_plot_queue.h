// RemotePlotQueue: the queue of the remote run (training_run.h, kRemote). It
// has no workers of its own: it listens on loopback for plot nodes
// (//examples:plot_node, a process of their own) and hands them each plot as
// the named task kWritePlot (plot_tasks.h).
//
//   absl::StatusOr<std::unique_ptr<RemotePlotQueue>> queue =
//       RemotePlotQueue::Listen({.port = 7070});
//   // elsewhere: plot_node --connect=127.0.0.1:7070 --slots=4
//   if (absl::Status s = (*queue)->WaitForNode(); !s.ok()) { ...give up }
//   auto f = (*queue)->Plot(trainer.Snapshot(), "/abs/plots/remote", 200ms);
//   (*queue)->Finish();   // every plot written, or abandoned: no hang
//   std::string file = f.get();
//
// Contract. Loopback only: a node on another machine would write its files
// there, and the queue's port is unencrypted (listen_options.h). Nothing
// here waits without a bound: WaitForNode gives up after
// `node_timeout`, and Finish() cancels the plots still waiting once no node
// has been connected for `node_timeout` (their futures then throw
// taskqueue::TaskNotRunError), so a run whose node never comes, or dies and
// is not replaced, ends with an error instead of hanging. A node that is lost
// while it writes a plot loses nothing: the queue sends that plot again to
// the next node (at-least-once; rewriting a plot file is harmless).
//
// Thread-safety: Plot() may be called from any thread; the rest from one
// thread at a time. Destroying it waits for the plots still queued (as
// ~TaskQueue), so call Finish() first.
#ifndef TASKQUEUE_EXAMPLES_REMOTE_PLOT_QUEUE_H_
#define TASKQUEUE_EXAMPLES_REMOTE_PLOT_QUEUE_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "examples/plot_progress_observer.h"
#include "examples/training_snapshot.h"
#include "taskqueue/taskqueue.h"

namespace gradient_descent {

struct RemotePlotQueueOptions {
  // The port on 127.0.0.1; 0 picks a free one (see port()). Default: 0.
  uint16_t port = 0;
  // How long WaitForNode waits for the first node, and how long Finish()
  // waits for a node to come back before it abandons the plots still
  // waiting. > 0. Default: 60 s (time to start a node by hand).
  absl::Duration node_timeout = absl::Seconds(60);
};

class RemotePlotQueue {
 public:
  // Listens. Fails with kInvalidArgument for a non-positive node_timeout,
  // and kUnavailable, saying why, when the port cannot be bound (in use,
  // say).
  static absl::StatusOr<std::unique_ptr<RemotePlotQueue>> Listen(
      const RemotePlotQueueOptions& options);

  ~RemotePlotQueue();
  RemotePlotQueue(const RemotePlotQueue&) = delete;
  RemotePlotQueue& operator=(const RemotePlotQueue&) = delete;

  // The port nodes connect to (the one picked when options.port was 0).
  uint16_t port() const;

  // Blocks until a node is connected, for at most node_timeout. Fails with
  // kDeadlineExceeded ("no plot node connected to 127.0.0.1:PORT within
  // 60s"), with kFailedPrecondition when the queue refused a node (its
  // registry differs; the reason is in the message), or with what `check`
  // returns (polled while waiting, e.g. "the plot node process exited") when
  // that is not OK. Returns at once when a node is connected already.
  absl::Status WaitForNode(
      const std::function<absl::Status()>& check = nullptr);

  // Hands a plot of `snapshot` to the nodes, written to `dir`/
  // PlotWriter::FileName(iteration) (absolute: the node's working directory
  // is its own) after the simulated upload `latency`. Returns at once. The
  // future holds the file's name, or the exception: the node's, as a
  // taskqueue::RemoteTaskError, or TaskNotRunError if Finish() abandoned it.
  taskqueue::TaskFuture<std::string> Plot(const TrainingSnapshot& snapshot,
                                          const std::filesystem::path& dir,
                                          absl::Duration latency);

  // Blocks until every plot handed over has ended: written, failed, or, once
  // no node has been connected for node_timeout, abandoned (cancelled).
  // Returns how many were abandoned.
  int Finish();

  // The plot counts of the progress line, from the queue's events.
  PlotCounts counts() const;
  taskqueue::Stats stats() const;

 private:
  // What ListenOptions::on_refused heard, on the queue's network thread.
  class Refusals;

  RemotePlotQueue(const RemotePlotQueueOptions& options,
                  std::shared_ptr<Refusals> refusals,
                  std::shared_ptr<PlotProgressObserver> observer,
                  std::unique_ptr<taskqueue::TaskQueue> queue);

  bool AnyNodeConnected() const;

  const RemotePlotQueueOptions options_;
  const std::shared_ptr<Refusals> refusals_;
  const std::shared_ptr<PlotProgressObserver> observer_;
  // Last: destroyed first, while what its callbacks use still exists.
  const std::unique_ptr<taskqueue::TaskQueue> queue_;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_REMOTE_PLOT_QUEUE_H_
