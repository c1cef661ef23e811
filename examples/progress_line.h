// ProgressLine: the live status of a training run (iteration, loss, accuracy,
// plots queued/running/done/failed/coalesced), shown the way the output can
// take it.
//
//   * On a terminal (kRedraw) one line is redrawn in place, at most ten
//     times a second, so printing never costs the loop much.
//   * Elsewhere (kPlainLines: a pipe, a file, a CI log) a plain line is
//     printed every tenth of the run, and at its end: no carriage returns or
//     escape codes, a bounded number of lines.
//
//   ProgressLine line(stdout, stderr, ProgressLine::StyleFor(stdout));
//   for (...) { ...; if (line.Due(i, n)) line.Show({...}); }
//   line.Finish();
//
// Threads: Due(), Show() and Finish() belong to the thread running the loop;
// Note() may be called from any thread at once (the queue's workers report
// failed plots with it).
#ifndef TASKQUEUE_EXAMPLES_PROGRESS_LINE_H_
#define TASKQUEUE_EXAMPLES_PROGRESS_LINE_H_

#include <cstdio>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gradient_descent {

struct Progress {
  // The run's name: "none", "sync", "queued" or "latest".
  absl::string_view mode;
  // Gradient steps taken, of `iterations`.
  int iteration = 0;
  int iterations = 0;
  double loss = 0;
  double accuracy = 0;
  // Whether the run plots at all; the counts below are shown only if so.
  bool plots = false;
  int plots_queued = 0;
  int plots_running = 0;
  int plots_done = 0;
  // Shown only when non-zero.
  int plots_failed = 0;
  // Plots replaced by a newer one before they started (the latest run);
  // shown only when non-zero.
  int plots_coalesced = 0;
};

// The line's text, without newline or escape codes.
std::string FormatProgress(const Progress& progress);

class ProgressLine {
 public:
  enum class Style { kRedraw, kPlainLines };

  // kRedraw if `out` is a terminal, else kPlainLines.
  static Style StyleFor(std::FILE* out);

  // Progress goes to `out`, notes to `notes` (they may be the same stream).
  // Neither is closed. Default plain_lines: 10 (plus the last).
  ProgressLine(std::FILE* out, std::FILE* notes, Style style,
               int plain_lines = 10);

  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Whether the line should be shown after step `iteration` of `iterations`:
  // cheap enough to ask every iteration. The first and last step are always
  // due.
  bool Due(int iteration, int iterations);

  void Show(const Progress& progress);

  // Prints `line` (and a newline) to `notes` without garbling the progress
  // line: in kRedraw style the line is cleared first and redrawn below.
  void Note(absl::string_view line);

  // Ends the redrawn line (kRedraw) so that later output starts on a line
  // of its own. The next Show() starts a new line.
  void Finish();

 private:
  void Draw() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::FILE* const out_;
  std::FILE* const notes_;
  const Style style_;
  const int plain_lines_;
  // Columns of the terminal minus one (a full line would wrap), or 0 if
  // unknown; kRedraw cuts the line to fit, since a wrapped line cannot be
  // redrawn in place.
  const int max_width_;
  // Loop thread only.
  absl::Time last_shown_ = absl::InfinitePast();

  absl::Mutex mu_;
  // What the line shows now, and whether it is on screen (kRedraw).
  std::string text_ ABSL_GUARDED_BY(mu_);
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_PROGRESS_LINE_H_
