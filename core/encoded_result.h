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
// Contract: exactly one of the two is called, once, when the task ends: on
// the worker's thread for a local attempt, on the queue's supervisor thread
// for a worker node's result or for a task that ends unrun. Both must be
// thread-safe and quick; they must not block on the queue (join, shutdown).
#ifndef TASKQUEUE_CORE_ENCODED_RESULT_H_
#define TASKQUEUE_CORE_ENCODED_RESULT_H_

#include <exception>
#include <vector>

namespace taskqueue {

class EncodedResult {
 public:
  virtual ~EncodedResult() = default;
  // The task's last attempt returned this (WireWriter-encoded).
  virtual void set_value(std::vector<char> result) = 0;
  // It ended without a result: what its last attempt threw, or a
  // TaskNotRunError (cancelled, expired, ...).
  virtual void set_exception(std::exception_ptr error) = 0;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_ENCODED_RESULT_H_
