// gradient_descent: the main example. A small neural network learns to tell
// two interleaved moons apart by gradient descent, and the training loop
// plots its progress every few iterations, as a user's loop does. Writing a
// plot is slow (rendering, a file, and an upload that --plot_latency stands
// in for), so the program trains four times and compares:
//
//   none    no plots: the baseline;
//   sync    each plot written inline: the loop waits for every one;
//   queued  each plot handed to a taskqueue::TaskQueue: the loop goes on at
//           nearly its baseline speed while the workers write the plots;
//   latest  the live view: plots handed over with a coalesce_key, so when
//           training outruns plotting only the newest plot waits and older
//           waiting ones are dropped as coalesced; fewer plots are written,
//           the last iteration's always.
//
// And, alone, a fifth that writes the plots in another process:
//
//   remote  like queued, but the queue has no workers: it listens on
//           127.0.0.1 (--listen=PORT; 0 picks a free port and prints it) and
//           plot nodes (//examples:plot_node), started by hand or by
//           --spawn_plot_node, write each plot, sent to them as the named
//           task kWritePlot (plot_tasks.h).
//
// The progress line's plot counts in the queued and latest runs come from a
// TaskObserver on the queue (plot_progress_observer.h).
//
// It prints a table of the loop times and writes the plots as SVG files with
// an index.html to step through them (see output_dir.h for the layout).
//
//   bazel run //examples:gradient_descent               # all four runs
//   bazel run //examples:gradient_descent -- --mode=queued --workers=8
//   bazel run //examples:gradient_descent -- --mode=remote --listen=7070
//   bazel run //examples:plot_node -- --connect=127.0.0.1:7070 --slots=4
//   bazel run //examples:gradient_descent -- --mode=latest --dashboard=7080 \
//       --plot_latency=1s             # watch it on http://127.0.0.1:7080/
//
// Exit status: 0; 1 if a plot or a gallery could not be written, or the
// latest run lacks its newest plot (training still completes); 2 for a bad
// flag or output directory; 3 when the remote run cannot listen or no plot
// node connects within --node_timeout (nothing is trained then).
//
// Actors. The story has a gradient-descent actor that trains and plot actors
// that draw. The gradient-descent actor here is a plain class, Trainer,
// driven by main's thread: the point is an ordinary training loop, which
// needs no actor framework of its own to use the queue, and wrapping it in a
// CAF actor would only add a mailbox to the very loop being timed. The plot
// actors are the queue's worker actors (CAF actors, a thread each): each plot
// is a task they run, PlotWriter::Write on a snapshot the loop copied for
// them while the model trains on.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "examples/comparison_table.h"
#include "examples/dataset.h"
#include "examples/gallery.h"
#include "examples/output_dir.h"
#include "examples/plot_node_process.h"
#include "examples/progress_line.h"
#include "examples/remote_plot_queue.h"
#include "examples/run_config.h"
#include "examples/trainer.h"
#include "examples/training_run.h"
#include "examples/two_moons.h"

ABSL_FLAG(int, iterations, 600, "gradient descent steps in each run");
ABSL_FLAG(int, plot_every, 20,
          "plot the untrained network and every N-th iteration");
ABSL_FLAG(absl::Duration, plot_latency, absl::Milliseconds(200),
          "simulated upload time of each plot, on top of the real file "
          "write (e.g. 200ms, 1s, 0)");
ABSL_FLAG(int, workers, 4,
          "queue workers writing plots in the queued and latest runs");
ABSL_FLAG(std::string, out_dir, "plots",
          "directory for the plots and index.html; a relative path is "
          "relative to where `bazel run` was started");
ABSL_FLAG(std::string, mode, "all",
          "none (no plots), sync (plots inline), queued (plots on the "
          "queue), latest (only the newest waiting plot on the queue) or all "
          "(the four, then a comparison); or remote (plots written by plot "
          "nodes, other processes connected to the queue)");
ABSL_FLAG(int, listen, 0,
          "--mode=remote: the port on 127.0.0.1 plot nodes connect to; 0 "
          "picks a free one (printed)");
ABSL_FLAG(absl::Duration, node_timeout, absl::Seconds(60),
          "--mode=remote: how long to wait for a plot node to connect, and "
          "for one to come back before the plots still waiting are given up");
ABSL_FLAG(int, dashboard, -1,
          "the queued and latest runs: serve their queue's live dashboard on "
          "127.0.0.1:PORT (0 picks a free port; the address and the write "
          "token are printed); -1: none");
ABSL_FLAG(std::string, spawn_plot_node, "",
          "--mode=remote: path of a plot_node binary to start (with "
          "--slots=--workers) and stop with SIGTERM at the end; a relative "
          "path is relative to where `bazel run` was started");

namespace gradient_descent {
namespace {

constexpr int kBadUsage = 2;
constexpr int kPlotsFailed = 1;
constexpr int kNoPlotNode = 3;

int Fail(absl::string_view message, int status) {
  absl::FPrintF(stderr, "gradient_descent: %s\n", message);
  return status;
}

int PlotsPerRun(const RunConfig& config) {
  return config.iterations / config.plot_every + 1;
}

void PrintIntro(const RunConfig& config, const TrainerOptions& trainer,
                const TwoMoonsOptions& data) {
  if (config.mode == "remote") {
    absl::PrintF(
        "Training a 2-%d-1 tanh network on two moons (%d points) for %d "
        "iterations;\nplotting iteration 0 and every %d%s (%d plots, each "
        "with %s of simulated upload),\non the plot nodes connected to this "
        "queue.\n\n",
        trainer.hidden_units, 2 * data.points_per_moon, config.iterations,
        config.plot_every, config.plot_every == 1 ? "" : "th",
        PlotsPerRun(config), absl::FormatDuration(config.plot_latency));
    return;
  }
  absl::PrintF(
      "Training a 2-%d-1 tanh network on two moons (%d points) for %d "
      "iterations;\nplotting iteration 0 and every %d%s (%d plots, each with "
      "%s of simulated upload),\non %d queue workers in the queued and latest "
      "runs.\n\n",
      trainer.hidden_units, 2 * data.points_per_moon, config.iterations,
      config.plot_every, config.plot_every == 1 ? "" : "th",
      PlotsPerRun(config), absl::FormatDuration(config.plot_latency),
      config.workers);
}

// Steps a throwaway network untimed, so that the first timed run (the
// baseline) does not also pay for cold caches and a CPU clocked down, which
// would flatter the others.
void WarmUp(const RunOptions& defaults) {
  constexpr int kSteps = 50;
  Trainer trainer(std::make_shared<const Dataset>(MakeTwoMoons(defaults.data)),
                  defaults.trainer);
  for (int i = 0; i < kSteps; ++i) trainer.Step();
}

// A relative path taken relative to where `bazel run` was started, as
// --out_dir is.
std::string FromWorkingDir(const std::string& path) {
  const char* working_dir = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || path.front() == '/' || working_dir == nullptr) {
    return path;
  }
  return (std::filesystem::path(working_dir) / path).string();
}

// The last iteration a run plots.
int NewestPlotIteration(const RunConfig& config) {
  return (PlotsPerRun(config) - 1) * config.plot_every;
}

// Whether a run wrote the plot of the last iteration it plots, which the
// latest run must, however many it coalesced.
bool WroteNewestPlot(const RunConfig& config, const RunReport& report) {
  return !report.plots_written.empty() &&
         report.plots_written.back().iteration == NewestPlotIteration(config);
}

// Whether two runs wrote plots of the same iterations to the same names.
bool SamePlots(const RunReport& a, const RunReport& b) {
  if (a.plots_written.size() != b.plots_written.size()) return false;
  for (size_t i = 0; i < a.plots_written.size(); ++i) {
    if (a.plots_written[i].file_name != b.plots_written[i].file_name) {
      return false;
    }
  }
  return true;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "trains a small network with and without plotting through a "
      "taskqueue, and compares the loop times.\n"
      "Usage: gradient_descent [--mode=all|none|sync|queued|latest|remote] "
      "[--iterations=N] [--plot_every=N] [--plot_latency=200ms] "
      "[--workers=N] [--out_dir=DIR] [--listen=PORT] [--node_timeout=60s] "
      "[--spawn_plot_node=PATH] [--dashboard=PORT]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() > 1) {
    return Fail(absl::StrCat("unexpected argument '", args[1],
                             "' (flags are written --name=value)"),
                kBadUsage);
  }
  RunConfig config{.iterations = absl::GetFlag(FLAGS_iterations),
                   .plot_every = absl::GetFlag(FLAGS_plot_every),
                   .plot_latency = absl::GetFlag(FLAGS_plot_latency),
                   .workers = absl::GetFlag(FLAGS_workers),
                   .out_dir = absl::GetFlag(FLAGS_out_dir),
                   .mode = absl::GetFlag(FLAGS_mode),
                   .listen_port = absl::GetFlag(FLAGS_listen),
                   .node_timeout = absl::GetFlag(FLAGS_node_timeout),
                   .spawn_plot_node = absl::GetFlag(FLAGS_spawn_plot_node),
                   .dashboard_port = absl::GetFlag(FLAGS_dashboard)};
  if (absl::Status valid = ValidateRunConfig(config); !valid.ok()) {
    return Fail(valid.message(), kBadUsage);
  }
  std::vector<PlotMode> modes = *ParseModes(config.mode);

  // Directories before training: a bad --out_dir fails at once, not after
  // the baseline run.
  std::filesystem::path out_dir;
  std::map<PlotMode, std::filesystem::path> plot_dirs;
  for (PlotMode mode : modes) {
    if (mode == PlotMode::kNone) continue;
    if (out_dir.empty()) {
      const char* working_dir = std::getenv("BUILD_WORKING_DIRECTORY");
      absl::StatusOr<std::filesystem::path> dir = PrepareOutDir(
          config.out_dir, working_dir == nullptr ? "" : working_dir);
      if (!dir.ok()) return Fail(dir.status().message(), kBadUsage);
      out_dir = *dir;
    }
    absl::StatusOr<std::filesystem::path> dir =
        PreparePlotDir(out_dir, PlotModeName(mode));
    if (!dir.ok()) return Fail(dir.status().message(), kBadUsage);
    plot_dirs[mode] = *dir;
  }

  // The remote run's queue and node, before training: a run that cannot
  // get a node fails at once, not after it has trained. Declared before the
  // runs so that they outlive them.
  std::unique_ptr<RemotePlotQueue> remote;
  std::unique_ptr<PlotNodeProcess> spawned;
  if (plot_dirs.count(PlotMode::kRemote)) {
    absl::StatusOr<std::unique_ptr<RemotePlotQueue>> listening =
        RemotePlotQueue::Listen(
            {.port = static_cast<uint16_t>(config.listen_port),
             .node_timeout = config.node_timeout});
    if (!listening.ok()) {
      return Fail(listening.status().message(), kNoPlotNode);
    }
    remote = *std::move(listening);
    absl::PrintF(
        "Listening for plot nodes on 127.0.0.1:%d (start one: plot_node "
        "--connect=127.0.0.1:%d --slots=4)\n",
        remote->port(), remote->port());
    // A test or script reading the port through a pipe needs it now.
    std::fflush(stdout);
    std::function<absl::Status()> check;
    if (!config.spawn_plot_node.empty()) {
      absl::StatusOr<std::unique_ptr<PlotNodeProcess>> started =
          PlotNodeProcess::Start(FromWorkingDir(config.spawn_plot_node),
                                 remote->port(), config.workers);
      if (!started.ok()) return Fail(started.status().message(), kBadUsage);
      spawned = *std::move(started);
      check = [&spawned] { return spawned->CheckRunning(); };
    }
    if (absl::Status node = remote->WaitForNode(check); !node.ok()) {
      // Stopped before the message, so that its last words come first.
      if (spawned) spawned->Stop().IgnoreError();
      return Fail(node.message(), kNoPlotNode);
    }
    absl::PrintF("A plot node is connected.\n");
  }

  RunOptions defaults;
  PrintIntro(config, defaults.trainer, defaults.data);
  WarmUp(defaults);
  ProgressLine progress(stdout, stderr, ProgressLine::StyleFor(stdout));
  std::vector<RunReport> reports;
  bool problems = false;
  for (PlotMode mode : modes) {
    RunOptions options{.mode = mode,
                       .iterations = config.iterations,
                       .plot_every = config.plot_every,
                       .plot_latency = config.plot_latency,
                       .workers = config.workers,
                       .plot_dir = plot_dirs[mode],
                       .remote = remote.get(),
                       .progress = &progress};
    if (config.dashboard_port >= 0) {
      options.dashboard = taskqueue::DashboardOptions{
          .port = static_cast<uint16_t>(config.dashboard_port)};
    }
    reports.push_back(RunTraining(options));
    const RunReport& report = reports.back();
    if (mode == PlotMode::kNone) continue;
    if (report.plots_failed > 0) {
      problems = true;
      progress.Note(absl::StrFormat(
          "gradient_descent: %s run: %d of %d plots failed", PlotModeName(mode),
          report.plots_failed, report.plots_requested));
    }
    absl::Status gallery =
        WriteGallery(plot_dirs[mode] / "index.html",
                     absl::StrCat("Two moons training: plots of the ",
                                  PlotModeName(mode), " run"),
                     report.plots_written);
    if (!gallery.ok()) {
      problems = true;
      progress.Note(absl::StrCat("gradient_descent: ", gallery.message()));
    }
  }

  if (spawned) {
    // Drained: it has nothing left to write, so it exits at once.
    if (absl::Status stopped = spawned->Stop(); !stopped.ok()) {
      problems = true;
      progress.Note(absl::StrCat("gradient_descent: ", stopped.message()));
    }
  }

  absl::PrintF("\n%s\n", FormatComparison(reports));
  const RunReport& last = reports.back();
  absl::PrintF(
      "Final network: loss %.4f, accuracy %.1f%% (every run trains "
      "the same network from the same seed).\n",
      last.final_evaluation.loss, 100 * last.final_evaluation.accuracy);

  std::map<PlotMode, const RunReport*> by_mode;
  for (const RunReport& r : reports) by_mode[r.mode] = &r;
  if (by_mode.count(PlotMode::kSync) && by_mode.count(PlotMode::kQueued)) {
    const RunReport& sync = *by_mode[PlotMode::kSync];
    const RunReport& queued = *by_mode[PlotMode::kQueued];
    if (SamePlots(sync, queued) &&
        static_cast<int>(queued.plots_written.size()) ==
            queued.plots_requested) {
      absl::PrintF("The sync and queued runs wrote the same %d plots.\n",
                   queued.plots_requested);
    } else {
      problems = true;
      absl::PrintF("The sync run wrote %d plots, the queued run %d, of %d.\n",
                   sync.plots_written.size(), queued.plots_written.size(),
                   queued.plots_requested);
    }
  }
  if (by_mode.count(PlotMode::kLatest)) {
    const RunReport& latest = *by_mode[PlotMode::kLatest];
    if (WroteNewestPlot(config, latest)) {
      absl::PrintF(
          "The latest run wrote %d of %d plots, the newest included; %d were "
          "coalesced.\n",
          latest.plots_written.size(), latest.plots_requested,
          latest.plots_coalesced);
    } else {
      problems = true;
      absl::PrintF("The latest run did not write the plot of iteration %d.\n",
                   NewestPlotIteration(config));
    }
  }

  // The top-level gallery shows the whole training: the last plotting run
  // that plots every frame (queued, with --mode=all), or the latest run when
  // it ran alone. Each run's directory has its own.
  const RunReport* shown = nullptr;
  for (const RunReport& r : reports) {
    if (r.mode == PlotMode::kNone) continue;
    if (shown == nullptr || r.mode != PlotMode::kLatest) shown = &r;
  }
  if (shown != nullptr) {
    std::filesystem::path index = out_dir / "index.html";
    std::string run(PlotModeName(shown->mode));
    absl::Status gallery = WriteGallery(
        index, absl::StrCat("Two moons training: plots of the ", run, " run"),
        shown->plots_written, absl::StrCat(run, "/"));
    if (gallery.ok()) {
      absl::PrintF("Plots: %s\n", index.string());
    } else {
      problems = true;
      Fail(gallery.message(), kPlotsFailed);
    }
  }
  return problems ? kPlotsFailed : 0;
}

}  // namespace
}  // namespace gradient_descent

int main(int argc, char** argv) {
  try {
    return gradient_descent::Main(argc, argv);
  } catch (const std::exception& e) {
    // Nothing here should throw; if something does, say what, in one line.
    absl::FPrintF(stderr, "gradient_descent: %s\n", e.what());
    return 1;
  }
}
