// RemoteCall: a named task (named_task.h) in the form that can leave the
// process: its name, its types, its arguments encoded, and how an encoded
// result goes back to the task's future. Internal to taskqueue.
//
// Made when the task is added; immutable from then, except that `complete`
// is called at most once, by whoever receives the attempt's result.
#ifndef TASKQUEUE_CORE_REMOTE_CALL_H_
#define TASKQUEUE_CORE_REMOTE_CALL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"

namespace taskqueue::internal {

struct RemoteCall {
  std::string_view name;
  // NamedTask<Fn>::types(): static, lives as long as the program.
  const std::string* types = nullptr;
  // The arguments, WireWriter-encoded.
  std::vector<char> arguments;
  // Decodes a result that a worker node sent into the task's future.
  // Throws WireFormatError when the bytes do not decode.
  absl::AnyInvocable<void(std::string_view result)> complete;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_CORE_REMOTE_CALL_H_
