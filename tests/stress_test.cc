// Several producer threads adding at once: every task counted, none lost,
// none run twice. The large case also runs under --config=tsan and asan.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"

namespace taskqueue {
namespace {

// `producers` threads each add `per_producer` tasks, joining every
// `join_every` adds; then checks that each task ran exactly once.
void ProduceAndCount(int workers, int producers, int per_producer,
                     int join_every) {
  std::vector<std::atomic<uint8_t>> runs(producers * per_producer);
  TaskQueue q(workers);
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < per_producer; ++i) {
        q.add_task([&runs](int id) { runs[id].fetch_add(1); },
                   p * per_producer + i);
        // Joins mixed in: they must not lose or repeat anything either.
        if (i % join_every == join_every - 1) q.join();
      }
    });
  }
  for (auto& t : threads) t.join();
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

TEST(StressTest, FourProducersAtOnce) { ProduceAndCount(3, 4, 5000, 5000); }

TEST(StressTest, FourProducersFiveWorkersEveryTaskOnce) {
  ProduceAndCount(5, 4, 100000, 20000);
}

TEST(StressTest, ManyProducersOneWorker) { ProduceAndCount(1, 8, 2000, 97); }

}  // namespace
}  // namespace taskqueue
