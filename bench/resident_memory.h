// The process's resident set size, for the memory scenario.
#ifndef TASKQUEUE_BENCH_RESIDENT_MEMORY_H_
#define TASKQUEUE_BENCH_RESIDENT_MEMORY_H_

#include <cstdint>

namespace taskqueue_bench {

// Bytes resident now (/proc/self/statm), or -1 if that cannot be read.
int64_t ResidentBytes();

// Hands memory that malloc holds free back to the system, so that an RSS
// delta measures what is allocated after it, not what an earlier run left
// in malloc's free lists.
void ReleaseFreeMemory();

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_RESIDENT_MEMORY_H_
