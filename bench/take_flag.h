// TakeFlag: a benchmark binary's own flags (--smoke), taken out of argv
// before Google Benchmark, which refuses flags it does not know, sees them.
#ifndef TASKQUEUE_BENCH_TAKE_FLAG_H_
#define TASKQUEUE_BENCH_TAKE_FLAG_H_

#include <cstring>

namespace taskqueue_bench {

// Removes `flag` from argv; returns whether it was there.
inline bool TakeFlag(int& argc, char** argv, const char* flag) {
  bool found = false;
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0) {
      found = true;
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  return found;
}

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_TAKE_FLAG_H_
