#include "actors/server/task_views.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {
namespace {

int64_t UnixMillis(absl::Time t) {
  return t == absl::InfinitePast() ? 0 : absl::ToUnixMillis(t);
}

}  // namespace

TaskInfo TaskInfoOf(JournalTask task) {
  TaskInfo info{
      .id = static_cast<uint64_t>(task.id),
      .name = std::move(task.task.name),
      .state = task.state,
      .label = std::move(task.task.label),
      .idempotency_key = std::move(task.task.idempotency_key),
      .priority = task.task.priority,
      .attempts = task.attempts,
      .attempt_budget = task.attempt_budget,
      .accepted_ms = UnixMillis(task.accepted),
      .ended_ms = UnixMillis(task.ended),
      .arguments =
          std::vector<char>(task.task.args.begin(), task.task.args.end()),
      .result = std::vector<char>(task.result.begin(), task.result.end()),
      .error_type = std::move(task.error_type),
      .error_message = std::move(task.error_message),
  };
  for (JournalAttempt& a : task.history) {
    info.history.push_back(AttemptInfo{
        .number = a.number,
        .worker = std::move(a.worker),
        .started_ms = UnixMillis(a.started),
        .ended_ms = UnixMillis(a.ended),
        .outcome = std::move(a.outcome),
        .error_type = std::move(a.error_type),
        .error_message = std::move(a.error_message),
    });
  }
  return info;
}

ServerStatus ServerStatusOf(QueueServer& server,
                            const std::array<int64_t, 8>& counts) {
  return ServerStatusOf(server, counts, server.queue().stats());
}

ServerStatus ServerStatusOf(QueueServer& server,
                            const std::array<int64_t, 8>& counts,
                            const Stats& stats) {
  ServerStatus status{
      .tasks_by_state = std::vector<int64_t>(counts.begin(), counts.end()),
      .workers = server.queue().num_workers(),
      .paused = server.paused(),
      .completed = stats.completed,
      .uptime_ms = absl::ToInt64Milliseconds(server.uptime()),
      .nodes = NodeInfosOf(stats),
  };
  return status;
}

absl::StatusOr<LiveStatus> LiveStatusOf(QueueServer& server, Journal& journal,
                                        Stats stats, int max_running) {
  absl::StatusOr<std::array<int64_t, 8>> counts = journal.CountByState();
  if (!counts.ok()) return counts.status();
  absl::StatusOr<std::vector<RunningAttempt>> running =
      journal.Running(max_running);
  if (!running.ok()) return running.status();
  absl::StatusOr<std::vector<std::pair<int, int64_t>>> queued =
      journal.QueuedByPriority();
  if (!queued.ok()) return queued.status();
  LiveStatus live{.server = ServerStatusOf(server, *counts, stats),
                  .queued_by_priority = *std::move(queued),
                  .stats = std::move(stats)};
  for (RunningAttempt& r : *running) {
    live.running.push_back(RunningTask{.id = static_cast<uint64_t>(r.id),
                                       .name = std::move(r.name),
                                       .attempt = r.number,
                                       .worker = std::move(r.worker),
                                       .started_ms = UnixMillis(r.started)});
  }
  return live;
}

}  // namespace taskqueue::internal
