// Where the gradient-descent example writes: relative --out_dir values follow
// the user (BUILD_WORKING_DIRECTORY under `bazel run`), a file in the way is
// an error, and a plot directory starts with only this run's plots.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "examples/output_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/scratch_files.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;
using ::taskqueue_testing::FreshTestDir;
using ::taskqueue_testing::ReadWholeFile;
using ::testing::HasSubstr;

TEST(OutputDirTest, RelativePathFollowsTheWorkingDirectoryGiven) {
  fs::path base = FreshTestDir();
  absl::StatusOr<fs::path> dir = PrepareOutDir("plots/run1", base.string());
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(*dir, base / "plots" / "run1");
  EXPECT_TRUE(fs::is_directory(*dir));
}

TEST(OutputDirTest, AbsolutePathIsKept) {
  fs::path wanted = FreshTestDir() / "a" / "b";
  absl::StatusOr<fs::path> dir = PrepareOutDir(wanted.string(), "/elsewhere");
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(*dir, wanted);
  EXPECT_TRUE(fs::is_directory(wanted));
}

TEST(OutputDirTest, AFileInTheWayIsAnError) {
  fs::path file = FreshTestDir() / "file";
  std::ofstream(file) << "x";
  absl::StatusOr<fs::path> dir = PrepareOutDir(file.string(), "");
  EXPECT_EQ(dir.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(dir.status().message(),
            "--out_dir=" + file.string() + " is not a directory");

  dir = PrepareOutDir((file / "below").string(), "");
  EXPECT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().message(), HasSubstr("Not a directory"));
}

TEST(OutputDirTest, PlotDirKeepsOnlyWhatIsNotAnOldPlot) {
  fs::path out = FreshTestDir();
  fs::create_directories(out / "queued");
  for (const char* name : {"plot_000000.svg", "plot_000020.svg", "notes.txt",
                           "plot_12.svg", "index.html"}) {
    std::ofstream(out / "queued" / name) << "old";
  }
  absl::StatusOr<fs::path> dir = PreparePlotDir(out, "queued");
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(*dir, out / "queued");
  std::set<std::string> left;
  for (const fs::directory_entry& entry : fs::directory_iterator(*dir)) {
    left.insert(entry.path().filename().string());
  }
  EXPECT_EQ(left,
            (std::set<std::string>{"notes.txt", "plot_12.svg", "index.html"}));
}

TEST(OutputDirTest, PlotDirCannotBeAFile) {
  fs::path out = FreshTestDir();
  std::ofstream(out / "sync") << "x";
  absl::StatusOr<fs::path> dir = PreparePlotDir(out, "sync");
  EXPECT_EQ(dir.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(dir.status().message(), HasSubstr((out / "sync").string()));
}

}  // namespace
}  // namespace gradient_descent
