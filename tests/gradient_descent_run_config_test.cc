// The gradient-descent example's flag checks: the defaults pass, each bound
// is inclusive, and --mode=all runs the baseline first and the latest mode
// last.
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "examples/run_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/queue_options.h"

namespace gradient_descent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(RunConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(ValidateRunConfig(RunConfig{}).ok());
}

TEST(RunConfigTest, BoundsAreInclusive) {
  RunConfig config;
  config.iterations = kMaxIterations;
  config.plot_every = 1;
  config.plot_latency = absl::ZeroDuration();
  config.workers = taskqueue::QueueOptions::kMaxWorkers;
  EXPECT_TRUE(ValidateRunConfig(config).ok());

  config.iterations = kMaxIterations + 1;
  absl::Status status = ValidateRunConfig(config);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--iterations"));

  config = RunConfig{};
  config.plot_latency = kMaxPlotLatency + absl::Nanoseconds(1);
  EXPECT_THAT(ValidateRunConfig(config).message(), HasSubstr("--plot_latency"));
}

TEST(RunConfigTest, ADashboardNeedsAnInProcessQueue) {
  RunConfig config;
  for (int port : {-1, 0, 7080, 65535}) {
    config.dashboard_port = port;
    EXPECT_TRUE(ValidateRunConfig(config).ok()) << port;
  }
  for (int port : {-2, 65536}) {
    config.dashboard_port = port;
    EXPECT_THAT(ValidateRunConfig(config).message(),
                HasSubstr("--dashboard must be between -1 and 65535"));
  }
  config.dashboard_port = 0;
  for (const char* mode : {"queued", "latest", "all"}) {
    config.mode = mode;
    EXPECT_TRUE(ValidateRunConfig(config).ok()) << mode;
  }
  for (const char* mode : {"none", "sync", "remote"}) {
    config.mode = mode;
    EXPECT_THAT(ValidateRunConfig(config).message(),
                HasSubstr("--dashboard needs a run on an in-process queue"))
        << mode;
  }
}

TEST(RunConfigTest, ModesRunTheBaselineFirst) {
  EXPECT_THAT(*ParseModes("all"),
              ElementsAre(PlotMode::kNone, PlotMode::kSync, PlotMode::kQueued,
                          PlotMode::kLatest));
  EXPECT_THAT(*ParseModes("queued"), ElementsAre(PlotMode::kQueued));
  EXPECT_THAT(*ParseModes("latest"), ElementsAre(PlotMode::kLatest));
  EXPECT_EQ(ParseModes("ALL").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gradient_descent
