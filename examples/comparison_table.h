// Comparison table: the numbers that show what offloading the plots buys, one
// row per training run, each measured against the run without plots (here
// --iterations=200 on a busy 2-core machine):
//
//   mode   loop time ms/iter vs none   plots failed coalesced join wait   total
//   none      0.17 s    0.83   1.00x       -      -         -         -  0.17 s
//   sync      2.45 s   12.27  14.82x   11/11      0         -         -  2.45 s
//   queued    0.22 s    1.12   1.35x   11/11      0         0    0.44 s  0.67 s
//   latest    0.32 s    1.58   1.91x    9/11      0         2    0.30 s  0.62 s
//
// "loop time" is the training loop alone (what the user's loop feels);
// "join wait" is the wait for the queue after it; "total" is both. "plots" is
// written/requested; "coalesced" counts the plots a queued run replaced by a
// newer one (Stats::coalesced), which only the latest run does.
#ifndef TASKQUEUE_EXAMPLES_COMPARISON_TABLE_H_
#define TASKQUEUE_EXAMPLES_COMPARISON_TABLE_H_

#include <string>
#include <vector>

#include "examples/training_run.h"

namespace gradient_descent {

// The table, newline-terminated lines. "vs none" compares loop times with
// the kNone report, when `reports` has one ("-" otherwise).
std::string FormatComparison(const std::vector<RunReport>& reports);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_COMPARISON_TABLE_H_
