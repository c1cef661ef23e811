// PlotWriter: the slow call of the example's story. Writing one plot renders a
// training snapshot to SVG, writes it to a file, and then waits a fixed
// latency that stands in for the upload a real plotting service costs (the
// file write alone is fast on a local disk; an upload is not).
//
//   PlotWriter writer("/tmp/plots", absl::Milliseconds(200));
//   WrittenPlot plot = writer.Write(trainer.Snapshot());  // ~200 ms
//
// Thread-safe: Write() is const and touches only its own file, so the queue's
// workers may call it on one writer at once (files are named by iteration;
// two snapshots of one iteration would write the same file).
#ifndef TASKQUEUE_EXAMPLES_PLOT_WRITER_H_
#define TASKQUEUE_EXAMPLES_PLOT_WRITER_H_

#include <filesystem>
#include <string>

#include "absl/time/time.h"
#include "examples/training_snapshot.h"
#include "examples/written_plot.h"

namespace gradient_descent {

class PlotWriter {
 public:
  // Writes into `dir`, which must exist (it is not created: a missing
  // directory is a mistake to report, not to paper over). `latency` >= 0.
  PlotWriter(std::filesystem::path dir, absl::Duration latency);

  // Renders `snapshot` (see svg_plot.h) into dir/FileName(iteration),
  // replacing any file of that name, then sleeps for the latency. Blocks for
  // all of that. Throws std::runtime_error whose what() names the file and
  // the reason when the file cannot be written; then nothing is waited for.
  WrittenPlot Write(const TrainingSnapshot& snapshot) const;

  // "plot_000020.svg" for iteration 20: zero-padded so that a directory
  // listing sorts in training order.
  static std::string FileName(int iteration);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  absl::Duration latency_;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_PLOT_WRITER_H_
