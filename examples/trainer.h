// Trainer: the gradient-descent actor of the example's story, the hot loop a
// slow plot call must not hold up. It owns the network and its loss and
// accuracy curves, takes one full-batch gradient step at a time on a fixed
// dataset, and hands out snapshots for plotting.
//
//   Trainer trainer(std::make_shared<const Dataset>(MakeTwoMoons({})), {});
//   while (trainer.iteration() < 600) {
//     trainer.Step();
//     if (trainer.iteration() % 20 == 0) queue.add_task(Plot,
//     trainer.Snapshot());
//   }
//
// Not thread-safe: one thread drives it. What it hands out (snapshots) are
// copies that other threads may use freely.
#ifndef TASKQUEUE_EXAMPLES_TRAINER_H_
#define TASKQUEUE_EXAMPLES_TRAINER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "examples/dataset.h"
#include "examples/mlp.h"
#include "examples/training_snapshot.h"

namespace gradient_descent {

struct TrainerOptions {
  // Default: 32 (two moons needs a handful; more makes each step heavier, as
  // a real training step is, and the boundary smoother).
  int hidden_units = 32;
  // Default: 1.0 (600 steps reach about 98% on the default two moons; 0.5
  // needs twice as many).
  double learning_rate = 1.0;
  // Seed of the initial weights. Default: 1.
  uint32_t seed = 1;
  // Steps the run will take, for the snapshots' x axis. Default: 600.
  int total_iterations = 600;
};

class Trainer {
 public:
  // `data` must not be null.
  Trainer(std::shared_ptr<const Dataset> data, const TrainerOptions& options);

  // Takes one full-batch gradient step. Returns the loss and accuracy of the
  // network before the step (the step's forward pass computes them), which
  // are also appended to the curves.
  Mlp::Evaluation Step();

  // Steps taken so far.
  int iteration() const { return static_cast<int>(loss_history_.size()); }

  // A copy of the current state: see TrainingSnapshot.
  TrainingSnapshot Snapshot() const;

  // Loss and accuracy of the network now (one forward pass over the data).
  Mlp::Evaluation Evaluate() const { return model_.Evaluate(*data_); }

 private:
  std::shared_ptr<const Dataset> data_;
  TrainerOptions options_;
  Mlp model_;
  std::vector<double> loss_history_;
  std::vector<double> accuracy_history_;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_TRAINER_H_
