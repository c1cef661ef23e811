// Dataset: labelled points in the plane, what the example's network learns to
// classify, and the rectangle of the plane its plots show.
//
// A Dataset is a plain value. Once built it is shared read-only (through a
// `std::shared_ptr<const Dataset>`) between the training loop and the plot
// tasks on the queue's workers: nothing mutates it, so no locking is needed.
#ifndef TASKQUEUE_EXAMPLES_DATASET_H_
#define TASKQUEUE_EXAMPLES_DATASET_H_

#include <vector>

namespace gradient_descent {

struct LabeledPoint {
  double x1 = 0;
  double x2 = 0;
  // 0 or 1.
  int label = 0;
};

// An axis-aligned rectangle of the (x1, x2) plane.
struct Extent {
  double x1_min = 0;
  double x1_max = 1;
  double x2_min = 0;
  double x2_max = 1;
};

struct Dataset {
  std::vector<LabeledPoint> points;
};

// The rectangle a plot of `data` shows: every point plus a margin, widened to
// multiples of 0.5 so that axis ticks fall on round numbers. The same data
// always gives the same extent, so every frame of a training run has the same
// axes and a person stepping through them sees only the model change.
Extent PlotExtent(const Dataset& data);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_DATASET_H_
