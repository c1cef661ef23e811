// SVG plot: draws a training snapshot as a picture a person can read, in two
// panels side by side.
//
//   * Left: the data points coloured by class over the network's decision
//     regions (shaded by how sure the network is), the decision boundary
//     P(label 1) = 0.5 as a line, misclassified points ringed in black.
//   * Right: the loss (left axis) and accuracy (right axis) curves so far,
//     over the run's full iteration range, so consecutive frames line up.
//
// The title names the iteration, loss and accuracy. The axes of both panels
// depend only on the data and the run's length, not on the model, so a person
// stepping through the frames sees only the training change.
//
// A pure function of the snapshot: the same snapshot gives the same bytes, on
// any thread (and concurrently).
#ifndef TASKQUEUE_EXAMPLES_SVG_PLOT_H_
#define TASKQUEUE_EXAMPLES_SVG_PLOT_H_

#include <string>

#include "examples/training_snapshot.h"

namespace gradient_descent {

// A complete, standalone SVG 1.1 document (UTF-8, no external references).
// Requires snapshot.data to be non-null.
std::string RenderSvgPlot(const TrainingSnapshot& snapshot);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_SVG_PLOT_H_
