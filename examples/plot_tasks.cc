#include "examples/plot_tasks.h"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "examples/dataset.h"
#include "examples/mlp.h"
#include "examples/plot_writer.h"

namespace gradient_descent {
namespace {

// As run_config.h's kMaxPlotLatency: a node sleeps no longer than the
// program that sent the plot would let itself.
constexpr int64_t kMaxLatencyMicros = 60 * 1000 * 1000;

void Require(bool holds, const std::string& what) {
  if (!holds) throw std::invalid_argument("bad plot snapshot: " + what);
}

}  // namespace

WireSnapshot ToWire(const TrainingSnapshot& snapshot) {
  WireSnapshot wire{.iteration = snapshot.iteration,
                    .total_iterations = snapshot.total_iterations,
                    .hidden_units = snapshot.model.hidden_units(),
                    .parameters = snapshot.model.Parameters(),
                    .loss_history = snapshot.loss_history,
                    .accuracy_history = snapshot.accuracy_history};
  const std::vector<LabeledPoint>& points = snapshot.data->points;
  wire.x1.reserve(points.size());
  wire.x2.reserve(points.size());
  wire.label.reserve(points.size());
  for (const LabeledPoint& p : points) {
    wire.x1.push_back(p.x1);
    wire.x2.push_back(p.x2);
    wire.label.push_back(p.label);
  }
  return wire;
}

TrainingSnapshot FromWire(const WireSnapshot& wire) {
  Require(wire.iteration >= 0 && wire.iteration <= wire.total_iterations,
          absl::StrCat("iteration ", wire.iteration, " of ",
                       wire.total_iterations));
  Require(!wire.x1.empty() && wire.x2.size() == wire.x1.size() &&
              wire.label.size() == wire.x1.size(),
          absl::StrCat("points need as many x1, x2 and labels (at least one), "
                       "got ",
                       wire.x1.size(), ", ", wire.x2.size(), " and ",
                       wire.label.size()));
  auto history_size = static_cast<size_t>(wire.iteration);
  Require(wire.loss_history.size() == history_size &&
              wire.accuracy_history.size() == history_size,
          absl::StrCat("histories of iteration ", wire.iteration, " have ",
                       wire.loss_history.size(), " and ",
                       wire.accuracy_history.size(), " values"));
  auto data = std::make_shared<Dataset>();
  data->points.reserve(wire.x1.size());
  for (size_t i = 0; i < wire.x1.size(); ++i) {
    Require(wire.label[i] == 0 || wire.label[i] == 1,
            absl::StrCat("label ", wire.label[i], " of point ", i));
    data->points.push_back(LabeledPoint{
        .x1 = wire.x1[i], .x2 = wire.x2[i], .label = wire.label[i]});
  }
  TrainingSnapshot snapshot{
      .iteration = wire.iteration,
      .total_iterations = wire.total_iterations,
      .data = std::move(data),
      // Throws std::invalid_argument itself when the parameters do not fit.
      .model = Mlp::FromParameters(wire.hidden_units, wire.parameters),
      .loss_history = wire.loss_history,
      .accuracy_history = wire.accuracy_history};
  return snapshot;
}

std::string WritePlotFile(WireSnapshot snapshot, std::string dir,
                          int64_t latency_micros) {
  std::filesystem::path path(dir);
  if (!path.is_absolute()) {
    throw std::invalid_argument(absl::StrCat(
        "plot directory '", dir,
        "' is not absolute: a node's working directory is its own"));
  }
  if (latency_micros < 0 || latency_micros > kMaxLatencyMicros) {
    throw std::invalid_argument(
        absl::StrCat("plot latency ", latency_micros, " us is out of range"));
  }
  PlotWriter writer(std::move(path), absl::Microseconds(latency_micros));
  return writer.Write(FromWire(snapshot)).file_name;
}

void AddPlotTasks(taskqueue::TaskRegistry& registry) {
  registry.Add(kWritePlot);
}

}  // namespace gradient_descent
