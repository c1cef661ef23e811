#include "actors/server/journaled_task.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "taskqueue/errors.h"
#include "taskqueue/task_failure.h"

namespace taskqueue::internal {
namespace {

void LogIfFailed(absl::StatusOr<OpOutcome> outcome) {
  if (!outcome.ok()) {
    std::fprintf(stderr, "taskqueue server: journal: %s\n",
                 std::string(outcome.status().message()).c_str());
  }
}

// The exception's type and message, as the journal records them.
std::pair<std::string, std::string> Describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& e) {
    return {CurrentExceptionTypeName(), e.what()};
  } catch (...) {
    return {CurrentExceptionTypeName(), ""};
  }
}

}  // namespace

void JournaledTask::started(int attempt, int worker) {
  absl::MutexLock lock(&mu_);
  ABSL_ASSERT(!open_);
  attempt_ = recovered_ + attempt;
  open_ = true;
  commits_.Submit(DispatchTask{.id = id_, .worker = worker_names_(worker)},
                  LogIfFailed);
}

void JournaledTask::retrying(int attempt, std::exception_ptr error) {
  absl::MutexLock lock(&mu_);
  // Told before the task is put back: nothing can have ended it yet.
  ABSL_ASSERT(open_ && attempt_ == recovered_ + attempt);
  FailOpen(std::move(error), /*retry=*/true);
}

void JournaledTask::set_value(std::vector<char> result) {
  absl::MutexLock lock(&mu_);
  ABSL_ASSERT(open_);
  open_ = false;
  End(CompleteTask{.id = id_,
                   .attempt = attempt_,
                   .result = std::string(result.begin(), result.end())});
}

void JournaledTask::set_exception(std::exception_ptr error) {
  std::optional<TaskState> unrun;
  try {
    std::rethrow_exception(error);
  } catch (const TaskNotRunError& e) {
    unrun = e.state();
  } catch (...) {
  }
  absl::MutexLock lock(&mu_);
  if (!unrun.has_value() && open_) {
    FailOpen(std::move(error), /*retry=*/false);
    return;
  }
  if (stopping_.load()) return;
  if (!unrun.has_value()) {
    // Failed while it waited for a retry (stopped): the journal has it
    // queued, and a restart runs it again.
    std::fprintf(stderr,
                 "taskqueue server: task %lld failed while waiting for a "
                 "retry; the journal keeps it queued\n",
                 static_cast<long long>(id_));
    return;
  }
  // Only a queued task ends unrun: no attempt is open.
  ABSL_ASSERT(!open_);
  End(EndUnrun{.id = id_, .state = *unrun});
}

void JournaledTask::FailOpen(std::exception_ptr error, bool retry) {
  ABSL_ASSERT(open_);
  open_ = false;
  auto [type, message] = Describe(std::move(error));
  FailAttempt failed{.id = id_,
                     .attempt = attempt_,
                     .error_type = std::move(type),
                     .error_message = std::move(message),
                     .retry = retry};
  if (retry) {
    commits_.Submit(std::move(failed), LogIfFailed);
  } else {
    End(std::move(failed));
  }
}

void JournaledTask::End(JournalOp op) {
  commits_.Submit(std::move(op), [id = id_, &ended = ended_](
                                     absl::StatusOr<OpOutcome> outcome) {
    LogIfFailed(outcome);
    if (outcome.ok()) ended(id);
  });
}

}  // namespace taskqueue::internal
