// The gradient-descent example's progress line: redrawn in place on a
// terminal, plain periodic lines elsewhere (CI logs), and notes from other
// threads never garble it.
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "examples/progress_line.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/scratch_files.h"

namespace gradient_descent {
namespace {

using ::taskqueue_testing::CapturedStream;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

Progress At(int iteration, int iterations) {
  return Progress{.mode = "queued",
                  .iteration = iteration,
                  .iterations = iterations,
                  .loss = 0.25,
                  .accuracy = 0.915,
                  .plots = true,
                  .plots_queued = 2,
                  .plots_running = 4,
                  .plots_done = 17};
}

TEST(ProgressLineTest, FormatsEverythingAPersonWantsToSee) {
  std::string text = FormatProgress(At(120, 600));
  EXPECT_THAT(text, HasSubstr("queued"));
  EXPECT_THAT(text, HasSubstr("120/600"));
  EXPECT_THAT(text, HasSubstr("loss 0.2500"));
  EXPECT_THAT(text, HasSubstr("91.5%"));
  EXPECT_THAT(text, HasSubstr("2 queued, 4 running, 17 done"));
  EXPECT_THAT(text, Not(HasSubstr("failed")));

  Progress failing = At(120, 600);
  failing.plots_failed = 3;
  EXPECT_THAT(FormatProgress(failing), HasSubstr("3 failed"));
  EXPECT_THAT(FormatProgress(failing), Not(HasSubstr("coalesced")));
  Progress coalescing = At(120, 600);
  coalescing.mode = "latest";
  coalescing.plots_coalesced = 9;
  EXPECT_THAT(FormatProgress(coalescing),
              HasSubstr("2 queued, 4 running, 17 done, 9 coalesced"));
  Progress no_plots = At(120, 600);
  no_plots.plots = false;
  EXPECT_THAT(FormatProgress(no_plots), Not(HasSubstr("plots")));
}

TEST(ProgressLineTest, AFileIsNotATerminal) {
  CapturedStream out;
  EXPECT_EQ(ProgressLine::StyleFor(out.get()),
            ProgressLine::Style::kPlainLines);
}

TEST(ProgressLineTest, PlainStylePrintsATenthOfTheRunAtATime) {
  CapturedStream out;
  ProgressLine line(out.get(), out.get(), ProgressLine::Style::kPlainLines);
  constexpr int kIterations = 1000;
  for (int i = 1; i <= kIterations; ++i) {
    if (line.Due(i, kIterations)) line.Show(At(i, kIterations));
  }
  line.Finish();
  std::string text = out.Read();
  EXPECT_THAT(text, Not(HasSubstr("\r")));
  EXPECT_THAT(text, Not(HasSubstr("\033")));
  std::vector<std::string> lines =
      absl::StrSplit(text, '\n', absl::SkipEmpty());
  // Iteration 1, then 100, 200, ..., 1000.
  ASSERT_THAT(lines, SizeIs(11));
  EXPECT_THAT(lines[0], HasSubstr(" 1/1000"));
  EXPECT_THAT(lines[1], HasSubstr("100/1000"));
  EXPECT_THAT(lines[10], HasSubstr("1000/1000"));
}

TEST(ProgressLineTest, RedrawStyleRewritesOneLine) {
  CapturedStream out;
  ProgressLine line(out.get(), out.get(), ProgressLine::Style::kRedraw);
  line.Show(At(1, 600));
  line.Show(At(2, 600));
  line.Finish();
  std::string text = out.Read();
  EXPECT_EQ(text, absl::StrCat("\r\033[K", FormatProgress(At(1, 600)),
                               "\r\033[K", FormatProgress(At(2, 600)), "\n"));
}

TEST(ProgressLineTest, RedrawStyleIsThrottledButShowsTheEnds) {
  ProgressLine line(stdout, stdout, ProgressLine::Style::kRedraw);
  EXPECT_TRUE(line.Due(1, 600));
  line.Show(At(1, 600));
  // Right after a redraw, only the last iteration is due.
  EXPECT_FALSE(line.Due(2, 600));
  EXPECT_TRUE(line.Due(600, 600));
}

TEST(ProgressLineTest, NoteClearsTheLineAndRedrawsIt) {
  CapturedStream out;
  ProgressLine line(out.get(), out.get(), ProgressLine::Style::kRedraw);
  line.Show(At(5, 600));
  line.Note("gradient_descent: queued run: plot failed: cannot write x");
  line.Finish();
  std::string shown = FormatProgress(At(5, 600));
  EXPECT_EQ(out.Read(),
            absl::StrCat("\r\033[K", shown, "\r\033[K",
                         "gradient_descent: queued run: plot failed: "
                         "cannot write x\n",
                         "\r\033[K", shown, "\n"));
}

TEST(ProgressLineTest, NotesFromManyThreadsStayWholeLines) {
  CapturedStream out;
  CapturedStream notes;
  ProgressLine line(out.get(), notes.get(), ProgressLine::Style::kRedraw);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&line, t] {
      for (int i = 0; i < 50; ++i) {
        line.Note(absl::StrCat("note from thread ", t, " number ", i));
      }
    });
  }
  for (int i = 1; i <= 200; ++i) line.Show(At(i, 200));
  for (std::thread& thread : threads) thread.join();
  line.Finish();
  std::vector<std::string> lines =
      absl::StrSplit(notes.Read(), '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(200));
  for (const std::string& l : lines) {
    EXPECT_TRUE(absl::StartsWith(l, "note from thread ")) << l;
  }
}

}  // namespace
}  // namespace gradient_descent
