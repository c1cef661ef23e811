// What TaskQueue needs to know of named tasks (named_task.h) to accept them,
// without the CAF headers that encoding them takes: the users of closures
// alone do not compile those. A call that adds a named task instantiates
// the declarations below, and its caller has included named_task.h to name
// the task, which defines them.
#ifndef TASKQUEUE_CORE_NAMED_TASK_FWD_H_
#define TASKQUEUE_CORE_NAMED_TASK_FWD_H_

#include <memory>

#include "taskqueue/remote_call.h"

namespace taskqueue {

template <auto Fn>
class NamedTask;

namespace internal {

template <class T>
inline constexpr bool kIsNamedTask = false;
template <auto Fn>
inline constexpr bool kIsNamedTask<NamedTask<Fn>> = true;

// A named task's remote form; its result goes to `sink`, DiscardResult or a
// submit future's std::shared_ptr<std::promise<R>> (task.h).
template <auto Fn, class... Args>
typename NamedTask<Fn>::Arguments ConvertArguments(Args&&... args);

template <auto Fn, class Sink>
std::unique_ptr<RemoteCall> MakeRemoteCall(
    const NamedTask<Fn>& task, const typename NamedTask<Fn>::Arguments& args,
    Sink sink);

}  // namespace internal
}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_NAMED_TASK_FWD_H_
