// Training runs of the gradient-descent example in each plot mode: sync and
// queued write the same plots (the queue loses none, at any worker count),
// the queued loop does not wait for the plots, and a plot that fails is
// reported without stopping training or hanging.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "examples/comparison_table.h"
#include "examples/gallery.h"
#include "examples/progress_line.h"
#include "examples/training_run.h"
#include "examples/written_plot.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/dashboard_options.h"
#include "tests/gradient_descent_xml_tree.h"
#include "tests/http/http_exchange.h"
#include "tests/scratch_files.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;
using ::taskqueue_test::Exchange;
using ::taskqueue_test::Get;
using ::taskqueue_testing::FileNamesIn;
using ::taskqueue_testing::FreshTestDir;
using ::taskqueue_testing::ReadWholeFile;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// 40 steps, a plot every 10: plots of iterations 0, 10, 20, 30 and 40.
constexpr int kPlots = 5;
RunOptions SmallRun(PlotMode mode, const fs::path& dir, int workers) {
  return RunOptions{.mode = mode,
                    .iterations = 40,
                    .plot_every = 10,
                    .plot_latency = absl::Milliseconds(2),
                    .workers = workers,
                    .plot_dir = dir};
}

class WorkerSweep : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Workers, WorkerSweep, ::testing::Values(1, 3, 8));

TEST_P(WorkerSweep, SyncAndQueuedWriteTheSamePlots) {
  fs::path root = FreshTestDir();
  fs::path sync_dir = root / "sync";
  fs::path queued_dir = root / "queued";
  fs::create_directories(sync_dir);
  fs::create_directories(queued_dir);

  RunReport sync = RunTraining(SmallRun(PlotMode::kSync, sync_dir, GetParam()));
  RunReport queued =
      RunTraining(SmallRun(PlotMode::kQueued, queued_dir, GetParam()));

  for (const RunReport* report : {&sync, &queued}) {
    EXPECT_EQ(report->plots_requested, kPlots);
    EXPECT_THAT(report->plots_written, SizeIs(kPlots));
    EXPECT_EQ(report->plots_failed, 0);
    EXPECT_TRUE(report->failures.empty());
  }
  EXPECT_EQ(FileNamesOf(sync.plots_written), FileNamesOf(queued.plots_written));
  // Exactly the reported plots are on disk, and they are the same pictures.
  EXPECT_EQ(FileNamesIn(sync_dir), FileNamesOf(sync.plots_written));
  EXPECT_EQ(FileNamesIn(queued_dir), FileNamesOf(queued.plots_written));
  for (const WrittenPlot& plot : queued.plots_written) {
    std::string svg = ReadWholeFile(queued_dir / plot.file_name);
    EXPECT_EQ(svg, ReadWholeFile(sync_dir / plot.file_name)) << plot.file_name;
    absl::StatusOr<std::unique_ptr<XmlElement>> parsed = ParseXml(svg);
    ASSERT_TRUE(parsed.ok()) << plot.file_name << ": " << parsed.status();
    EXPECT_EQ((*parsed)->name, "svg");
  }
  // Reported in iteration order, whatever order the workers finished in.
  for (int i = 0; i < kPlots; ++i) {
    EXPECT_EQ(queued.plots_written[i].iteration, 10 * i);
  }
  EXPECT_EQ(sync.final_evaluation.loss, queued.final_evaluation.loss);
}

TEST_P(WorkerSweep, GalleryListsEveryPlotWritten) {
  fs::path dir = FreshTestDir();
  RunReport report = RunTraining(SmallRun(PlotMode::kQueued, dir, GetParam()));
  ASSERT_TRUE(
      WriteGallery(dir / "index.html", "run", report.plots_written).ok());

  absl::StatusOr<std::unique_ptr<XmlElement>> page =
      ParseXml(ReadWholeFile(dir / "index.html"));
  ASSERT_TRUE(page.ok()) << page.status();
  const XmlElement* list = (*page)->FindById("plots");
  ASSERT_NE(list, nullptr);
  std::set<std::string> linked;
  for (const XmlElement* a : list->FindAll("a")) {
    linked.insert(a->Attribute("href"));
  }
  std::set<std::string> on_disk = FileNamesIn(dir);
  on_disk.erase("index.html");
  EXPECT_THAT(on_disk, SizeIs(kPlots));
  EXPECT_EQ(linked, on_disk);
}

TEST(TrainingRunTest, WithoutPlotsWritesNothing) {
  RunReport report = RunTraining(SmallRun(PlotMode::kNone, "", 1));
  EXPECT_EQ(report.iterations, 40);
  EXPECT_EQ(report.plots_requested, 0);
  EXPECT_TRUE(report.plots_written.empty());
  EXPECT_GT(report.loop_time, absl::ZeroDuration());
  EXPECT_EQ(report.join_wait, absl::ZeroDuration());
}

// A loopback port nothing listens on now (bound and released).
uint16_t FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    ADD_FAILURE() << "no free port";
  }
  close(fd);
  return ntohs(address.sin_port);
}

TEST(TrainingRunTest, AQueuedRunShowsLiveOnItsDashboard) {
  RunOptions options =
      SmallRun(PlotMode::kQueued, FreshTestDir("dashboard_run"), 2);
  options.plot_latency = absl::Milliseconds(100);
  const uint16_t port = FreePort();
  options.dashboard = taskqueue::DashboardOptions{.port = port, .token = "t"};
  std::atomic<bool> done{false};
  RunReport report;
  std::thread run([&] {
    report = RunTraining(options);
    done = true;
  });
  // While the run goes on: statuses that show plots queued or being written.
  int live = 0;
  const std::regex in_flight("\"(queued|running)\":[1-9]");
  while (!done) {
    try {
      const std::string status = Exchange(port, Get("/api/status"));
      if (status.rfind("HTTP/1.1 200", 0) == 0 &&
          std::regex_search(status, in_flight)) {
        ++live;
      }
    } catch (const std::runtime_error&) {
      // Not listening yet, or no longer.
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  run.join();
  EXPECT_GT(live, 0);
  EXPECT_THAT(report.plots_written, SizeIs(kPlots));
  EXPECT_EQ(report.plots_failed, 0);
}

TEST(TrainingRunTest, QueuedLoopDoesNotWaitForThePlots) {
  constexpr absl::Duration kLatency = absl::Milliseconds(300);
  fs::path root = FreshTestDir();
  fs::create_directories(root / "sync");
  fs::create_directories(root / "queued");
  RunOptions sync_options = SmallRun(PlotMode::kSync, root / "sync", kPlots);
  sync_options.plot_latency = kLatency;
  RunOptions queued_options =
      SmallRun(PlotMode::kQueued, root / "queued", kPlots);
  queued_options.plot_latency = kLatency;

  RunReport sync = RunTraining(sync_options);
  RunReport queued = RunTraining(queued_options);

  // The sync loop sleeps through every upload; the queued loop (40 small
  // steps) is done long before they are, and join waits for the rest.
  EXPECT_GE(sync.loop_time, kPlots * kLatency);
  EXPECT_LT(queued.loop_time, kPlots * kLatency / 2);
  EXPECT_GT(queued.join_wait, absl::ZeroDuration());
  EXPECT_THAT(queued.plots_written, SizeIs(kPlots));
}

// A plot directory under a regular file: every plot fails with ENOTDIR (even
// for root, unlike a directory without write permission).
class FailingPlots : public ::testing::TestWithParam<PlotMode> {};
INSTANTIATE_TEST_SUITE_P(Modes, FailingPlots,
                         ::testing::Values(PlotMode::kSync, PlotMode::kQueued),
                         [](const auto& info) {
                           return std::string(PlotModeName(info.param));
                         });

TEST_P(FailingPlots, AreReportedAndTrainingGoesOn) {
  fs::path root = FreshTestDir();
  fs::path file = root / "a_file";
  std::ofstream(file) << "not a directory";
  fs::path plot_dir = file / "plots";

  std::FILE* out = std::tmpfile();
  std::FILE* notes = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ASSERT_NE(notes, nullptr);
  ProgressLine progress(out, notes, ProgressLine::Style::kPlainLines);
  RunOptions options = SmallRun(GetParam(), plot_dir, 2);
  options.progress = &progress;
  RunReport report = RunTraining(options);

  EXPECT_EQ(report.iterations, 40);
  EXPECT_GT(report.final_evaluation.accuracy, 0.8);  // it trained
  EXPECT_TRUE(report.plots_written.empty());
  EXPECT_EQ(report.plots_requested, kPlots);
  EXPECT_EQ(report.plots_failed, kPlots);
  ASSERT_THAT(report.failures, SizeIs(kPlots));
  EXPECT_THAT(report.failures, Each(HasSubstr("Not a directory")));
  EXPECT_THAT(report.failures, Each(HasSubstr(plot_dir.string())));

  // Shown clearly, and not once per plot: the first few, then a summary.
  std::rewind(notes);
  std::string shown;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, notes) != nullptr) shown += buffer;
  std::fclose(notes);
  std::fclose(out);
  std::vector<std::string> lines =
      absl::StrSplit(shown, '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(4)) << shown;
  std::string mode(PlotModeName(GetParam()));
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(lines[i], HasSubstr("gradient_descent: " + mode +
                                    " run: plot failed: cannot write " +
                                    plot_dir.string() + "/plot_0000"));
  }
  EXPECT_THAT(lines[3], HasSubstr("more plots failed"));
}

TEST(ComparisonTableTest, ComparesEachLoopWithTheBaseline) {
  RunReport none{.mode = PlotMode::kNone,
                 .iterations = 100,
                 .loop_time = absl::Seconds(1)};
  RunReport sync{.mode = PlotMode::kSync,
                 .iterations = 100,
                 .loop_time = absl::Seconds(5),
                 .plots_requested = 2,
                 .plots_written = {{0, "a"}, {50, "b"}}};
  RunReport queued{.mode = PlotMode::kQueued,
                   .iterations = 100,
                   .loop_time = absl::Milliseconds(1100),
                   .join_wait = absl::Milliseconds(500),
                   .plots_requested = 2,
                   .plots_written = {{0, "a"}},
                   .plots_failed = 1};
  std::vector<std::string> lines = absl::StrSplit(
      FormatComparison({none, sync, queued}), '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(4));
  EXPECT_THAT(lines[0], HasSubstr("loop time"));
  EXPECT_THAT(lines[0], HasSubstr("join wait"));
  EXPECT_THAT(lines[1], HasSubstr("1.00x"));
  EXPECT_THAT(lines[2], HasSubstr("5.00 s"));
  EXPECT_THAT(lines[2], HasSubstr("50.00"));  // ms per iteration
  EXPECT_THAT(lines[2], HasSubstr("5.00x"));
  EXPECT_THAT(lines[2], HasSubstr("2/2"));
  EXPECT_THAT(lines[3], HasSubstr("1.10x"));
  EXPECT_THAT(lines[3], HasSubstr("1/2"));
  EXPECT_THAT(lines[3], HasSubstr("0.50 s"));
  EXPECT_THAT(lines[3], HasSubstr("1.60 s"));  // loop + join
}

}  // namespace
}  // namespace gradient_descent
