// The gradient-descent example really learns: the two-moons data needs a
// curved boundary, and the network trained as the example trains it finds
// one, from a fixed seed.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <utility>
#include <vector>

#include "examples/dataset.h"
#include "examples/mlp.h"
#include "examples/trainer.h"
#include "examples/training_snapshot.h"
#include "examples/two_moons.h"
#include "gtest/gtest.h"

namespace gradient_descent {
namespace {

// The accuracy the example must reach. The best straight line through the
// default two moons classifies about 88% of the points (see
// NoStraightLineReachesTheThreshold), so passing 95% takes a learned curve;
// the trained network reaches about 98%, which leaves room for the floating
// point of another compiler or machine.
constexpr double kAccuracyThreshold = 0.95;
constexpr int kIterations = 600;  // the example's default

std::shared_ptr<const Dataset> DefaultMoons() {
  return std::make_shared<const Dataset>(MakeTwoMoons(TwoMoonsOptions{}));
}

// The best accuracy of any half-plane classifier, up to a quarter degree of
// direction: for each direction, every threshold along it is tried.
double BestLinearAccuracy(const Dataset& data) {
  constexpr int kDirections = 1440;
  int n = static_cast<int>(data.points.size());
  int best = 0;
  std::vector<std::pair<double, int>> projected(n);
  for (int d = 0; d < kDirections; ++d) {
    double angle = 2 * std::numbers::pi * d / kDirections;
    for (int i = 0; i < n; ++i) {
      const LabeledPoint& p = data.points[i];
      projected[i] = {p.x1 * std::cos(angle) + p.x2 * std::sin(angle), p.label};
    }
    std::sort(projected.begin(), projected.end());
    int ones = 0;
    for (const auto& [value, label] : projected) ones += label;
    // Predict 0 below the threshold, 1 above it (the opposite rule is the
    // opposite direction, also tried).
    int zeros_below = 0, ones_below = 0;
    for (int i = 0; i <= n; ++i) {
      best = std::max(best, zeros_below + ones - ones_below);
      if (i < n) (projected[i].second == 1 ? ones_below : zeros_below)++;
    }
  }
  return static_cast<double>(best) / n;
}

TEST(TwoMoonsTest, IsDeterministicAndBalanced) {
  Dataset a = MakeTwoMoons(TwoMoonsOptions{.seed = 3});
  Dataset b = MakeTwoMoons(TwoMoonsOptions{.seed = 3});
  Dataset c = MakeTwoMoons(TwoMoonsOptions{.seed = 4});
  ASSERT_EQ(a.points.size(), 1000u);
  int ones = 0;
  for (size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].x1, b.points[i].x1);
    EXPECT_EQ(a.points[i].x2, b.points[i].x2);
    EXPECT_EQ(a.points[i].label, b.points[i].label);
    ones += a.points[i].label;
  }
  EXPECT_EQ(ones, 500);
  EXPECT_NE(a.points[0].x1, c.points[0].x1);
}

TEST(TwoMoonsTest, NoStraightLineReachesTheThreshold) {
  double best = BestLinearAccuracy(*DefaultMoons());
  EXPECT_LT(best, kAccuracyThreshold - 0.03);
  EXPECT_GT(best, 0.8);  // the moons are not noise either
}

TEST(MlpTest, AStepGoesDownhill) {
  std::shared_ptr<const Dataset> data = DefaultMoons();
  Mlp net(/*hidden_units=*/8, /*seed=*/5);
  for (int i = 0; i < 20; ++i) {
    Mlp::Evaluation before = net.Step(*data, /*learning_rate=*/0.05);
    EXPECT_LT(net.Evaluate(*data).loss, before.loss) << "step " << i;
  }
}

TEST(MlpTest, StepReportsTheWeightsBeforeTheStep) {
  std::shared_ptr<const Dataset> data = DefaultMoons();
  Mlp net(/*hidden_units=*/4, /*seed=*/2);
  Mlp::Evaluation expected = net.Evaluate(*data);
  Mlp::Evaluation reported = net.Step(*data, 1.0);
  EXPECT_DOUBLE_EQ(reported.loss, expected.loss);
  EXPECT_DOUBLE_EQ(reported.accuracy, expected.accuracy);
}

TEST(MlpTest, GridSamplesTheCornersOfTheExtent) {
  Mlp net(/*hidden_units=*/4, /*seed=*/2);
  Extent e{.x1_min = -1, .x1_max = 2, .x2_min = -0.5, .x2_max = 1.5};
  ProbabilityGrid grid = net.Grid(e, /*columns=*/4, /*rows=*/3);
  ASSERT_EQ(grid.probability.size(), 12u);
  EXPECT_DOUBLE_EQ(grid.at(0, 0), net.Probability(-1, -0.5));
  EXPECT_DOUBLE_EQ(grid.at(3, 2), net.Probability(2, 1.5));
  EXPECT_DOUBLE_EQ(grid.at(1, 1), net.Probability(0, 0.5));
}

TEST(TrainerTest, LearnsTwoMoons) {
  Trainer trainer(DefaultMoons(), TrainerOptions{});
  for (int i = 0; i < kIterations; ++i) trainer.Step();
  TrainingSnapshot snapshot = trainer.Snapshot();
  ASSERT_EQ(snapshot.loss_history.size(), static_cast<size_t>(kIterations));

  Mlp::Evaluation start{snapshot.loss_history.front(),
                        snapshot.accuracy_history.front()};
  Mlp::Evaluation end = trainer.Evaluate();
  EXPECT_LT(end.loss, start.loss / 5);
  EXPECT_GE(end.accuracy, kAccuracyThreshold);
  // The loss falls over the run as a whole, not just at its ends: each tenth
  // of the run ends lower than the one before began.
  for (int i = kIterations / 10; i < kIterations; i += kIterations / 10) {
    EXPECT_LT(snapshot.loss_history[i],
              snapshot.loss_history[i - kIterations / 10])
        << "iteration " << i;
  }
}

TEST(TrainerTest, SameSeedSameTraining) {
  Trainer a(DefaultMoons(), TrainerOptions{});
  Trainer b(DefaultMoons(), TrainerOptions{});
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(a.Step().loss, b.Step().loss);
  }
}

TEST(TrainerTest, SnapshotIsACopyTheModelDoesNotChange) {
  std::shared_ptr<const Dataset> data = DefaultMoons();
  Trainer trainer(data, TrainerOptions{.total_iterations = 100});
  for (int i = 0; i < 30; ++i) trainer.Step();
  TrainingSnapshot snapshot = trainer.Snapshot();
  Mlp::Evaluation at_snapshot = snapshot.model.Evaluate(*data);
  for (int i = 0; i < 30; ++i) trainer.Step();

  EXPECT_EQ(snapshot.iteration, 30);
  EXPECT_EQ(snapshot.total_iterations, 100);
  EXPECT_EQ(snapshot.loss_history.size(), 30u);
  EXPECT_EQ(snapshot.accuracy_history.size(), 30u);
  EXPECT_EQ(snapshot.model.Evaluate(*data).loss, at_snapshot.loss);
  EXPECT_NE(trainer.Evaluate().loss, at_snapshot.loss);
  EXPECT_EQ(snapshot.data, data);  // shared, read-only
}

}  // namespace
}  // namespace gradient_descent
