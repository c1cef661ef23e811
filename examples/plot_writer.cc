#include "examples/plot_writer.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "examples/svg_plot.h"
#include "examples/text_file.h"

namespace gradient_descent {

PlotWriter::PlotWriter(std::filesystem::path dir, absl::Duration latency)
    : dir_(std::move(dir)), latency_(latency) {}

WrittenPlot PlotWriter::Write(const TrainingSnapshot& snapshot) const {
  std::string file_name = FileName(snapshot.iteration);
  absl::Status written =
      WriteTextFile(dir_ / file_name, RenderSvgPlot(snapshot));
  // An exception, not a status: this runs as a fire-and-forget task, and the
  // queue hands what a task throws to its on_error and counts it in join().
  if (!written.ok()) throw std::runtime_error(std::string(written.message()));
  // The simulated upload.
  absl::SleepFor(latency_);
  return WrittenPlot{.iteration = snapshot.iteration,
                     .file_name = std::move(file_name)};
}

std::string PlotWriter::FileName(int iteration) {
  return absl::StrFormat("plot_%06d.svg", iteration);
}

}  // namespace gradient_descent
