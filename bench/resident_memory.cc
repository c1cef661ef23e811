#include "bench/resident_memory.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

namespace taskqueue_bench {

int64_t ResidentBytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return -1;
  long long size_pages = 0;
  long long resident_pages = 0;
  int read = std::fscanf(statm, "%lld %lld", &size_pages, &resident_pages);
  std::fclose(statm);
  if (read != 2) return -1;
  return resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

void ReleaseFreeMemory() { malloc_trim(0); }

}  // namespace taskqueue_bench
