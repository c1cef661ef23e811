// Plot tasks: the example's one named task (taskqueue::NamedTask), writing a
// plot, so that a worker node in another process can write the plots of a
// training run (the remote run, remote_plot_queue.h; the node binary,
// //examples:plot_node).
//
// Declared here once and linked by both sides: the program that trains (the
// queue's side) and plot_node (the node's side), so that both register the
// same task under the same signature and a node built from other code is
// refused when it connects instead of misreading the bytes.
//
//   auto registry = std::make_shared<taskqueue::TaskRegistry>();
//   AddPlotTasks(*registry);                  // the queue's ListenOptions
//   taskqueue::TaskFuture<std::string> f = queue.submit(
//       kWritePlot, ToWire(trainer.Snapshot()), "/abs/plots/remote",
//       int64_t{200000});                     // latency in microseconds
//   std::string file = f.get();              // "plot_000020.svg"
//
// Contract. The snapshot crosses the wire whole, as plain values
// (WireSnapshot): the network's parameters, the data points and the curves,
// so the node needs nothing but the task's arguments, and renders the same
// bytes PlotWriter would here. The directory is a path on the node's
// machine: absolute (the node runs in a working directory of its own) and
// existing. Every field is checked on the node before anything is drawn: the
// bytes come from another process.
#ifndef TASKQUEUE_EXAMPLES_PLOT_TASKS_H_
#define TASKQUEUE_EXAMPLES_PLOT_TASKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "examples/training_snapshot.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"

namespace gradient_descent {

// A TrainingSnapshot as values the wire format carries. The dataset, shared
// by pointer in one process, is copied into every plot: a node has no other
// way to see it, and it is small (three values a point).
struct WireSnapshot {
  int32_t iteration = 0;
  int32_t total_iterations = 0;
  int32_t hidden_units = 0;
  // Mlp::Parameters().
  std::vector<double> parameters;
  // Point i is (x1[i], x2[i]) with label[i].
  std::vector<double> x1;
  std::vector<double> x2;
  std::vector<int32_t> label;
  std::vector<double> loss_history;
  std::vector<double> accuracy_history;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireSnapshot& x) {
  return f(caf::meta::type_name("plot_snapshot"), x.iteration,
           x.total_iterations, x.hidden_units, x.parameters, x.x1, x.x2,
           x.label, x.loss_history, x.accuracy_history);
}

// Requires snapshot.data to be non-null.
WireSnapshot ToWire(const TrainingSnapshot& snapshot);
// The snapshot `wire` describes. Throws std::invalid_argument, saying what
// is wrong, unless 0 <= iteration <= total_iterations, the parameters fit
// hidden_units, the point vectors are equally long with labels 0 or 1, and
// each history has `iteration` values.
TrainingSnapshot FromWire(const WireSnapshot& wire);

// The task: renders `snapshot` into `dir`/PlotWriter::FileName(iteration),
// then waits `latency_micros` (the simulated upload; in [0, 60 s]), as
// PlotWriter::Write does, and returns the file's name. Throws
// std::invalid_argument for a bad snapshot, a relative `dir` or a latency
// out of range, and std::runtime_error when the file cannot be written.
std::string WritePlotFile(WireSnapshot snapshot, std::string dir,
                          int64_t latency_micros);

inline constexpr taskqueue::NamedTask<&WritePlotFile> kWritePlot{
    "gradient_descent.write_plot"};

// Adds the example's named tasks (kWritePlot) to `registry`: the queue's
// registry and plot_node's are both made by this.
void AddPlotTasks(taskqueue::TaskRegistry& registry);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_PLOT_TASKS_H_
