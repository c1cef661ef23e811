// TaskStream: a healthy node's traffic while a test attacks or disturbs the
// queue. From a thread of its own it submits rounds of 20 test.square tasks
// to the queue and checks each result (20 s at most each), until Stop().
//
//   TaskStream stream(q);
//   ... forge, kill, send garbage ...
//   int before = stream.completed();
//   ASSERT_TRUE(WaitFor([&] { return stream.completed() >= before + 200; }));
//   stream.Stop();
//   EXPECT_EQ(stream.wrong(), 0u);
//
// Thread-safe counters; `q` must outlive the stream.
#ifndef TASKQUEUE_TESTS_REMOTE_TASK_STREAM_H_
#define TASKQUEUE_TESTS_REMOTE_TASK_STREAM_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "taskqueue/taskqueue.h"

namespace taskqueue_test {

class TaskStream {
 public:
  explicit TaskStream(taskqueue::TaskQueue& q)
      : thread_([this, &q] { Run(q); }) {}
  ~TaskStream() { Stop(); }
  TaskStream(const TaskStream&) = delete;
  TaskStream& operator=(const TaskStream&) = delete;

  // Waits for the round in progress.
  void Stop();
  uint64_t completed() const { return completed_; }
  // Tasks that failed, came back wrong or not within 20 s.
  uint64_t wrong() const { return wrong_; }

 private:
  void Run(taskqueue::TaskQueue& q);

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> completed_{0};
  std::atomic<uint64_t> wrong_{0};
  std::thread thread_;
};

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_TASK_STREAM_H_
