#include "examples/comparison_table.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace gradient_descent {
namespace {

// 75 columns: the table, indented, still fits in a header comment.
constexpr char kRow[] = "%-6s %9s %7s %7s %7s %6s %9s %9s %7s\n";

std::string Seconds(absl::Duration d) {
  return absl::StrFormat("%.2f s", absl::ToDoubleSeconds(d));
}

}  // namespace

std::string FormatComparison(const std::vector<RunReport>& reports) {
  const RunReport* baseline = nullptr;
  for (const RunReport& r : reports) {
    if (r.mode == PlotMode::kNone) baseline = &r;
  }
  std::string table =
      absl::StrFormat(kRow, "mode", "loop time", "ms/iter", "vs none", "plots",
                      "failed", "coalesced", "join wait", "total");
  for (const RunReport& r : reports) {
    bool plotting = r.mode != PlotMode::kNone;
    bool on_queue = r.mode == PlotMode::kQueued ||
                    r.mode == PlotMode::kLatest || r.mode == PlotMode::kRemote;
    std::string ratio = "-";
    if (baseline != nullptr && baseline->loop_time > absl::ZeroDuration()) {
      ratio = absl::StrFormat(
          "%.2fx", absl::FDivDuration(r.loop_time, baseline->loop_time));
    }
    absl::StrAppendFormat(
        &table, kRow, PlotModeName(r.mode), Seconds(r.loop_time),
        absl::StrFormat("%.2f", r.ms_per_iteration()), ratio,
        plotting ? absl::StrCat(r.plots_written.size(), "/", r.plots_requested)
                 : "-",
        plotting ? absl::StrCat(r.plots_failed) : "-",
        on_queue ? absl::StrCat(r.plots_coalesced) : "-",
        on_queue ? Seconds(r.join_wait) : "-",
        Seconds(r.loop_time + r.join_wait));
  }
  return table;
}

}  // namespace gradient_descent
