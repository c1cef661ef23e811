// EncodedResult: where the outcome of a task added with
// TaskQueue::add_encoded goes, for a program that relays tasks it holds only
// as a name and bytes (the queue server records each outcome in its
// journal).
//
//   class Record : public taskqueue::EncodedResult {
//     void set_value(std::vector<char> result) override { ... }
//     void set_exception(std::exception_ptr error) override { ... }
//   };
//   q.add_encoded({}, registry, "plot.write", bytes,
//   std::make_shared<Record>());
//
// Contract: exactly one of set_value and set_exception is called, once,
// when the task ends. Before that, started is called as each attempt
// starts, and retrying as an attempt ends in another one; an attempt's
// started comes before its end (retrying, or the outcome), and an attempt
// ends before the next starts. They run on the thread that made the change:
// the worker's for a local attempt, the queue's supervisor thread for a
// worker node's attempts and for a task that ends unrun. All must be
// thread-safe and quick; they must not block on the queue (join, shutdown).
#ifndef TASKQUEUE_CORE_ENCODED_RESULT_H_
#define TASKQUEUE_CORE_ENCODED_RESULT_H_

#include <exception>
#include <vector>

namespace taskqueue {

class EncodedResult {
 public:
  virtual ~EncodedResult() = default;
  // Attempt `attempt` (1 for the first) starts on `worker`: a local
  // worker's index in [0, QueueOptions::num_workers), or a worker node's
  // number (>= num_workers).
  virtual void started(int attempt, int worker) {}
  // Attempt `attempt` threw `error`, or the worker node running it was lost
  // (NodeLostError), and the task will run again.
  virtual void retrying(int attempt, std::exception_ptr error) {}
  // The task's last attempt returned this (WireWriter-encoded).
  virtual void set_value(std::vector<char> result) = 0;
  // It ended without a result: what its last attempt threw, or a
  // TaskNotRunError (cancelled, expired, ...).
  virtual void set_exception(std::exception_ptr error) = 0;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_ENCODED_RESULT_H_
