// 4 producers x 100,000 tasks on 5 workers: every task counted, none lost,
// none run twice. Also runs under --config=tsan and --config=asan.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"

namespace taskqueue {
namespace {

TEST(StressTest, FourProducersFiveWorkersEveryTaskOnce) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 100000;
  std::vector<std::atomic<uint8_t>> runs(kProducers * kPerProducer);
  TaskQueue q(5);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        q.add_task([&runs](int id) { runs[id].fetch_add(1); },
                   p * kPerProducer + i);
        // Joins mixed in: they must not lose or repeat anything either.
        if (i % 20000 == 0) q.join();
      }
    });
  }
  for (auto& t : producers) t.join();
  EXPECT_TRUE(q.join().ok());
  int missing = 0, repeated = 0;
  for (auto& r : runs) {
    missing += r.load() == 0;
    repeated += r.load() > 1;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(repeated, 0);
  Stats stats = q.stats();
  EXPECT_EQ(stats.submitted, runs.size());
  EXPECT_EQ(stats.completed, runs.size());
}

}  // namespace
}  // namespace taskqueue
