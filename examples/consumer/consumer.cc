// Uses taskqueue from another workspace, through its public target
// @taskqueue//:taskqueue only. Exits 0 if all 100 tasks ran.
#include <atomic>
#include <cstdio>

#include "taskqueue/taskqueue.h"

int main() {
  std::atomic<int> count{0};
  taskqueue::TaskQueue q(4);
  for (int i = 0; i < 100; ++i) {
    q.add_task([&count](int n) { count.fetch_add(n); }, 1);
  }
  q.join();
  std::printf("%d of 100 tasks ran\n", count.load());
  return count.load() == 100 ? 0 : 1;
}
