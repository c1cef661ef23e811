// The naive queue's own demo, ported: ten tasks that each sleep 200 ms, on
// five workers. They finish in two rounds (about 0.4 s), not ten (2 s).
#include <chrono>
#include <cstdio>
#include <thread>

#include "taskqueue/taskqueue.h"

namespace {

void Sleeper(int id, std::chrono::milliseconds nap) {
  std::this_thread::sleep_for(nap);
  std::printf("sleeper %d woke up\n", id);
}

}  // namespace

int main() {
  auto start = std::chrono::steady_clock::now();
  taskqueue::TaskQueue q(5);
  for (int i = 0; i < 10; ++i) {
    q.add_task(Sleeper, i, std::chrono::milliseconds(200));
  }
  q.join();
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("all 10 sleepers done in %.2f s on 5 workers\n", took.count());
  return 0;
}
