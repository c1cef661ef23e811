// Comparison table: the numbers that show what offloading the plots buys, one
// row per training run, each measured against the run without plots:
//
//   mode   loop time  ms/iter  vs none  plots  failed  join wait   total
//   none      0.48 s     0.80    1.00x      -       -          -  0.48 s
//   sync      6.90 s    11.50   14.38x  31/31       0          -  6.90 s
//   queued    0.50 s     0.83    1.04x  31/31       0     1.10 s  1.60 s
//
// "loop time" is the training loop alone (what the user's loop feels);
// "join wait" is the wait for the queue after it; "total" is both.
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
