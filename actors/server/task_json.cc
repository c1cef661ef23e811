#include "actors/server/task_json.h"

#include <chrono>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "taskqueue/task_state.h"

namespace taskqueue::internal {
namespace {

constexpr int kStates = 8;

const char* Bool(bool value) { return value ? "true" : "false"; }

}  // namespace

std::string Hex(const std::vector<char>& bytes) {
  std::string out;
  for (char c : bytes) {
    absl::StrAppendFormat(&out, "%02x", static_cast<uint8_t>(c));
  }
  return out;
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

// StatusJson's keys, without the braces around them.
std::string StatusFields(const ServerStatus& s) {
  double per_second = s.uptime_ms > 0 ? s.completed * 1000.0 / s.uptime_ms : 0;
  std::string out = "\"tasks\":{";
  for (int i = 0; i < kStates && i < static_cast<int>(s.tasks_by_state.size());
       ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "",
                    JsonString(TaskStateName(static_cast<TaskState>(i))), ":",
                    s.tasks_by_state[i]);
  }
  absl::StrAppend(&out, "},\"workers\":", s.workers,
                  ",\"paused\":", Bool(s.paused),
                  ",\"completed_since_start\":", s.completed,
                  ",\"uptime_ms\":", s.uptime_ms, ",\"completed_per_second\":",
                  absl::StrFormat("%.3f", per_second), ",\"nodes\":[");
  for (size_t i = 0; i < s.nodes.size(); ++i) {
    const NodeInfo& n = s.nodes[i];
    absl::StrAppend(&out, i > 0 ? "," : "", "{\"name\":", JsonString(n.name),
                    ",\"slots\":", n.slots,
                    ",\"connected\":", Bool(n.connected),
                    ",\"started\":", n.started, ",\"completed\":", n.completed,
                    ",\"failed\":", n.failed, "}");
  }
  return out + "]";
}

double Millis(std::chrono::nanoseconds d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

std::string HistogramJson(const Percentiles& p) {
  std::string out =
      absl::StrFormat("{\"count\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,", p.count,
                      Millis(p.p50), Millis(p.p99));
  out += "\"bounds_ms\":[";
  for (size_t i = 0; i < Percentiles::kBounds.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "",
                    absl::StrFormat("%g", Millis(Percentiles::kBounds[i])));
  }
  out += "],\"cumulative\":[";
  for (size_t i = 0; i < p.cumulative.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "", p.cumulative[i]);
  }
  return out + "]}";
}

}  // namespace

std::string StatusJson(const ServerStatus& s) {
  return "{" + StatusFields(s) + "}";
}

std::vector<NodeInfo> NodeInfosOf(const Stats& stats) {
  std::vector<NodeInfo> nodes;
  for (const auto& [name, node] : stats.nodes) {
    nodes.push_back(NodeInfo{.name = name,
                             .slots = node.slots,
                             .connected = node.connected,
                             .started = node.started,
                             .completed = node.completed,
                             .failed = node.failed});
  }
  return nodes;
}

std::string LiveStatusJson(const LiveStatus& s) {
  std::string out = "{" + StatusFields(s.server) +
                    ",\"journal\":" + Bool(s.journal) + ",\"running\":[";
  for (size_t i = 0; i < s.running.size(); ++i) {
    const RunningTask& r = s.running[i];
    absl::StrAppend(&out, i > 0 ? "," : "", "{\"id\":", r.id,
                    ",\"name\":", JsonString(r.name),
                    ",\"attempt\":", r.attempt,
                    ",\"worker\":", JsonString(r.worker),
                    ",\"started_ms\":", r.started_ms, "}");
  }
  out += "],\"queued_by_priority\":[";
  for (size_t i = 0; i < s.queued_by_priority.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "",
                    "{\"priority\":", s.queued_by_priority[i].first,
                    ",\"tasks\":", s.queued_by_priority[i].second, "}");
  }
  const Stats& st = s.stats;
  absl::StrAppend(&out, "],\"since_start\":{\"retried\":", st.retried,
                  ",\"restarts\":", st.restarts,
                  ",\"cancelled\":", st.cancelled, ",\"dropped\":", st.dropped,
                  ",\"coalesced\":", st.coalesced, ",\"expired\":", st.expired,
                  "}");
  absl::StrAppend(&out, ",\"queue_wait\":", HistogramJson(st.queue_wait),
                  ",\"run_time\":", HistogramJson(st.run_time), "}");
  return out;
}

std::string TaskJson(const TaskInfo& t) {
  std::string out = absl::StrCat(
      "{\"id\":", t.id, ",\"name\":", JsonString(t.name),
      ",\"state\":", JsonString(TaskStateName(t.state)),
      ",\"label\":", JsonString(t.label),
      ",\"idempotency_key\":", JsonString(t.idempotency_key),
      ",\"priority\":", t.priority, ",\"attempts\":", t.attempts,
      ",\"attempt_budget\":", t.attempt_budget,
      ",\"accepted_ms\":", t.accepted_ms, ",\"ended_ms\":", t.ended_ms,
      ",\"arguments_hex\":", JsonString(Hex(t.arguments)),
      ",\"result_hex\":", JsonString(Hex(t.result)),
      ",\"error_type\":", JsonString(t.error_type),
      ",\"error_message\":", JsonString(t.error_message), ",\"history\":[");
  for (size_t i = 0; i < t.history.size(); ++i) {
    const AttemptInfo& a = t.history[i];
    absl::StrAppend(
        &out, i > 0 ? "," : "", "{\"number\":", a.number,
        ",\"worker\":", JsonString(a.worker), ",\"started_ms\":", a.started_ms,
        ",\"ended_ms\":", a.ended_ms, ",\"outcome\":", JsonString(a.outcome),
        ",\"error_type\":", JsonString(a.error_type),
        ",\"error_message\":", JsonString(a.error_message), "}");
  }
  return out + "]}";
}

std::string TaskListJson(const std::vector<TaskInfo>& tasks) {
  std::string out = "[";
  for (size_t i = 0; i < tasks.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "", TaskJson(tasks[i]));
  }
  return out + "]";
}

}  // namespace taskqueue::internal
