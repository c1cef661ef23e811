#include "actors/server/journaled_task.h"

#include <cstdio>
#include <optional>
#include <utility>

#include "taskqueue/errors.h"
#include "taskqueue/task_failure.h"

namespace taskqueue::internal {
namespace {

// What the server does when recording a transition fails: the task itself
// is unaffected; a restart replays what the journal did not hear.
void LogIfFailed(absl::StatusOr<OpOutcome> outcome) {
  if (!outcome.ok()) {
    std::fprintf(stderr, "taskqueue server: journal: %s\n",
                 std::string(outcome.status().message()).c_str());
  }
}

}  // namespace

void JournaledTask::Started(std::string worker) {
  absl::MutexLock lock(&mu_);
  if (open_) {
    commits_.Submit(
        FailAttempt{.id = id_,
                    .attempt = attempts_,
                    .error_type = "taskqueue::RetriedAttempt",
                    .error_message = "the attempt ended without a result and "
                                     "the task was run again",
                    .retry = true},
        LogIfFailed);
  }
  ++attempts_;
  open_ = true;
  commits_.Submit(DispatchTask{.id = id_, .worker = std::move(worker)},
                  LogIfFailed);
}

void JournaledTask::set_value(std::vector<char> result) {
  absl::MutexLock lock(&mu_);
  open_ = false;
  commits_.Submit(CompleteTask{.id = id_,
                               .attempt = attempts_,
                               .result = std::string(result.begin(),
                                                     result.end())},
                  LogIfFailed);
}

void JournaledTask::set_exception(std::exception_ptr error) {
  FailAttempt failed{.id = id_, .retry = false};
  std::optional<TaskState> unrun;
  try {
    std::rethrow_exception(error);
  } catch (const TaskNotRunError& e) {
    unrun = e.state();
    failed.error_type = CurrentExceptionTypeName();
    failed.error_message = e.what();
  } catch (const std::exception& e) {
    failed.error_type = CurrentExceptionTypeName();
    failed.error_message = e.what();
  } catch (...) {
    failed.error_type = CurrentExceptionTypeName();
  }
  absl::MutexLock lock(&mu_);
  if (unrun.has_value() && !open_) {
    commits_.Submit(EndUnrun{.id = id_, .state = *unrun}, LogIfFailed);
    return;
  }
  open_ = false;
  failed.attempt = attempts_;
  commits_.Submit(std::move(failed), LogIfFailed);
}

}  // namespace taskqueue::internal
