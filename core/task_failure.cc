#include "taskqueue/task_failure.h"

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <typeinfo>

namespace taskqueue {
namespace internal {

std::string CurrentExceptionTypeName() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) return "unknown";
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), &std::free);
  return status == 0 && demangled ? demangled.get() : type->name();
}

}  // namespace internal

TaskFailure TaskFailure::FromCurrentException() {
  TaskFailure failure{.exception = std::current_exception()};
  try {
    throw;
  } catch (const std::exception& e) {
    failure.description = e.what();
  } catch (...) {
    failure.description = "exception of type " +
                          internal::CurrentExceptionTypeName() +
                          " (no message)";
  }
  return failure;
}

void PrintTaskFailure(const TaskFailure& failure) {
  // One fprintf call keeps concurrent failures from interleaving mid-line.
  if (failure.attempts > 1) {
    std::fprintf(stderr, "taskqueue: task failed after %d attempts: %s\n",
                 failure.attempts, failure.description.c_str());
  } else {
    std::fprintf(stderr, "taskqueue: task failed: %s\n",
                 failure.description.c_str());
  }
}

}  // namespace taskqueue
