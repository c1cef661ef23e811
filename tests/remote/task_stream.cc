#include "tests/remote/task_stream.h"

#include <chrono>
#include <future>
#include <vector>

#include "tests/remote/test_tasks.h"

namespace taskqueue_test {

void TaskStream::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void TaskStream::Run(taskqueue::TaskQueue& q) {
  constexpr int64_t kRound = 20;
  for (int64_t round = 0; !stop_; ++round) {
    std::vector<taskqueue::TaskFuture<int64_t>> results;
    for (int64_t i = 0; i < kRound; ++i) {
      results.push_back(q.submit(kSquare, round * kRound + i, 0));
    }
    for (int64_t i = 0; i < kRound; ++i) {
      const int64_t x = round * kRound + i;
      if (results[i].wait_for(std::chrono::seconds(20)) !=
              std::future_status::ready ||
          results[i].get() != x * x + 1) {
        ++wrong_;
      } else {
        ++completed_;
      }
    }
  }
}

}  // namespace taskqueue_test
