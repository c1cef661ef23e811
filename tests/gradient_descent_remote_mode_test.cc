// gradient_descent --mode=remote for real: the program and plot_node as
// processes of their own on loopback, both ways the README gives: the node
// started by hand (two terminals) and by --spawn_plot_node (one command).
// The plots must be on disk, well-formed XML, and the same bytes the sync
// run writes. Without a node the run must fail, saying so, within its
// --node_timeout. Every wait is bounded, and every process this test starts
// is killed and reaped, whatever happens (taskqueue_tools::ChildProcess).
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gradient_descent_xml_tree.h"
#include "tests/scratch_files.h"
#include "tools/child_process/child_process.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;
using taskqueue_testing::FreshTestDir;
using taskqueue_testing::ReadWholeFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Bazel runs tests in the root of their runfiles, where data deps are.
constexpr char kProgram[] = "examples/gradient_descent";
constexpr char kPlotNode[] = "examples/plot_node";
// Far longer than a run of a few iterations takes, even on a busy machine:
// only a hang reaches it.
constexpr auto kRunLimit = std::chrono::seconds(60);

// A process of the test's, its stdout and stderr in files in `dir`.
class Child {
 public:
  Child(std::vector<std::string> args, const fs::path& dir)
      : out_(dir / "out"),
        err_(dir / "err"),
        process_({.argv = std::move(args),
                  .stdout_path = out_.string(),
                  .stderr_path = err_.string()}) {}

  bool started() const { return process_.pid() > 0; }
  void Signal(int signal) { process_.Signal(signal); }
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    return process_.Wait(timeout);
  }
  std::string out() const { return ReadWholeFile(out_); }
  std::string err() const { return ReadWholeFile(err_); }

 private:
  fs::path out_;
  fs::path err_;
  taskqueue_tools::ChildProcess process_;
};

// Well-formed XML whose root element is `root`: "" if so, else why not.
std::string NotXmlWithRoot(const std::string& document,
                           const std::string& root) {
  auto parsed = ParseXml(document);
  if (!parsed.ok()) return std::string(parsed.status().message());
  if ((*parsed)->name != root) return "root element " + (*parsed)->name;
  return "";
}

std::set<std::string> SvgFiles(const fs::path& dir) {
  std::set<std::string> names;
  for (const std::string& name : taskqueue_testing::FileNamesIn(dir)) {
    if (fs::path(name).extension() == ".svg") names.insert(name);
  }
  return names;
}

// What the small runs here plot: --iterations=40 --plot_every=10.
const std::set<std::string> kPlots = {"plot_000000.svg", "plot_000010.svg",
                                      "plot_000020.svg", "plot_000030.svg",
                                      "plot_000040.svg"};

std::vector<std::string> SmallRun(const fs::path& out_dir,
                                  const std::string& mode) {
  return {kProgram,
          "--mode=" + mode,
          "--iterations=40",
          "--plot_every=10",
          "--plot_latency=20ms",
          "--out_dir=" + out_dir.string()};
}

// Every plot of the run in out_dir/remote is well-formed SVG, the same bytes
// as the sync run's, and listed in its gallery.
void ExpectRemotePlots(const fs::path& out_dir) {
  fs::path remote = out_dir / "remote";
  ASSERT_EQ(SvgFiles(remote), kPlots);
  fs::path sync_dir = FreshTestDir(out_dir.filename().string() + "_sync");
  Child sync(SmallRun(sync_dir / "plots", "sync"), sync_dir);
  ASSERT_EQ(sync.Wait(kRunLimit), 0) << sync.err();
  for (const std::string& name : kPlots) {
    std::string svg = ReadWholeFile(remote / name);
    EXPECT_EQ(NotXmlWithRoot(svg, "svg"), "") << name;
    EXPECT_EQ(svg, ReadWholeFile(sync_dir / "plots" / "sync" / name)) << name;
  }
  std::string gallery = ReadWholeFile(remote / "index.html");
  EXPECT_EQ(NotXmlWithRoot(gallery, "html"), "");
  for (const std::string& name : kPlots) {
    EXPECT_THAT(gallery, HasSubstr(name));
  }
}

TEST(RemoteModeTest, OneCommandSpawnsThePlotNodeAndStopsIt) {
  fs::path dir = FreshTestDir("spawned");
  std::vector<std::string> args = SmallRun(dir / "plots", "remote");
  args.push_back("--listen=0");
  args.push_back("--workers=2");
  args.push_back(absl::StrCat("--spawn_plot_node=", kPlotNode));
  Child run(args, dir);
  ASSERT_TRUE(run.started());
  ASSERT_EQ(run.Wait(kRunLimit), 0) << run.out() << run.err();
  EXPECT_THAT(run.out(), HasSubstr("Listening for plot nodes on 127.0.0.1:"));
  EXPECT_THAT(run.out(), HasSubstr("remote "));
  EXPECT_THAT(run.out(), HasSubstr("5/5"));
  // The node drained on SIGTERM and said what it ran (it shares stderr).
  EXPECT_THAT(run.err(), HasSubstr("worker node: ran 5 tasks"));
  ExpectRemotePlots(dir / "plots");
}

TEST(RemoteModeTest, TwoProcessesStartedApartAsInTwoTerminals) {
  fs::path dir = FreshTestDir("two_terminals");
  std::vector<std::string> args = SmallRun(dir / "plots", "remote");
  args.push_back("--listen=0");
  args.push_back("--node_timeout=30s");
  Child run(args, dir);
  ASSERT_TRUE(run.started());

  // The port it printed, read as a user would.
  std::regex listening(R"(Listening for plot nodes on 127\.0\.0\.1:(\d+))");
  std::smatch match;
  std::string out;
  auto give_up = std::chrono::steady_clock::now() + kRunLimit;
  while (!std::regex_search(out = run.out(), match, listening)) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << run.err();
    ASSERT_EQ(run.Wait(std::chrono::milliseconds(20)), std::nullopt)
        << run.err();
  }
  std::string port = match[1];

  fs::path node_dir = FreshTestDir("two_terminals_node");
  Child node({kPlotNode, "--connect=127.0.0.1:" + port, "--slots=4"}, node_dir);
  ASSERT_EQ(run.Wait(kRunLimit), 0) << run.out() << run.err();
  EXPECT_THAT(run.out(), HasSubstr("A plot node is connected."));
  // The run is over; the node waits for a queue to come back until told to
  // stop, and drains on SIGTERM.
  node.Signal(SIGTERM);
  EXPECT_EQ(node.Wait(kRunLimit), 0) << node.err();
  EXPECT_THAT(node.err(), HasSubstr("worker node: ran 5 tasks"));
  ExpectRemotePlots(dir / "plots");
}

TEST(RemoteModeTest, NoNodeFailsWithinTheTimeoutSayingSo) {
  fs::path dir = FreshTestDir("no_node");
  std::vector<std::string> args = SmallRun(dir / "plots", "remote");
  args.push_back("--node_timeout=500ms");
  auto start = std::chrono::steady_clock::now();
  Child run(args, dir);
  ASSERT_EQ(run.Wait(kRunLimit), 3) << run.out() << run.err();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_THAT(run.err(), HasSubstr("gradient_descent: no plot node connected "
                                   "to 127.0.0.1:"));
  EXPECT_THAT(run.err(), HasSubstr("within 500ms"));
  // Nothing was trained.
  EXPECT_THAT(run.out(), Not(HasSubstr("loss")));
  EXPECT_THAT(SvgFiles(dir / "plots" / "remote"), IsEmpty());
}

TEST(RemoteModeTest, ASpawnedNodeThatExitsFailsTheRunAtOnce) {
  fs::path dir = FreshTestDir("node_exits");
  std::vector<std::string> args = SmallRun(dir / "plots", "remote");
  // A node that cannot connect anywhere: bad flags, exit status 1.
  args.push_back("--spawn_plot_node=/bin/false");
  args.push_back("--node_timeout=60s");
  auto start = std::chrono::steady_clock::now();
  Child run(args, dir);
  ASSERT_EQ(run.Wait(kRunLimit), 3) << run.out() << run.err();
  // Long before the node timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_THAT(run.err(),
              HasSubstr("the plot node process exited with status 1"));
}

TEST(RemoteModeTest, RemoteFlagsNeedTheRemoteMode) {
  fs::path dir = FreshTestDir("flags");
  Child listen({kProgram, "--mode=queued", "--listen=7070"}, dir);
  ASSERT_EQ(listen.Wait(kRunLimit), 2);
  EXPECT_EQ(listen.err(), "gradient_descent: --listen needs --mode=remote\n");

  Child bad_port({kProgram, "--mode=remote", "--listen=70000"}, dir);
  ASSERT_EQ(bad_port.Wait(kRunLimit), 2);
  EXPECT_THAT(bad_port.err(),
              HasSubstr("--listen must be between 0 and 65535, got 70000"));

  Child missing({kProgram, "--mode=remote", "--spawn_plot_node=no/such/node",
                 "--out_dir=" + (dir / "plots").string()},
                dir);
  ASSERT_EQ(missing.Wait(kRunLimit), 2);
  EXPECT_THAT(missing.err(), HasSubstr("no/such/node is not an executable"));
}

}  // namespace
}  // namespace gradient_descent
