// Mlp: the network the example trains, a multilayer perceptron for two
// classes in the plane: 2 inputs, one hidden layer of tanh units, one sigmoid
// output giving P(label 1), trained on the mean cross-entropy loss by
// full-batch gradient descent.
//
//   Mlp net(/*hidden_units=*/32, /*seed=*/1);
//   for (int i = 0; i < 600; ++i) net.Step(data, /*learning_rate=*/0.5);
//   Mlp::Evaluation e = net.Evaluate(data);   // e.loss, e.accuracy
//
// An Mlp is a plain value (a few hundred doubles): copying it is how a plot
// task gets the model as it was while training goes on. Const methods may run
// on several threads at once; Step() needs the object to itself.
#ifndef TASKQUEUE_EXAMPLES_MLP_H_
#define TASKQUEUE_EXAMPLES_MLP_H_

#include <cstdint>
#include <vector>

#include "examples/dataset.h"

namespace gradient_descent {

// P(label 1) sampled on a regular grid over a rectangle, corners included:
// column c is at x1 = x1_min + c * (x1_max - x1_min) / (columns - 1), row r
// at x2 = x2_min + r * (x2_max - x2_min) / (rows - 1).
struct ProbabilityGrid {
  Extent extent;
  int columns = 0;
  int rows = 0;
  // Row-major: row r, column c at [r * columns + c].
  std::vector<double> probability;

  double at(int column, int row) const {
    return probability[row * columns + column];
  }
};

class Mlp {
 public:
  struct Evaluation {
    // Mean cross-entropy (natural log) over the dataset.
    double loss = 0;
    // Fraction of points whose label is the more probable class, in [0, 1].
    double accuracy = 0;
  };

  // Weights drawn uniformly from `seed` with Glorot's scale, biases zero.
  // Requires hidden_units >= 1.
  Mlp(int hidden_units, uint32_t seed);

  // P(label 1) for the point (x1, x2).
  double Probability(double x1, double x2) const;

  // The more probable label for (x1, x2): 1 where P(label 1) > 0.5. The
  // rule Evaluate() counts accuracy by.
  int Classify(double x1, double x2) const;

  Evaluation Evaluate(const Dataset& data) const;

  // One step of full-batch gradient descent on the mean cross-entropy over
  // `data`. Returns the loss and accuracy of the weights before the step: the
  // forward pass that the gradient needs computes them anyway.
  Evaluation Step(const Dataset& data, double learning_rate);

  // Requires columns >= 2 and rows >= 2.
  ProbabilityGrid Grid(const Extent& extent, int columns, int rows) const;

  int hidden_units() const { return hidden_units_; }

  // Every weight and bias as one vector (w1, b1, w2, b2), 4 * hidden_units()
  // + 1 values: the network as plain doubles, which is how a snapshot
  // travels to a plot node in another process (plot_tasks.h).
  std::vector<double> Parameters() const;
  // The network whose Parameters() are `parameters`. Throws
  // std::invalid_argument unless hidden_units >= 1 and parameters.size() ==
  // 4 * hidden_units + 1: the values may come from another process.
  static Mlp FromParameters(int hidden_units,
                            const std::vector<double>& parameters);

 private:
  // Pre-sigmoid output; fills `hidden` (hidden_units_ values) on the way.
  double Forward(double x1, double x2, double* hidden) const;

  int hidden_units_;
  // Hidden unit j computes tanh(w1_[2j] * x1 + w1_[2j + 1] * x2 + b1_[j]).
  std::vector<double> w1_;
  std::vector<double> b1_;
  std::vector<double> w2_;
  double b2_ = 0;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_MLP_H_
