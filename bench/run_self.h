// RunSelf: runs this very binary again (/proc/self/exe) with other arguments
// and collects what it prints. The memory scenario measures each pool in a
// fresh process: in a process that has already run other scenarios, memory
// that allocators cache (oneTBB keeps every task object it ever allocated
// for reuse, for one) would be reused without raising the RSS, and the
// delta would read near zero.
#ifndef TASKQUEUE_BENCH_RUN_SELF_H_
#define TASKQUEUE_BENCH_RUN_SELF_H_

#include <string>
#include <vector>

namespace taskqueue_bench {

// Blocks until the child exits. Returns false, with a message in `output`,
// unless it could be started and exited with status 0.
bool RunSelf(const std::vector<std::string>& args, std::string* output);

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_RUN_SELF_H_
