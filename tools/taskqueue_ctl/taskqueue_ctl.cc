// taskqueue_ctl: a queue server's operator tool.
//
//   taskqueue_ctl status                     counts, throughput, workers, nodes
//   taskqueue_ctl list --state=failed        tasks, 100 at a time (--after=ID)
//   taskqueue_ctl list --label=run-7
//   taskqueue_ctl show 42                    one task: arguments, attempts
//   taskqueue_ctl retry 42 43                dead-lettered tasks, again
//   taskqueue_ctl retry --all_failed
//   taskqueue_ctl purge --older_than=24h     delete tasks that ended before
//   taskqueue_ctl pause | resume
//
// --server=HOST:PORT (default 127.0.0.1:7070), --json for scripts (one JSON
// document on stdout), tables otherwise. TLS: --tls_certificate, --tls_key,
// --tls_ca. Exit status: 0 done; 1 the server refused or could not be
// reached (the reason on stderr); 2 bad usage.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "actors/server/task_json.h"
#include "taskqueue/queue_client.h"
#include "tools/host_port/host_port.h"
#include "tools/tls_flags/tls_flags.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7070", "HOST:PORT of the server");
ABSL_FLAG(bool, json, false, "print JSON instead of tables");
ABSL_FLAG(std::string, state, "", "list: only tasks in this state");
ABSL_FLAG(std::string, label, "", "list: only tasks with this label");
ABSL_FLAG(uint64_t, after, 0, "list: only tasks with a greater id");
ABSL_FLAG(int, limit, 100, "list: at most this many tasks");
ABSL_FLAG(bool, all_failed, false, "retry: every dead-lettered task");
ABSL_FLAG(absl::Duration, older_than, absl::Hours(24 * 7),
          "purge: tasks that ended at least this long ago");

namespace {

using taskqueue::TaskInfo;
using taskqueue::TaskState;

constexpr int kStates = 8;

// Usage errors exit 2; the server's refusals and lost connections exit 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string Time(int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%E3S", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

std::optional<TaskState> ParseState(const std::string& name) {
  for (int i = 0; i < kStates; ++i) {
    auto state = static_cast<TaskState>(i);
    if (taskqueue::TaskStateName(state) == name) return state;
  }
  return std::nullopt;
}

taskqueue::ClientOptions Connection() {
  std::string target = absl::GetFlag(FLAGS_server);
  taskqueue::ClientOptions options;
  if (!taskqueue_tools::ParseHostPort(target, &options.host, &options.port)) {
    throw UsageError("--server is HOST:PORT, not \"" + target + "\"");
  }
  options.tls = taskqueue_tools::TlsFromFlags();
  return options;
}

uint64_t ParseId(const std::string& text) {
  uint64_t id = 0;
  if (!absl::SimpleAtoi(text, &id) || id == 0) {
    throw UsageError("a task id is a positive number, not \"" + text + "\"");
  }
  return id;
}

void Status(taskqueue::QueueClient& client, bool json) {
  taskqueue::ServerStatus s = client.status();
  double per_second = s.uptime_ms > 0 ? s.completed * 1000.0 / s.uptime_ms : 0;
  if (json) {
    std::printf("%s\n", taskqueue::internal::StatusJson(s).c_str());
    return;
  }
  std::printf("%-10s %12s\n", "STATE", "TASKS");
  for (int i = 0; i < kStates && i < static_cast<int>(s.tasks_by_state.size());
       ++i) {
    std::printf("%-10s %12" PRId64 "\n",
                std::string(taskqueue::TaskStateName(static_cast<TaskState>(i)))
                    .c_str(),
                s.tasks_by_state[i]);
  }
  std::printf("\nworkers %d%s, %" PRIu64 " completed in %.1f s (%.1f/s)\n",
              s.workers, s.paused ? " (paused)" : "", s.completed,
              s.uptime_ms / 1000.0, per_second);
  if (!s.nodes.empty()) {
    std::printf("\n%-24s %5s %-12s %10s %10s %8s\n", "NODE", "SLOTS", "HEALTH",
                "STARTED", "COMPLETED", "FAILED");
    for (const taskqueue::NodeInfo& n : s.nodes) {
      std::printf("%-24s %5d %-12s %10" PRIu64 " %10" PRIu64 " %8" PRIu64 "\n",
                  n.name.c_str(), n.slots,
                  n.connected ? "connected" : "disconnected", n.started,
                  n.completed, n.failed);
    }
  }
}

void List(taskqueue::QueueClient& client, bool json) {
  taskqueue::TaskFilter filter{.after_id = absl::GetFlag(FLAGS_after),
                               .limit = absl::GetFlag(FLAGS_limit)};
  if (filter.limit < 1) throw UsageError("--limit is at least 1");
  if (std::string state = absl::GetFlag(FLAGS_state); !state.empty()) {
    filter.state = ParseState(state);
    if (!filter.state) throw UsageError("no task state \"" + state + "\"");
  }
  if (std::string label = absl::GetFlag(FLAGS_label); !label.empty()) {
    filter.label = label;
  }
  std::vector<TaskInfo> tasks = client.list(filter);
  if (json) {
    std::printf("%s\n", taskqueue::internal::TaskListJson(tasks).c_str());
    return;
  }
  std::printf("%-10s %-24s %-10s %8s %-23s %s\n", "ID", "NAME", "STATE",
              "ATTEMPTS", "ACCEPTED (UTC)", "LABEL / ERROR");
  for (const TaskInfo& t : tasks) {
    std::string note = t.label;
    if (!t.error_type.empty()) {
      absl::StrAppend(&note, note.empty() ? "" : " ", t.error_type, ": ",
                      t.error_message);
    }
    std::printf("%-10" PRIu64 " %-24s %-10s %8d %-23s %s\n", t.id,
                t.name.c_str(),
                std::string(taskqueue::TaskStateName(t.state)).c_str(),
                t.attempts, Time(t.accepted_ms).c_str(), note.c_str());
  }
  if (static_cast<int>(tasks.size()) == filter.limit) {
    std::printf("(more: --after=%" PRIu64 ")\n", tasks.back().id);
  }
}

void Show(taskqueue::QueueClient& client, uint64_t id, bool json) {
  TaskInfo t = client.show(id);
  if (json) {
    std::printf("%s\n", taskqueue::internal::TaskJson(t).c_str());
    return;
  }
  std::printf("task %" PRIu64 ": %s, %s\n", t.id, t.name.c_str(),
              std::string(taskqueue::TaskStateName(t.state)).c_str());
  std::printf("  label            %s\n", t.label.c_str());
  std::printf("  idempotency key  %s\n", t.idempotency_key.c_str());
  std::printf("  priority         %d\n", t.priority);
  std::printf("  attempts         %d of %d\n", t.attempts, t.attempt_budget);
  std::printf("  accepted         %s\n", Time(t.accepted_ms).c_str());
  std::printf("  ended            %s\n", Time(t.ended_ms).c_str());
  std::printf("  arguments        %zu bytes: %s\n", t.arguments.size(),
              taskqueue::internal::Hex(t.arguments).c_str());
  if (t.state == TaskState::kCompleted) {
    std::printf("  result           %zu bytes: %s\n", t.result.size(),
                taskqueue::internal::Hex(t.result).c_str());
  }
  if (!t.error_type.empty()) {
    std::printf("  error            %s: %s\n", t.error_type.c_str(),
                t.error_message.c_str());
  }
  for (const taskqueue::AttemptInfo& a : t.history) {
    std::printf(
        "  attempt %d on %s, %s to %s: %s%s%s\n", a.number, a.worker.c_str(),
        Time(a.started_ms).c_str(), Time(a.ended_ms).c_str(),
        a.outcome.empty() ? "running" : a.outcome.c_str(),
        a.error_type.empty() ? "" : " ",
        a.error_type.empty() ? ""
                             : (a.error_type + ": " + a.error_message).c_str());
  }
}

void Retry(taskqueue::QueueClient& client, std::vector<uint64_t> ids,
           bool json) {
  if (absl::GetFlag(FLAGS_all_failed)) {
    for (uint64_t after = 0;;) {
      std::vector<TaskInfo> failed = client.list(
          {.state = TaskState::kFailed, .after_id = after, .limit = 1000});
      for (const TaskInfo& t : failed) ids.push_back(t.id);
      if (failed.size() < 1000) break;
      after = failed.back().id;
    }
  }
  if (ids.empty()) throw UsageError("retry: name task ids or --all_failed");
  for (uint64_t id : ids) client.retry(id);
  if (json) {
    std::printf("{\"retried\":%zu}\n", ids.size());
  } else {
    std::printf("retried %zu task(s)\n", ids.size());
  }
}

int Run(const std::vector<std::string>& args) {
  bool json = absl::GetFlag(FLAGS_json);
  if (args.empty())
    throw UsageError("name a command: " +
                     std::string(absl::ProgramUsageMessage()));
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  taskqueue::QueueClient client(Connection());
  auto no_arguments = [&] {
    if (!rest.empty()) throw UsageError(command + " takes no arguments");
  };
  if (command == "status") {
    no_arguments();
    Status(client, json);
  } else if (command == "list") {
    no_arguments();
    List(client, json);
  } else if (command == "show") {
    if (rest.size() != 1) throw UsageError("show takes one task id");
    Show(client, ParseId(rest[0]), json);
  } else if (command == "retry") {
    std::vector<uint64_t> ids;
    for (const std::string& id : rest) ids.push_back(ParseId(id));
    Retry(client, std::move(ids), json);
  } else if (command == "purge") {
    no_arguments();
    absl::Duration age = absl::GetFlag(FLAGS_older_than);
    if (age < absl::ZeroDuration()) throw UsageError("--older_than >= 0");
    int64_t deleted = client.purge(absl::ToChronoMilliseconds(age));
    std::printf(
        json ? "{\"purged\":%" PRId64 "}\n" : "purged %" PRId64 " task(s)\n",
        deleted);
  } else if (command == "pause" || command == "resume") {
    no_arguments();
    command == "pause" ? client.pause() : client.resume();
    std::printf(json ? "{\"%s\":true}\n" : "%s\n",
                command == "pause" ? "paused" : "resumed");
  } else {
    throw UsageError("no command \"" + command + "\"");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "taskqueue_ctl [--server=HOST:PORT] [--json] "
      "status | list | show ID | retry ID... | purge | pause | resume");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  try {
    return Run(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "taskqueue_ctl: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "taskqueue_ctl: %s\n", e.what());
    return 1;
  }
}
