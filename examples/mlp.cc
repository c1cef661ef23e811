#include "examples/mlp.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace gradient_descent {
namespace {

// Uniform in [-limit, limit), from the engine's exactly specified output, so
// that the same seed gives the same network everywhere.
double Uniform(std::mt19937& rng, double limit) {
  return limit * (2 * (rng() / 4294967296.0) - 1);
}

// log(1 + e^z) without overflow for large z.
double Softplus(double z) {
  return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double Sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

// The label a logit predicts (sigmoid(z) > 0.5), decided on the logit so
// that rounding in the sigmoid cannot flip it.
int Predicted(double z) { return z > 0 ? 1 : 0; }

}  // namespace

Mlp::Mlp(int hidden_units, uint32_t seed)
    : hidden_units_(hidden_units),
      w1_(2 * hidden_units),
      b1_(hidden_units, 0.0),
      w2_(hidden_units) {
  std::mt19937 rng(seed);
  // Glorot (Xavier) uniform: keeps tanh units out of saturation at the start.
  double limit1 = std::sqrt(6.0 / (2 + hidden_units));
  double limit2 = std::sqrt(6.0 / (hidden_units + 1));
  for (double& w : w1_) w = Uniform(rng, limit1);
  for (double& w : w2_) w = Uniform(rng, limit2);
}

double Mlp::Forward(double x1, double x2, double* hidden) const {
  double z = b2_;
  for (int j = 0; j < hidden_units_; ++j) {
    hidden[j] = std::tanh(w1_[2 * j] * x1 + w1_[2 * j + 1] * x2 + b1_[j]);
    z += w2_[j] * hidden[j];
  }
  return z;
}

double Mlp::Probability(double x1, double x2) const {
  std::vector<double> hidden(hidden_units_);
  return Sigmoid(Forward(x1, x2, hidden.data()));
}

int Mlp::Classify(double x1, double x2) const {
  std::vector<double> hidden(hidden_units_);
  return Predicted(Forward(x1, x2, hidden.data()));
}

Mlp::Evaluation Mlp::Evaluate(const Dataset& data) const {
  if (data.points.empty()) return Evaluation{};
  std::vector<double> hidden(hidden_units_);
  double loss = 0;
  int correct = 0;
  for (const LabeledPoint& p : data.points) {
    double z = Forward(p.x1, p.x2, hidden.data());
    // Cross-entropy from the logit: -log(sigmoid(z)) = softplus(-z).
    loss += Softplus(z) - p.label * z;
    correct += Predicted(z) == p.label;
  }
  int n = static_cast<int>(data.points.size());
  return Evaluation{.loss = loss / n,
                    .accuracy = static_cast<double>(correct) / n};
}

Mlp::Evaluation Mlp::Step(const Dataset& data, double learning_rate) {
  if (data.points.empty()) return Evaluation{};
  int n = static_cast<int>(data.points.size());
  std::vector<double> hidden(hidden_units_);
  std::vector<double> grad_w1(w1_.size(), 0.0);
  std::vector<double> grad_b1(b1_.size(), 0.0);
  std::vector<double> grad_w2(w2_.size(), 0.0);
  double grad_b2 = 0;
  double loss = 0;
  int correct = 0;
  for (const LabeledPoint& p : data.points) {
    double z = Forward(p.x1, p.x2, hidden.data());
    loss += Softplus(z) - p.label * z;
    correct += Predicted(z) == p.label;
    // d(loss)/dz for sigmoid + cross-entropy, averaged over the batch.
    double dz = (Sigmoid(z) - p.label) / n;
    grad_b2 += dz;
    for (int j = 0; j < hidden_units_; ++j) {
      grad_w2[j] += dz * hidden[j];
      // Back through tanh: d tanh(a)/da = 1 - tanh(a)^2.
      double da = dz * w2_[j] * (1 - hidden[j] * hidden[j]);
      grad_w1[2 * j] += da * p.x1;
      grad_w1[2 * j + 1] += da * p.x2;
      grad_b1[j] += da;
    }
  }
  for (size_t i = 0; i < w1_.size(); ++i) w1_[i] -= learning_rate * grad_w1[i];
  for (size_t j = 0; j < b1_.size(); ++j) b1_[j] -= learning_rate * grad_b1[j];
  for (size_t j = 0; j < w2_.size(); ++j) w2_[j] -= learning_rate * grad_w2[j];
  b2_ -= learning_rate * grad_b2;
  return Evaluation{.loss = loss / n,
                    .accuracy = static_cast<double>(correct) / n};
}

ProbabilityGrid Mlp::Grid(const Extent& extent, int columns, int rows) const {
  ProbabilityGrid grid{.extent = extent, .columns = columns, .rows = rows};
  grid.probability.reserve(columns * rows);
  std::vector<double> hidden(hidden_units_);
  double dx1 = (extent.x1_max - extent.x1_min) / (columns - 1);
  double dx2 = (extent.x2_max - extent.x2_min) / (rows - 1);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      double z = Forward(extent.x1_min + c * dx1, extent.x2_min + r * dx2,
                         hidden.data());
      grid.probability.push_back(Sigmoid(z));
    }
  }
  return grid;
}

std::vector<double> Mlp::Parameters() const {
  std::vector<double> parameters;
  parameters.reserve(4 * hidden_units_ + 1);
  parameters.insert(parameters.end(), w1_.begin(), w1_.end());
  parameters.insert(parameters.end(), b1_.begin(), b1_.end());
  parameters.insert(parameters.end(), w2_.begin(), w2_.end());
  parameters.push_back(b2_);
  return parameters;
}

Mlp Mlp::FromParameters(int hidden_units,
                        const std::vector<double>& parameters) {
  // Checked in 64 bits: a hostile hidden_units must not overflow the count.
  if (hidden_units < 1 ||
      parameters.size() != 4 * static_cast<uint64_t>(hidden_units) + 1) {
    throw std::invalid_argument(
        "an Mlp of " + std::to_string(hidden_units) +
        " hidden units needs 4 * hidden units + 1 parameters, got " +
        std::to_string(parameters.size()));
  }
  // The seed is irrelevant: every weight is overwritten.
  Mlp net(hidden_units, /*seed=*/0);
  auto next = parameters.begin();
  for (std::vector<double>* part : {&net.w1_, &net.b1_, &net.w2_}) {
    std::copy(next, next + part->size(), part->begin());
    next += part->size();
  }
  net.b2_ = *next;
  return net;
}

}  // namespace gradient_descent
