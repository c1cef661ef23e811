#include "actors/server/server_pages.h"

#include <array>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/metrics/prometheus_text.h"
#include "actors/pages/dashboard_html.h"
#include "actors/pages/json_reply.h"
#include "actors/pages/queue_metrics.h"
#include "actors/pages/status_events.h"
#include "actors/server/task_json.h"
#include "actors/server/task_views.h"
#include "taskqueue/stats.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {
namespace {

constexpr int kStates = 8;
constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 1000;
// Running tasks in a status: one per worker on most servers, and a bound for
// a fleet of thousands.
constexpr int kMaxRunningShown = 200;

// An absl::Status as the HTTP status that says the same.
HttpResponse ErrorOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return ErrorReply(404, std::string(status.message()));
    case absl::StatusCode::kFailedPrecondition:
      return ErrorReply(409, std::string(status.message()));
    case absl::StatusCode::kInvalidArgument:
      return ErrorReply(400, std::string(status.message()));
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return ErrorReply(503, std::string(status.message()));
    default:
      return ErrorReply(500, std::string(status.message()));
  }
}

// What crosses from the commit thread to an HTTP thread: plain data. An
// absl::Status made on one and destroyed on the other would share a
// reference count that lives in Debian's uninstrumented libabsl, where
// ThreadSanitizer cannot see it.
template <class T>
struct Crossing {
  std::optional<T> value;
  absl::StatusCode code = absl::StatusCode::kOk;
  std::string message;
};

template <class T>
Crossing<T> Cross(absl::StatusOr<T> result) {
  if (result.ok()) return {.value = *std::move(result)};
  return {.code = result.status().code(),
          .message = std::string(result.status().message())};
}

// Runs `read` on the journal's thread and waits for its result up to
// `timeout` (kDeadlineExceeded if it did not come; the read still runs).
template <class T>
absl::StatusOr<T> ReadJournal(
    QueueServer& server, std::chrono::milliseconds timeout,
    absl::AnyInvocable<absl::StatusOr<T>(Journal&)> read) {
  auto answer = std::make_shared<std::promise<Crossing<T>>>();
  std::future<Crossing<T>> answered = answer->get_future();
  server.Read([answer, read = std::move(read)](Journal& journal) mutable {
    answer->set_value(Cross(read(journal)));
  });
  if (answered.wait_for(timeout) != std::future_status::ready) {
    return absl::DeadlineExceededError(
        "the journal did not answer in time (busy, or stopping)");
  }
  Crossing<T> crossed = answered.get();
  if (crossed.value.has_value()) return *std::move(crossed.value);
  return absl::Status(crossed.code, crossed.message);
}

// A query parameter as a number in [min, max]; `fallback` when absent.
absl::StatusOr<int64_t> NumberParam(const HttpRequest& request,
                                    const std::string& name, int64_t fallback,
                                    int64_t min, int64_t max) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(it->second, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " must be a number in [", min, ", ", max,
                     "], not \"", it->second, "\""));
  }
  return value;
}

std::optional<TaskState> StateNamed(const std::string& name) {
  for (int i = 0; i < kStates; ++i) {
    if (TaskStateName(static_cast<TaskState>(i)) == name) {
      return static_cast<TaskState>(i);
    }
  }
  return std::nullopt;
}

}  // namespace

ServerPages::ServerPages(QueueServer& server, PagesOptions options)
    : server_(server), options_(std::move(options)), token_(options_.token) {}

HttpResponse ServerPages::Handle(const HttpRequest& request) {
  const std::string& path = request.path;
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  auto only = [&](bool allowed, auto answer) {
    return IfMethodAllowed(allowed, request, path, std::move(answer));
  };
  if (path == "/" || path == "/index.html") {
    return only(get, [&] {
      return HttpResponse{.content_type = "text/html; charset=utf-8",
                          .body = kDashboardHtml};
    });
  }
  if (path == "/metrics") return only(get, [&] { return Metrics(); });
  if (path == "/api/status") return only(get, [&] { return Status(); });
  if (path == "/api/events") return only(get, [&] { return Events(); });
  if (path == "/api/tasks") return only(get, [&] { return Tasks(request); });
  if (path == "/api/pause" || path == "/api/resume" || path == "/api/purge") {
    return only(post, [&] { return Write(request, path.substr(5), 0); });
  }
  const std::string tasks = "/api/tasks/";
  if (path.rfind(tasks, 0) == 0) {
    std::string rest = path.substr(tasks.size());
    std::string action;
    if (size_t slash = rest.find('/'); slash != std::string::npos) {
      action = rest.substr(slash + 1);
      rest.resize(slash);
    }
    int64_t id = 0;
    if (!absl::SimpleAtoi(rest, &id) || id <= 0) {
      return ErrorReply(400,
                        "a task id is a positive number, not \"" + rest + "\"");
    }
    if (action.empty()) return only(get, [&] { return Task(id); });
    if (action == "retry") {
      return only(post, [&] { return Write(request, action, id); });
    }
  }
  return ErrorReply(404, "no page " + path);
}

HttpResponse ServerPages::Metrics() {
  Stats stats = server_.queue().stats();
  absl::StatusOr<std::array<int64_t, 8>> counts =
      ReadJournal<std::array<int64_t, 8>>(
          server_, options_.read_timeout,
          [](Journal& journal) { return journal.CountByState(); });
  if (!counts.ok()) return ErrorOf(counts.status());
  PrometheusText out;
  out.Family("taskqueue_journal_tasks", "gauge",
             "Tasks in the journal, by state.");
  for (int i = 0; i < kStates; ++i) {
    out.Sample(
        "taskqueue_journal_tasks",
        {{"state", std::string(TaskStateName(static_cast<TaskState>(i)))}},
        static_cast<double>((*counts)[i]));
  }
  AddQueueMetrics(stats, server_.queue().num_workers(), server_.uptime(), out);
  GroupCommit::Counts commits = server_.commit_counts();
  out.Family("taskqueue_journal_commits_total", "counter",
             "Journal transactions (each one flush with synchronous=FULL).");
  out.Sample("taskqueue_journal_commits_total", {},
             static_cast<double>(commits.groups));
  out.Family("taskqueue_journal_operations_total", "counter",
             "Journal operations committed in them.");
  out.Sample("taskqueue_journal_operations_total", {},
             static_cast<double>(commits.operations));
  return {.content_type = PrometheusText::kContentType, .body = out.text()};
}

HttpResponse ServerPages::Status() {
  QueueServer& server = server_;
  absl::StatusOr<LiveStatus> status = ReadJournal<LiveStatus>(
      server_, options_.read_timeout,
      [&server, stats = server_.queue().stats()](Journal& journal) mutable {
        return LiveStatusOf(server, journal, std::move(stats),
                            kMaxRunningShown);
      });
  if (!status.ok()) return ErrorOf(status.status());
  return JsonReply(200, LiveStatusJson(*status));
}

HttpResponse ServerPages::Events() {
  return StatusEvents([this] { return Status(); }, options_.event_interval);
}

HttpResponse ServerPages::Tasks(const HttpRequest& request) {
  TaskQuery query;
  absl::StatusOr<int64_t> after =
      NumberParam(request, "after", 0, 0, INT64_MAX);
  absl::StatusOr<int64_t> limit =
      NumberParam(request, "limit", kDefaultPage, 1, kMaxPage);
  if (!after.ok()) return ErrorOf(after.status());
  if (!limit.ok()) return ErrorOf(limit.status());
  query.after_id = *after;
  query.limit = static_cast<int>(*limit);
  if (auto it = request.query.find("state");
      it != request.query.end() && !it->second.empty()) {
    query.state = StateNamed(it->second);
    if (!query.state)
      return ErrorReply(400, "no task state \"" + it->second + "\"");
  }
  if (auto it = request.query.find("label");
      it != request.query.end() && !it->second.empty()) {
    query.label = it->second;
  }
  absl::StatusOr<std::vector<TaskInfo>> tasks =
      ReadJournal<std::vector<TaskInfo>>(
          server_, options_.read_timeout,
          [query](Journal& journal) -> absl::StatusOr<std::vector<TaskInfo>> {
            absl::StatusOr<std::vector<JournalTask>> found =
                journal.List(query);
            if (!found.ok()) return found.status();
            std::vector<TaskInfo> infos;
            for (JournalTask& task : *found) {
              infos.push_back(TaskInfoOf(std::move(task)));
            }
            return infos;
          });
  if (!tasks.ok()) return ErrorOf(tasks.status());
  return JsonReply(200, TaskListJson(*tasks));
}

HttpResponse ServerPages::Task(int64_t id) {
  absl::StatusOr<TaskInfo> task = ReadJournal<TaskInfo>(
      server_, options_.read_timeout,
      [id](Journal& journal) -> absl::StatusOr<TaskInfo> {
        absl::StatusOr<std::optional<JournalTask>> found = journal.Find(id);
        if (!found.ok()) return found.status();
        if (!found->has_value()) {
          return absl::NotFoundError(absl::StrCat("no task ", id));
        }
        return TaskInfoOf(**std::move(found));
      });
  if (!task.ok()) return ErrorOf(task.status());
  return JsonReply(200, TaskJson(*task));
}

HttpResponse ServerPages::Write(const HttpRequest& request,
                                const std::string& action, int64_t id) {
  HttpResponse refusal;
  if (!token_.Allows(request, &refusal)) return refusal;
  if (action == "pause" || action == "resume") {
    action == "pause" ? server_.Pause() : server_.Resume();
    return JsonReply(
        200,
        absl::StrCat("{\"paused\":", server_.paused() ? "true" : "false", "}"));
  }
  if (action == "purge") {
    absl::StatusOr<int64_t> age =
        NumberParam(request, "older_than_ms", -1, 0, INT64_MAX);
    if (!age.ok()) return ErrorOf(age.status());
    if (*age < 0) return ErrorReply(400, "purge needs older_than_ms");
    const absl::Time before = absl::Now() - absl::Milliseconds(*age);
    absl::StatusOr<int64_t> purged = ReadJournal<int64_t>(
        server_, options_.read_timeout,
        [before](Journal& journal) { return journal.Compact(before); });
    if (!purged.ok()) return ErrorOf(purged.status());
    return JsonReply(200, absl::StrCat("{\"purged\":", *purged, "}"));
  }
  // retry
  auto answer = std::make_shared<std::promise<Crossing<bool>>>();
  std::future<Crossing<bool>> retried = answer->get_future();
  server_.Retry(id, [answer](absl::Status status) {
    answer->set_value(status.ok() ? Cross(absl::StatusOr<bool>(true))
                                  : Cross(absl::StatusOr<bool>(status)));
  });
  if (retried.wait_for(options_.read_timeout) != std::future_status::ready) {
    return ErrorReply(503,
                      "the journal did not answer in time (busy, or stopping)");
  }
  Crossing<bool> crossed = retried.get();
  if (!crossed.value) {
    return ErrorOf(absl::Status(crossed.code, crossed.message));
  }
  return JsonReply(200, absl::StrCat("{\"retried\":", id, "}"));
}

}  // namespace taskqueue::internal
