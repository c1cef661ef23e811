// The gradient_descent program as a user runs it: bad flags give a one-line
// error and exit status 2, and a small --mode=all run prints the comparison
// (the latest run's row included) and writes well-formed plots, the same in
// the sync and queued directories, the latest run's among them with its last
// plot, with galleries that list every one.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gradient_descent_xml_tree.h"
#include "tests/scratch_files.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;
using ::taskqueue_testing::FreshTestDir;
using ::taskqueue_testing::ReadWholeFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsSubsetOf;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// Bazel runs tests in the root of their runfiles, where data deps are.
constexpr char kBinary[] = "examples/gradient_descent";

struct Result {
  int exit_status = -1;
  std::string out;
  std::string err;
};

// Runs the program with `args` (no shell metacharacters) and captures its
// output. Its standard output is a file, not a terminal.
Result RunProgram(const std::vector<std::string>& args) {
  static int runs = 0;
  fs::path dir = FreshTestDir(absl::StrCat("run_", ++runs));
  std::string command = absl::StrCat(kBinary, " ", absl::StrJoin(args, " "),
                                     " >", (dir / "out").string(), " 2>",
                                     (dir / "err").string(), " </dev/null");
  int status = std::system(command.c_str());
  Result result;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadWholeFile(dir / "out");
  result.err = ReadWholeFile(dir / "err");
  return result;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

struct BadFlag {
  std::string flag;
  std::string message;
};

class BadFlags : public ::testing::TestWithParam<BadFlag> {};

INSTANTIATE_TEST_SUITE_P(
    Flags, BadFlags,
    ::testing::Values(
        BadFlag{"--iterations=-5", "--iterations must be between 1 and"},
        BadFlag{"--iterations=0", "--iterations must be between 1 and"},
        BadFlag{"--workers=0", "--workers must be between 1 and 1024, got 0"},
        BadFlag{"--workers=100000", "--workers must be between 1 and 1024"},
        BadFlag{"--plot_every=0", "--plot_every must be between 1 and"},
        BadFlag{"--plot_latency=-1s", "--plot_latency must be between 0"},
        BadFlag{"--mode=fast",
                "--mode must be none, sync, queued, latest or all"},
        BadFlag{"--out_dir=", "--out_dir must not be empty"},
        BadFlag{"--dashboard=70000", "--dashboard must be between -1 and"},
        BadFlag{"stray", "unexpected argument 'stray'"}));

TEST_P(BadFlags, OneLineErrorAndExitStatus2) {
  Result r = RunProgram({GetParam().flag});
  EXPECT_EQ(r.exit_status, 2);
  ASSERT_THAT(Lines(r.err), SizeIs(1)) << r.err;
  EXPECT_THAT(r.err, StartsWith("gradient_descent: "));
  EXPECT_THAT(r.err, HasSubstr(GetParam().message));
  EXPECT_EQ(r.out, "");  // nothing trained
}

TEST(GradientDescentTest, AFileWhereTheOutputDirectoryShouldBe) {
  fs::path file = FreshTestDir("file_as_out_dir") / "a_file";
  std::ofstream(file) << "not a directory";

  Result r = RunProgram({"--out_dir=" + file.string()});
  EXPECT_EQ(r.exit_status, 2);
  ASSERT_THAT(Lines(r.err), SizeIs(1)) << r.err;
  EXPECT_EQ(r.err, "gradient_descent: --out_dir=" + file.string() +
                       " is not a directory\n");

  r = RunProgram({"--out_dir=" + (file / "plots").string()});
  EXPECT_EQ(r.exit_status, 2);
  ASSERT_THAT(Lines(r.err), SizeIs(1)) << r.err;
  EXPECT_THAT(r.err,
              HasSubstr("cannot create --out_dir=" + (file / "plots").string() +
                        ": Not a directory"));
}

TEST(GradientDescentTest, UnparsableValueIsRejectedByTheFlagsLibrary) {
  Result r = RunProgram({"--iterations=many"});
  EXPECT_NE(r.exit_status, 0);
  ASSERT_THAT(Lines(r.err), SizeIs(1)) << r.err;
  EXPECT_THAT(r.err, HasSubstr("'iterations'"));
}

// The links of an index.html, checked to be well-formed.
std::set<std::string> GalleryLinks(const fs::path& page) {
  absl::StatusOr<std::unique_ptr<XmlElement>> parsed =
      ParseXml(ReadWholeFile(page));
  EXPECT_TRUE(parsed.ok()) << page << ": " << parsed.status();
  std::set<std::string> links;
  if (!parsed.ok()) return links;
  const XmlElement* list = (*parsed)->FindById("plots");
  if (list == nullptr) return links;
  for (const XmlElement* a : list->FindAll("a")) {
    links.insert(a->Attribute("href"));
  }
  return links;
}

std::set<std::string> SvgFiles(const fs::path& dir) {
  std::set<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".svg") {
      names.insert(entry.path().filename().string());
    }
  }
  return names;
}

TEST(GradientDescentTest, AllModesCompareAndWriteTheSamePlots) {
  fs::path out_dir = FreshTestDir("all_modes") / "plots";
  // A plot from an earlier, longer run, which this run must clear away.
  fs::create_directories(out_dir / "queued");
  std::ofstream(out_dir / "queued" / "plot_009999.svg") << "stale";

  Result r =
      RunProgram({"--iterations=60", "--plot_every=20", "--plot_latency=5ms",
                  "--workers=2", "--out_dir=" + out_dir.string()});
  ASSERT_EQ(r.exit_status, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  // Not a terminal: plain lines, no redraws.
  EXPECT_THAT(r.out, Not(HasSubstr("\r")));
  EXPECT_THAT(r.out, HasSubstr("loop time"));
  EXPECT_THAT(r.out, HasSubstr("join wait"));
  EXPECT_THAT(r.out, HasSubstr("coalesced"));
  for (const char* mode : {"\nnone ", "\nsync ", "\nqueued ", "\nlatest "}) {
    EXPECT_THAT(r.out, HasSubstr(mode));
  }
  EXPECT_THAT(r.out, HasSubstr("4/4"));
  EXPECT_THAT(r.out, HasSubstr("The sync and queued runs wrote the same 4 "
                               "plots."));
  EXPECT_THAT(r.out, HasSubstr("Plots: " + (out_dir / "index.html").string()));

  std::set<std::string> expected = {"plot_000000.svg", "plot_000020.svg",
                                    "plot_000040.svg", "plot_000060.svg"};
  ASSERT_EQ(SvgFiles(out_dir / "sync"), expected);
  ASSERT_EQ(SvgFiles(out_dir / "queued"), expected);
  for (const std::string& name : expected) {
    std::string svg = ReadWholeFile(out_dir / "queued" / name);
    EXPECT_EQ(svg, ReadWholeFile(out_dir / "sync" / name)) << name;
    absl::StatusOr<std::unique_ptr<XmlElement>> parsed = ParseXml(svg);
    EXPECT_TRUE(parsed.ok()) << name << ": " << parsed.status();
  }
  EXPECT_EQ(GalleryLinks(out_dir / "sync" / "index.html"), expected);
  EXPECT_EQ(GalleryLinks(out_dir / "queued" / "index.html"), expected);

  // The latest run may coalesce some plots, never the last one; what it
  // writes is the sync run's picture, and its gallery lists just that.
  EXPECT_THAT(r.out, HasSubstr("The latest run wrote "));
  std::set<std::string> latest = SvgFiles(out_dir / "latest");
  EXPECT_THAT(latest, IsSubsetOf(expected));
  EXPECT_THAT(latest, Contains("plot_000060.svg"));
  for (const std::string& name : latest) {
    EXPECT_EQ(ReadWholeFile(out_dir / "latest" / name),
              ReadWholeFile(out_dir / "sync" / name))
        << name;
  }
  EXPECT_EQ(GalleryLinks(out_dir / "latest" / "index.html"), latest);

  // The top-level gallery shows every plot: the queued run's.
  std::set<std::string> top_level;
  for (const std::string& name : expected) top_level.insert("queued/" + name);
  EXPECT_EQ(GalleryLinks(out_dir / "index.html"), top_level);
}

TEST(GradientDescentTest, LatestModeAloneShowsItsPlotsAtTheTop) {
  fs::path out_dir = FreshTestDir("latest_mode") / "plots";
  Result r =
      RunProgram({"--mode=latest", "--iterations=40", "--plot_every=10",
                  "--plot_latency=5ms", "--out_dir=" + out_dir.string()});
  ASSERT_EQ(r.exit_status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nlatest "));
  EXPECT_THAT(r.out, HasSubstr("The latest run wrote "));
  std::set<std::string> top_level;
  for (const std::string& name : SvgFiles(out_dir / "latest")) {
    top_level.insert("latest/" + name);
  }
  EXPECT_THAT(top_level, Contains("latest/plot_000040.svg"));
  EXPECT_EQ(GalleryLinks(out_dir / "index.html"), top_level);
}

TEST(GradientDescentTest, NoneModeNeedsNoOutputDirectory) {
  fs::path out_dir = FreshTestDir("none_mode") / "plots";
  Result r = RunProgram(
      {"--mode=none", "--iterations=20", "--out_dir=" + out_dir.string()});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nnone "));
  EXPECT_FALSE(fs::exists(out_dir));
}

}  // namespace
}  // namespace gradient_descent
