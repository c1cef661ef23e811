// Training run: one timed training of the example, in one of four plot
// modes, and the report the comparison table is made of.
//
//   * kNone: no plots, the baseline the other modes are measured against.
//   * kSync: each plot is written inline, so the loop waits for every
//     render, file write and simulated upload: the user's problem.
//   * kQueued: each plot is handed to a taskqueue::TaskQueue as a snapshot;
//     its workers write it while the loop goes on, and the run joins the
//     queue once the loop is done: the fix.
//   * kLatest: the live view. Like kQueued, but each plot is added with a
//     coalesce_key, so while every worker is busy only the newest plot waits:
//     a newer one replaces it, and the older ends as `coalesced`, unwritten.
//     A dashboard wants the current state, not the history, so this run
//     writes fewer plots than it asks for, by design. The newest plot, of the
//     last iteration plotted, is always written (nothing comes to replace it,
//     and join waits for it) unless writing it fails.
//   * kRemote: like kQueued, but the plots are written in another process:
//     each is handed, as the named task kWritePlot (plot_tasks.h), to a
//     queue with no workers of its own that plot nodes (//examples:plot_node)
//     connect to (remote_plot_queue.h). The caller makes that queue and waits
//     for a node before the run; the run waits for the plots after the loop
//     without hanging when the nodes are gone (RemotePlotQueue::Finish).
//
//   RunReport report = RunTraining(RunOptions{.mode = PlotMode::kQueued,
//                                             .plot_dir = "/tmp/plots"});
//
// A plot that fails (an unwritable directory, say) never stops training: it
// is counted in the report, its error kept, and shown through the progress
// line. Every mode trains the same network on the same data from the same
// seed, so sync and queued runs write the same plots, byte for byte (and
// every plot kLatest writes is one of them).
//
// In kQueued and kLatest the progress line's plot counts come from the queue's
// events, through a PlotProgressObserver (plot_progress_observer.h).
//
// Blocks for the whole run; runs on the calling thread (plus the queue's
// workers in kQueued and kLatest). Several runs may go on at once on different
// threads if their plot directories differ.
#ifndef TASKQUEUE_EXAMPLES_TRAINING_RUN_H_
#define TASKQUEUE_EXAMPLES_TRAINING_RUN_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "examples/mlp.h"
#include "examples/progress_line.h"
#include "examples/remote_plot_queue.h"
#include "examples/trainer.h"
#include "examples/two_moons.h"
#include "examples/written_plot.h"
#include "taskqueue/dashboard_options.h"

namespace gradient_descent {

enum class PlotMode { kNone, kSync, kQueued, kLatest, kRemote };

// "none", "sync", "queued", "latest", "remote".
absl::string_view PlotModeName(PlotMode mode);

struct RunOptions {
  // Default: kQueued.
  PlotMode mode = PlotMode::kQueued;
  // Gradient steps, >= 1. Default: 600.
  int iterations = 600;
  // A plot of iteration 0 (the untrained network) and of every iteration
  // that is a multiple of this, the last one included if it is one. >= 1.
  // Default: 20.
  int plot_every = 20;
  // The simulated upload of each plot, >= 0. Default: 200 ms.
  absl::Duration plot_latency = absl::Milliseconds(200);
  // Queue workers (kQueued, kLatest), in [1, QueueOptions::kMaxWorkers].
  // Default: 4.
  int workers = 4;
  // The existing directory plots are written to (all modes but kNone);
  // absolute for kRemote, where a node writes them.
  std::filesystem::path plot_dir;
  // kQueued, kLatest: the queue's live dashboard, if set (DashboardOptions).
  // Ignored by the other modes.
  std::optional<taskqueue::DashboardOptions> dashboard;
  // kRemote: the queue the plots go to, listening, with a node connected.
  // Not owned; must outlive the run. Ignored by the other modes.
  RemotePlotQueue* remote = nullptr;
  TwoMoonsOptions data;
  // total_iterations is set from `iterations`.
  TrainerOptions trainer;
  // Shows progress and failed plots; null: nothing is printed (failures are
  // still in the report). Must outlive the run.
  ProgressLine* progress = nullptr;
};

struct RunReport {
  PlotMode mode = PlotMode::kNone;
  int iterations = 0;
  // From before the first step to after the last, including what the loop
  // does for plots: writing them (kSync) or handing them over (kQueued,
  // kLatest).
  absl::Duration loop_time;
  // kQueued, kLatest, kRemote: the wait in join() after the loop for the plots
  // still queued or running. Zero in the other modes.
  absl::Duration join_wait;
  // Plots the run asked for (0 for kNone).
  int plots_requested = 0;
  // Plots on disk, in iteration order.
  std::vector<WrittenPlot> plots_written;
  // Plots that failed, as counted by the queue (kQueued, kLatest) or by the
  // loop.
  int plots_failed = 0;
  // Plots replaced by a newer one before they started (Stats::coalesced):
  // only kLatest coalesces. Once the run is over,
  //   plots_written.size() + plots_failed + plots_coalesced == plots_requested
  int plots_coalesced = 0;
  // What they failed with, e.g. "cannot write /x/plot_000020.svg: Not a
  // directory", in the order they failed.
  std::vector<std::string> failures;
  // The network after the last step.
  Mlp::Evaluation final_evaluation;

  double ms_per_iteration() const {
    return absl::ToDoubleMilliseconds(loop_time) / iterations;
  }
};

// Requires valid options (see RunOptions), and `remote` for kRemote; an
// out-of-range `workers` makes the TaskQueue constructor throw
// std::invalid_argument.
RunReport RunTraining(const RunOptions& options);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_TRAINING_RUN_H_
