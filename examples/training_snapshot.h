// TrainingSnapshot: the state of a training run at one iteration, as a value a
// plot task can own while the model goes on training.
//
// Copying the network and the curves is what makes handing a snapshot to
// another thread safe: the task reads its own copy, never the live model.
// Only the dataset is shared, read-only (nobody mutates it after it is built).
#ifndef TASKQUEUE_EXAMPLES_TRAINING_SNAPSHOT_H_
#define TASKQUEUE_EXAMPLES_TRAINING_SNAPSHOT_H_

#include <memory>
#include <vector>

#include "examples/dataset.h"
#include "examples/mlp.h"

namespace gradient_descent {

struct TrainingSnapshot {
  // Gradient steps taken so far, and the steps the run will take in all.
  int iteration = 0;
  int total_iterations = 0;
  std::shared_ptr<const Dataset> data;
  // The network after `iteration` steps.
  Mlp model;
  // loss_history[i] and accuracy_history[i]: the network after i steps, for i
  // in [0, iteration); the values after `iteration` steps are `model`'s own.
  std::vector<double> loss_history;
  std::vector<double> accuracy_history;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_TRAINING_SNAPSHOT_H_
