// TaskFailure: what a fire-and-forget task left behind when it threw.
//
// Workers catch everything a task throws (a `std::exception` or any other
// type), so a failing task never takes its worker down. The failure is counted
// in `Stats::failed` and handed to `QueueOptions::on_error` as a TaskFailure:
//
//   taskqueue::QueueOptions options{
//       .num_workers = 4,
//       .on_error = [](const taskqueue::TaskFailure& failure) {
//         LOG(WARNING) << "plot upload failed: " << failure.description;
//       }};
//
// Tasks from `submit()` are not handed to `on_error`: their exception travels
// to the caller through the returned `std::future`.
#ifndef TASKQUEUE_CORE_TASK_FAILURE_H_
#define TASKQUEUE_CORE_TASK_FAILURE_H_

#include <exception>
#include <string>

namespace taskqueue {

struct TaskFailure {
  // The exception the task threw; `std::rethrow_exception` recovers it.
  std::exception_ptr exception;
  // For people: `what()` for a `std::exception`, else the thrown type's name.
  std::string description;
  // Attempts made: TaskOptions::max_attempts when every attempt threw.
  int attempts = 1;

  // The failure for the exception being handled; call only inside a catch.
  static TaskFailure FromCurrentException();
};

// The default `on_error`: one line on stderr naming the failure.
void PrintTaskFailure(const TaskFailure& failure);

namespace internal {
// The demangled name of the exception being handled (the Itanium ABI tells
// it even for types that share no base class), or "unknown" where it cannot.
// Call only inside a catch.
std::string CurrentExceptionTypeName();
}  // namespace internal

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_FAILURE_H_
