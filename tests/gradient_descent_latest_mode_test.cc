// The gradient-descent example's latest mode, the live view: when plotting is
// slow and training fast, older waiting plots are coalesced away and fewer
// are written, but every plot is accounted for, the last iteration's plot is
// always written, and what is written is the same picture the sync run draws.
// The progress line's final counts (from the queue's observer) agree with the
// report (from Stats), and the comparison table shows the coalesced plots.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "examples/comparison_table.h"
#include "examples/progress_line.h"
#include "examples/training_run.h"
#include "examples/written_plot.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gradient_descent_xml_tree.h"
#include "tests/scratch_files.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;
using ::taskqueue_testing::CapturedStream;
using ::taskqueue_testing::FileNamesIn;
using ::taskqueue_testing::FreshTestDir;
using ::taskqueue_testing::ReadWholeFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSubsetOf;
using ::testing::Not;
using ::testing::SizeIs;

// 100 steps, a plot every 5: 21 plots, the last of iteration 100. Each plot
// takes a second to "upload", while the whole loop takes a small fraction of
// that (even under a sanitizer), so once the workers are busy nearly every
// plot is replaced by the next one before a worker is free.
constexpr int kIterations = 100;
constexpr int kPlotEvery = 5;
constexpr int kPlots = kIterations / kPlotEvery + 1;
constexpr absl::Duration kSlowPlot = absl::Seconds(1);

RunOptions SlowPlots(PlotMode mode, const fs::path& dir, int workers) {
  return RunOptions{.mode = mode,
                    .iterations = kIterations,
                    .plot_every = kPlotEvery,
                    .plot_latency = kSlowPlot,
                    .workers = workers,
                    .plot_dir = dir};
}

class LatestModeSweep : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Workers, LatestModeSweep, ::testing::Values(1, 4));

TEST_P(LatestModeSweep, CoalescesWhenPlottingIsSlowAndKeepsTheLastPlot) {
  fs::path root = FreshTestDir();
  fs::path latest_dir = root / "latest";
  fs::path sync_dir = root / "sync";
  fs::create_directories(latest_dir);
  fs::create_directories(sync_dir);

  RunReport latest =
      RunTraining(SlowPlots(PlotMode::kLatest, latest_dir, GetParam()));

  EXPECT_EQ(latest.plots_requested, kPlots);
  EXPECT_LT(static_cast<int>(latest.plots_written.size()), kPlots);
  EXPECT_GT(latest.plots_coalesced, 0);
  EXPECT_EQ(latest.plots_failed, 0);
  EXPECT_TRUE(latest.failures.empty());
  // Every plot asked for is accounted for: written, failed or coalesced.
  EXPECT_EQ(static_cast<int>(latest.plots_written.size()) +
                latest.plots_failed + latest.plots_coalesced,
            latest.plots_requested);
  // The final frame: nothing comes to replace it, and join waits for it.
  ASSERT_THAT(latest.plots_written, Not(IsEmpty()));
  EXPECT_EQ(latest.plots_written.back().iteration, kIterations);
  EXPECT_GT(latest.join_wait, absl::ZeroDuration());

  // Exactly the reported plots are on disk, each a well-formed SVG and the
  // same picture the sync run draws for that iteration (plotted here without
  // the upload, which changes nothing in the file).
  EXPECT_EQ(FileNamesIn(latest_dir), FileNamesOf(latest.plots_written));
  RunOptions sync_options = SlowPlots(PlotMode::kSync, sync_dir, 1);
  sync_options.plot_latency = absl::ZeroDuration();
  RunReport sync = RunTraining(sync_options);
  ASSERT_THAT(sync.plots_written, SizeIs(kPlots));
  EXPECT_THAT(FileNamesOf(latest.plots_written),
              IsSubsetOf(FileNamesOf(sync.plots_written)));
  for (const WrittenPlot& plot : latest.plots_written) {
    std::string svg = ReadWholeFile(latest_dir / plot.file_name);
    EXPECT_EQ(svg, ReadWholeFile(sync_dir / plot.file_name)) << plot.file_name;
    absl::StatusOr<std::unique_ptr<XmlElement>> parsed = ParseXml(svg);
    ASSERT_TRUE(parsed.ok()) << plot.file_name << ": " << parsed.status();
    EXPECT_EQ((*parsed)->name, "svg");
  }
  EXPECT_EQ(latest.final_evaluation.loss, sync.final_evaluation.loss);
}

TEST(LatestModeTest, FinalProgressLineAgreesWithTheReport) {
  fs::path dir = FreshTestDir();
  CapturedStream out;
  ASSERT_NE(out.get(), nullptr);
  ProgressLine progress(out.get(), out.get(), ProgressLine::Style::kPlainLines);
  RunOptions options = SlowPlots(PlotMode::kLatest, dir, 2);
  options.progress = &progress;

  RunReport report = RunTraining(options);
  std::vector<std::string> lines =
      absl::StrSplit(out.Read(), '\n', absl::SkipEmpty());

  // The last line is shown after join: the observer's counts, all settled,
  // match what the report took from the queue's Stats.
  ASSERT_THAT(lines, Not(IsEmpty()));
  ASSERT_GT(report.plots_coalesced, 0);
  EXPECT_THAT(lines.back(), HasSubstr("latest "));
  EXPECT_THAT(lines.back(),
              HasSubstr(absl::StrCat("plots: 0 queued, 0 running, ",
                                     report.plots_written.size(), " done, ",
                                     report.plots_coalesced, " coalesced")));
  EXPECT_THAT(lines.back(), Not(HasSubstr("failed")));
}

TEST(LatestModeTest, ComparisonTableShowsTheCoalescedPlots) {
  RunReport none{.mode = PlotMode::kNone,
                 .iterations = 100,
                 .loop_time = absl::Seconds(1)};
  RunReport queued{.mode = PlotMode::kQueued,
                   .iterations = 100,
                   .loop_time = absl::Milliseconds(1100),
                   .join_wait = absl::Seconds(3),
                   .plots_requested = 3,
                   .plots_written = {{0, "a"}, {50, "b"}, {100, "c"}}};
  RunReport latest{.mode = PlotMode::kLatest,
                   .iterations = 100,
                   .loop_time = absl::Milliseconds(1200),
                   .join_wait = absl::Milliseconds(400),
                   .plots_requested = 3,
                   .plots_written = {{0, "a"}, {100, "c"}},
                   .plots_coalesced = 1};
  std::vector<std::string> lines = absl::StrSplit(
      FormatComparison({none, queued, latest}), '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(4));
  EXPECT_THAT(lines[0], HasSubstr("coalesced"));
  // Columns: mode, loop time (2), ms/iter, vs none, plots, failed, coalesced,
  // join wait (2), total (2).
  std::vector<std::string> none_row =
      absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  std::vector<std::string> queued_row =
      absl::StrSplit(lines[2], ' ', absl::SkipEmpty());
  std::vector<std::string> latest_row =
      absl::StrSplit(lines[3], ' ', absl::SkipEmpty());
  ASSERT_THAT(none_row, SizeIs(11));
  ASSERT_THAT(queued_row, SizeIs(12));
  ASSERT_THAT(latest_row, SizeIs(12));
  EXPECT_EQ(none_row[7], "-");    // no queue, nothing to coalesce
  EXPECT_EQ(queued_row[7], "0");  // the queued run loses none
  EXPECT_EQ(latest_row[0], "latest");
  EXPECT_EQ(latest_row[4], "1.20x");  // still measured against the baseline
  EXPECT_EQ(latest_row[5], "2/3");
  EXPECT_EQ(latest_row[6], "0");
  EXPECT_EQ(latest_row[7], "1");
  EXPECT_THAT(lines[3], HasSubstr("0.40 s"));
  EXPECT_THAT(lines[3], HasSubstr("1.60 s"));  // loop + join
}

}  // namespace
}  // namespace gradient_descent
