// The exceptions of named tasks (named_task.h, task_registry.h).
//
//   * `WireFormatError`: bytes that should hold a task's arguments or result
//     do not decode as its types (a peer built from other code, or damaged
//     bytes). The task fails with it; nothing else is affected.
//   * `UnknownTaskError`: a task name that the registry asked does not hold.
//   * `TaskSignatureError`: two registries disagree on a task's types; the
//     message names the task and both signatures.
//
// Each is a std::runtime_error: it says what came in from elsewhere, not that
// the calling code has a bug.
#ifndef TASKQUEUE_CORE_NAMED_TASK_ERRORS_H_
#define TASKQUEUE_CORE_NAMED_TASK_ERRORS_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace taskqueue {

class WireFormatError : public std::runtime_error {
 public:
  explicit WireFormatError(const std::string& what)
      : std::runtime_error("taskqueue: " + what) {}
};

class UnknownTaskError : public std::runtime_error {
 public:
  explicit UnknownTaskError(std::string_view name)
      : std::runtime_error("taskqueue: no task named \"" + std::string(name) +
                           "\" is registered") {}
};

class TaskSignatureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_NAMED_TASK_ERRORS_H_
