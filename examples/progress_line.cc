#include "examples/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace gradient_descent {
namespace {

// A terminal redraw costs a write system call; ten a second looks live.
constexpr absl::Duration kRedrawInterval = absl::Milliseconds(100);

// "\r": back to the start of the line; "\033[K": clear to its end.
constexpr absl::string_view kClearLine = "\r\033[K";

int TerminalWidth(std::FILE* out, ProgressLine::Style style) {
  if (style != ProgressLine::Style::kRedraw) return 0;
  struct winsize size {};
  if (ioctl(fileno(out), TIOCGWINSZ, &size) != 0 || size.ws_col < 2) return 0;
  return size.ws_col - 1;
}

}  // namespace

std::string FormatProgress(const Progress& p) {
  // The iteration is padded to the width of the total so that the rest of
  // the line stays put as it is redrawn.
  std::string text = absl::StrFormat(
      "%-6s %*d/%d  loss %.4f  acc %5.1f%%", p.mode,
      static_cast<int>(absl::StrFormat("%d", p.iterations).size()), p.iteration,
      p.iterations, p.loss, 100 * p.accuracy);
  if (p.plots) {
    absl::StrAppendFormat(&text, "  plots: %d queued, %d running, %d done",
                          p.plots_queued, p.plots_running, p.plots_done);
    if (p.plots_failed > 0) {
      absl::StrAppendFormat(&text, ", %d failed", p.plots_failed);
    }
    if (p.plots_coalesced > 0) {
      absl::StrAppendFormat(&text, ", %d coalesced", p.plots_coalesced);
    }
  }
  return text;
}

ProgressLine::Style ProgressLine::StyleFor(std::FILE* out) {
  return isatty(fileno(out)) ? Style::kRedraw : Style::kPlainLines;
}

ProgressLine::ProgressLine(std::FILE* out, std::FILE* notes, Style style,
                           int plain_lines)
    : out_(out),
      notes_(notes),
      style_(style),
      plain_lines_(std::max(1, plain_lines)),
      max_width_(TerminalWidth(out, style)) {}

bool ProgressLine::Due(int iteration, int iterations) {
  if (iteration <= 1 || iteration >= iterations) return true;
  if (style_ == Style::kPlainLines) {
    return iteration % std::max(1, iterations / plain_lines_) == 0;
  }
  return absl::Now() - last_shown_ >= kRedrawInterval;
}

void ProgressLine::Show(const Progress& progress) {
  last_shown_ = absl::Now();
  absl::MutexLock lock(&mu_);
  text_ = FormatProgress(progress);
  Draw();
}

void ProgressLine::Draw() {
  if (style_ == Style::kPlainLines) {
    absl::FPrintF(out_, "%s\n", text_);
  } else {
    absl::string_view shown = text_;
    if (max_width_ > 0 && shown.size() > static_cast<size_t>(max_width_)) {
      shown = shown.substr(0, max_width_);
    }
    absl::FPrintF(out_, "%s%s", kClearLine, shown);
    open_ = true;
  }
  std::fflush(out_);
}

void ProgressLine::Note(absl::string_view line) {
  absl::MutexLock lock(&mu_);
  bool redraw = open_;
  if (open_) {
    absl::FPrintF(out_, "%s", kClearLine);
    std::fflush(out_);
  }
  absl::FPrintF(notes_, "%s\n", line);
  std::fflush(notes_);
  if (redraw) Draw();
}

void ProgressLine::Finish() {
  absl::MutexLock lock(&mu_);
  if (open_) {
    absl::FPrintF(out_, "\n");
    std::fflush(out_);
    open_ = false;
  }
}

}  // namespace gradient_descent
