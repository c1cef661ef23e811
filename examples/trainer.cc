#include "examples/trainer.h"

#include <utility>

namespace gradient_descent {

Trainer::Trainer(std::shared_ptr<const Dataset> data,
                 const TrainerOptions& options)
    : data_(std::move(data)),
      options_(options),
      model_(options.hidden_units, options.seed) {
  if (options.total_iterations > 0) {
    loss_history_.reserve(options.total_iterations);
    accuracy_history_.reserve(options.total_iterations);
  }
}

Mlp::Evaluation Trainer::Step() {
  Mlp::Evaluation before = model_.Step(*data_, options_.learning_rate);
  loss_history_.push_back(before.loss);
  accuracy_history_.push_back(before.accuracy);
  return before;
}

TrainingSnapshot Trainer::Snapshot() const {
  return TrainingSnapshot{.iteration = iteration(),
                          .total_iterations = options_.total_iterations,
                          .data = data_,
                          .model = model_,
                          .loss_history = loss_history_,
                          .accuracy_history = accuracy_history_};
}

}  // namespace gradient_descent
