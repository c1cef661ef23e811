// NaiveQueue: a faithful port of the naive Python-style queue that taskqueue
// replaces: Python's queue.Queue and N daemon threads looping
//
//   while True:
//       func, args = q.get()
//       func(*args)
//       q.task_done()
//
// One mutex; the "not empty" and "all tasks done" conditions on it, as
// queue.Queue has them; the unfinished-task counter that join() waits on.
// Every add, take and finish takes the one lock. It is the baseline of the
// blocking, long-then-short and memory targets.
#ifndef TASKQUEUE_BENCH_NAIVE_QUEUE_H_
#define TASKQUEUE_BENCH_NAIVE_QUEUE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace taskqueue_bench {

class NaiveQueue {
 public:
  static constexpr std::string_view kName = "naive";
  static constexpr bool kTsanClean = true;

  explicit NaiveQueue(int num_workers) {
    for (int i = 0; i < num_workers; ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  }

  // Python's daemon threads die with the process; here they must be stopped,
  // after the queue has run dry.
  ~NaiveQueue() {
    join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    not_empty_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  NaiveQueue(const NaiveQueue&) = delete;
  NaiveQueue& operator=(const NaiveQueue&) = delete;

  // queue.Queue.put: append, count, wake one getter.
  template <class F>
  void add_task(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.emplace_back(std::forward<F>(f));
    ++unfinished_;
    not_empty_.notify_one();
  }

  // queue.Queue.join.
  void join() {
    std::unique_lock<std::mutex> lock(mu_);
    all_done_.wait(lock, [this] { return unfinished_ == 0; });
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> task;
      {
        // queue.Queue.get.
        std::unique_lock<std::mutex> lock(mu_);
        not_empty_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // Stopping, and nothing left.
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
      // queue.Queue.task_done.
      std::lock_guard<std::mutex> lock(mu_);
      if (--unfinished_ == 0) all_done_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable all_done_;
  std::deque<std::function<void()>> tasks_;  // Guarded by mu_.
  int64_t unfinished_ = 0;                   // Guarded by mu_.
  bool stopping_ = false;                    // Guarded by mu_.
  std::vector<std::thread> threads_;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_NAIVE_QUEUE_H_
