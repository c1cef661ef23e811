// MoodycamelPool: N threads taking tasks from a
// moodycamel::BlockingConcurrentQueue, the near-the-limit reference: a
// lock-free queue with per-producer sub-queues and a lightweight semaphore
// that spins before it sleeps. Joins with PendingTasks.
//
// Workers take one task at a time: dequeuing in bulk would be faster still,
// but would strand tasks behind a slow one, which the blocking scenarios
// punish and no other peer does.
#ifndef TASKQUEUE_BENCH_MOODYCAMEL_POOL_H_
#define TASKQUEUE_BENCH_MOODYCAMEL_POOL_H_

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <functional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench/pending_tasks.h"

namespace taskqueue_bench {

class MoodycamelPool {
 public:
  static constexpr std::string_view kName = "moodycamel";
  // Header-only, but it orders a slot's contents with relaxed atomics and
  // std::atomic_thread_fence, and TSan does not model fences: it reports
  // the hand-over of every task as a race.
  static constexpr bool kTsanClean = false;

  explicit MoodycamelPool(int num_workers) {
    for (int i = 0; i < num_workers; ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  }

  // An empty task tells one worker to stop; they go once the queue is done.
  ~MoodycamelPool() {
    join();
    for (size_t i = 0; i < threads_.size(); ++i) {
      queue_.enqueue(std::function<void()>());
    }
    for (auto& thread : threads_) thread.join();
  }

  MoodycamelPool(const MoodycamelPool&) = delete;
  MoodycamelPool& operator=(const MoodycamelPool&) = delete;

  template <class F>
  void add_task(F&& f) {
    pending_.Add();
    queue_.enqueue(std::function<void()>(std::forward<F>(f)));
  }

  void join() { pending_.AwaitZero(); }

 private:
  void Work() {
    moodycamel::ConsumerToken token(queue_);
    std::function<void()> task;
    for (;;) {
      queue_.wait_dequeue(token, task);
      if (!task) return;
      task();
      task = nullptr;  // The task's captures go now, not at the next one.
      pending_.Done();
    }
  }

  PendingTasks pending_;
  moodycamel::BlockingConcurrentQueue<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_MOODYCAMEL_POOL_H_
