// The plot task's wire form: a snapshot that crosses it draws the very same
// plot, and one that does not describe a snapshot is refused, saying why,
// before anything is drawn.
#include "examples/plot_tasks.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "examples/mlp.h"
#include "examples/svg_plot.h"
#include "examples/trainer.h"
#include "examples/training_snapshot.h"
#include "examples/two_moons.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/task_registry.h"

namespace gradient_descent {
namespace {

using ::testing::HasSubstr;

TrainingSnapshot SnapshotAfter(int steps) {
  auto data = std::make_shared<const Dataset>(
      MakeTwoMoons(TwoMoonsOptions{.points_per_moon = 50}));
  Trainer trainer(
      data, TrainerOptions{.hidden_units = 8, .total_iterations = 2 * steps});
  for (int i = 0; i < steps; ++i) trainer.Step();
  return trainer.Snapshot();
}

// What a check on a bad snapshot says, or "" when it passes.
std::string Refusal(const WireSnapshot& wire) {
  try {
    FromWire(wire);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(PlotTasksTest, MlpParametersRebuildTheSameNetwork) {
  Mlp net = SnapshotAfter(5).model;
  Mlp copy = Mlp::FromParameters(net.hidden_units(), net.Parameters());
  EXPECT_EQ(copy.Parameters(), net.Parameters());
  EXPECT_EQ(copy.Probability(0.3, -0.2), net.Probability(0.3, -0.2));
  EXPECT_THROW(Mlp::FromParameters(8, std::vector<double>(32)),
               std::invalid_argument);
  EXPECT_THROW(Mlp::FromParameters(0, {1.0}), std::invalid_argument);
}

TEST(PlotTasksTest, ASnapshotThatCrossesTheWireDrawsTheSamePlot) {
  for (int steps : {0, 1, 7}) {
    TrainingSnapshot snapshot = SnapshotAfter(steps);
    TrainingSnapshot received = FromWire(ToWire(snapshot));
    EXPECT_EQ(received.iteration, steps);
    EXPECT_EQ(RenderSvgPlot(received), RenderSvgPlot(snapshot))
        << "after " << steps << " steps";
  }
}

TEST(PlotTasksTest, TheTaskWritesThePlotFileAndNamesIt) {
  TrainingSnapshot snapshot = SnapshotAfter(3);
  std::string dir = ::testing::TempDir();
  std::string file = WritePlotFile(ToWire(snapshot), dir, 0);
  EXPECT_EQ(file, "plot_000003.svg");
  std::ifstream in(dir + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), RenderSvgPlot(snapshot));
}

TEST(PlotTasksTest, TheTaskRefusesARelativeDirectoryAndABadLatency) {
  WireSnapshot wire = ToWire(SnapshotAfter(1));
  EXPECT_THROW(WritePlotFile(wire, "plots", 0), std::invalid_argument);
  EXPECT_THROW(WritePlotFile(wire, ::testing::TempDir(), -1),
               std::invalid_argument);
  EXPECT_THROW(WritePlotFile(wire, ::testing::TempDir(), 61'000'000),
               std::invalid_argument);
}

TEST(PlotTasksTest, BadSnapshotsAreRefusedWithTheReason) {
  const WireSnapshot good = ToWire(SnapshotAfter(2));
  ASSERT_EQ(Refusal(good), "");

  WireSnapshot bad = good;
  bad.iteration = -1;
  EXPECT_THAT(Refusal(bad), HasSubstr("iteration -1 of 4"));
  bad = good;
  bad.iteration = 5;
  EXPECT_THAT(Refusal(bad), HasSubstr("iteration 5 of 4"));
  bad = good;
  bad.x2.pop_back();
  EXPECT_THAT(Refusal(bad), HasSubstr("as many x1, x2 and labels"));
  bad = good;
  bad.x1.clear();
  bad.x2.clear();
  bad.label.clear();
  EXPECT_THAT(Refusal(bad), HasSubstr("at least one"));
  bad = good;
  bad.label[3] = 2;
  EXPECT_THAT(Refusal(bad), HasSubstr("label 2 of point 3"));
  bad = good;
  bad.loss_history.push_back(0.5);
  EXPECT_THAT(Refusal(bad), HasSubstr("histories of iteration 2"));
  bad = good;
  bad.parameters.pop_back();
  EXPECT_THAT(Refusal(bad), HasSubstr("4 * hidden units + 1 parameters"));
  bad = good;
  bad.hidden_units = 1 << 30;
  EXPECT_THAT(Refusal(bad), HasSubstr("parameters"));
}

TEST(PlotTasksTest, TheRegistryHasTheTaskUnderItsSignature) {
  taskqueue::TaskRegistry registry;
  AddPlotTasks(registry);
  EXPECT_TRUE(registry.Contains("gradient_descent.write_plot"));
  EXPECT_EQ(registry.signatures().at("gradient_descent.write_plot"),
            "(plot_snapshot{i32,i32,i32,vector<f64>,vector<f64>,vector<f64>,"
            "vector<i32>,vector<f64>,vector<f64>},string,i64)->string");
}

}  // namespace
}  // namespace gradient_descent
