#include "examples/training_run.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "examples/dataset.h"
#include "examples/plot_progress_observer.h"
#include "examples/plot_writer.h"
#include "examples/training_snapshot.h"
#include "taskqueue/taskqueue.h"

namespace gradient_descent {
namespace {

using Clock = std::chrono::steady_clock;

// Only the first failures are shown: when every plot fails (a missing
// directory), a line for each would bury the progress line.
constexpr int kFailuresShown = 3;

// What became of the run's plots, recorded by the loop (kSync) or by the
// queue's workers (kQueued, kLatest), several at once.
class PlotLog {
 public:
  PlotLog(PlotMode mode, ProgressLine* progress)
      : mode_(mode), progress_(progress) {}

  void Written(WrittenPlot plot) {
    absl::MutexLock lock(&mu_);
    written_.push_back(std::move(plot));
  }

  void Failed(const std::string& what) {
    size_t count;
    {
      absl::MutexLock lock(&mu_);
      failures_.push_back(what);
      count = failures_.size();
    }
    if (progress_ == nullptr) return;
    std::string run = absl::StrCat("gradient_descent: ", PlotModeName(mode_));
    if (count <= kFailuresShown) {
      progress_->Note(absl::StrCat(run, " run: plot failed: ", what));
    } else if (count == kFailuresShown + 1) {
      progress_->Note(absl::StrCat(
          run, " run: more plots failed (counted, not shown one by one)"));
    }
  }

  int written_count() {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(written_.size());
  }
  int failed_count() {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(failures_.size());
  }

  // Call once every plot has finished.
  void MoveInto(RunReport& report) {
    absl::MutexLock lock(&mu_);
    report.plots_written = std::move(written_);
    std::sort(report.plots_written.begin(), report.plots_written.end(),
              [](const WrittenPlot& a, const WrittenPlot& b) {
                return a.iteration < b.iteration;
              });
    report.failures = std::move(failures_);
  }

 private:
  const PlotMode mode_;
  ProgressLine* const progress_;
  absl::Mutex mu_;
  std::vector<WrittenPlot> written_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::string_view PlotModeName(PlotMode mode) {
  switch (mode) {
    case PlotMode::kNone:
      return "none";
    case PlotMode::kSync:
      return "sync";
    case PlotMode::kQueued:
      return "queued";
    case PlotMode::kLatest:
      return "latest";
    case PlotMode::kRemote:
      return "remote";
  }
  return "?";
}

RunReport RunTraining(const RunOptions& options) {
  auto data = std::make_shared<const Dataset>(MakeTwoMoons(options.data));
  TrainerOptions trainer_options = options.trainer;
  trainer_options.total_iterations = options.iterations;
  Trainer trainer(data, trainer_options);
  const bool plotting = options.mode != PlotMode::kNone;
  PlotWriter writer(options.plot_dir, options.plot_latency);
  PlotLog log(options.mode, options.progress);

  // Declared after what its tasks use, so it is destroyed (which waits for
  // every task) before them.
  std::shared_ptr<PlotProgressObserver> observer;
  std::optional<taskqueue::TaskQueue> queue;
  if (options.mode == PlotMode::kQueued || options.mode == PlotMode::kLatest) {
    observer = std::make_shared<PlotProgressObserver>();
    queue.emplace(taskqueue::QueueOptions{
        .num_workers = options.workers,
        // On a worker thread, possibly several at once: PlotLog locks.
        .on_error =
            [&log](const taskqueue::TaskFailure& failure) {
              log.Failed(failure.description);
            },
        .observer = observer,
        .dashboard = options.dashboard});
  }

  // kRemote: each plot's iteration and what its node will say of it.
  std::vector<std::pair<int, taskqueue::TaskFuture<std::string>>> remote_plots;

  // The plot "call" of the user's loop, in this run's mode.
  auto plot = [&](TrainingSnapshot snapshot) {
    if (options.mode == PlotMode::kSync) {
      try {
        log.Written(writer.Write(snapshot));
      } catch (const std::exception& e) {
        log.Failed(e.what());
      }
    } else if (queue) {
      // The task owns its snapshot: the model goes on training meanwhile.
      // What Write() throws goes to on_error above.
      auto write = [&writer, &log](const TrainingSnapshot& owned) {
        log.Written(writer.Write(owned));
      };
      if (options.mode == PlotMode::kQueued) {
        queue->add_task(write, std::move(snapshot));
      } else {
        // One key for every plot: this one replaces the plot still waiting,
        // if any. A plot being written is never interrupted.
        queue->add_task(
            taskqueue::TaskOptions{.name = "plot", .coalesce_key = "plot"},
            write, std::move(snapshot));
      }
    } else if (options.mode == PlotMode::kRemote) {
      // Encoded here, so the model may go on training at once.
      remote_plots.emplace_back(snapshot.iteration,
                                options.remote->Plot(snapshot, options.plot_dir,
                                                     options.plot_latency));
    }
  };

  auto progress_now = [&](int iteration, const Mlp::Evaluation& evaluation) {
    Progress p{.mode = PlotModeName(options.mode),
               .iteration = iteration,
               .iterations = options.iterations,
               .loss = evaluation.loss,
               .accuracy = evaluation.accuracy,
               .plots = plotting};
    if (observer || options.mode == PlotMode::kRemote) {
      PlotCounts counts =
          observer ? observer->counts() : options.remote->counts();
      p.plots_queued = counts.queued;
      p.plots_running = counts.running;
      p.plots_done = counts.done;
      p.plots_failed = counts.failed;
      p.plots_coalesced = counts.coalesced;
    } else if (plotting) {
      p.plots_done = log.written_count();
      p.plots_failed = log.failed_count();
    }
    return p;
  };

  RunReport report{.mode = options.mode, .iterations = options.iterations};
  Mlp::Evaluation latest;
  Clock::time_point start = Clock::now();
  for (int iteration = 0; iteration <= options.iterations; ++iteration) {
    if (iteration > 0) {
      latest = trainer.Step();
      if (options.progress != nullptr &&
          options.progress->Due(iteration, options.iterations)) {
        options.progress->Show(progress_now(iteration, latest));
      }
    }
    if (plotting && iteration % options.plot_every == 0) {
      ++report.plots_requested;
      plot(trainer.Snapshot());
    }
  }
  report.loop_time = absl::FromChrono(Clock::now() - start);

  if (queue) {
    Clock::time_point join_start = Clock::now();
    taskqueue::JoinResult joined = queue->join();
    report.join_wait = absl::FromChrono(Clock::now() - join_start);
    report.plots_failed = static_cast<int>(joined.failed);
    report.plots_coalesced = static_cast<int>(queue->stats().coalesced);
    if (options.progress != nullptr) {
      options.progress->Show(progress_now(options.iterations, latest));
    }
  } else if (options.mode == PlotMode::kRemote) {
    Clock::time_point join_start = Clock::now();
    int abandoned = options.remote->Finish();
    report.join_wait = absl::FromChrono(Clock::now() - join_start);
    if (abandoned > 0 && options.progress != nullptr) {
      options.progress->Note(
          absl::StrCat("gradient_descent: remote run: no plot node connected; ",
                       abandoned, " plots abandoned"));
    }
    // Every future is ready: Finish() has waited for each plot to end.
    for (auto& [iteration, file] : remote_plots) {
      try {
        log.Written(
            WrittenPlot{.iteration = iteration, .file_name = file.get()});
      } catch (const std::exception& e) {
        log.Failed(e.what());
      }
    }
    report.plots_failed = log.failed_count();
    if (options.progress != nullptr) {
      options.progress->Show(progress_now(options.iterations, latest));
    }
  } else {
    report.plots_failed = log.failed_count();
  }
  if (options.progress != nullptr) options.progress->Finish();
  log.MoveInto(report);
  report.final_evaluation = trainer.Evaluate();
  return report;
}

}  // namespace gradient_descent
