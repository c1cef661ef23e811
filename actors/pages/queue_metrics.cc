#include "actors/pages/queue_metrics.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace taskqueue::internal {
namespace {

double Seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}

void AddHistogram(PrometheusText& out, const std::string& name,
                  const std::string& help, const Percentiles& p) {
  out.Family(name, "histogram", help);
  std::vector<double> bounds;
  for (std::chrono::nanoseconds bound : Percentiles::kBounds) {
    bounds.push_back(Seconds(bound));
  }
  out.Histogram(name, {}, bounds,
                std::vector<uint64_t>(p.cumulative.begin(), p.cumulative.end()),
                p.count, Seconds(p.sum));
}

void AddCounter(PrometheusText& out, const std::string& name,
                const std::string& help, double value) {
  out.Family(name, "counter", help);
  out.Sample(name, {}, value);
}

void AddGauge(PrometheusText& out, const std::string& name,
              const std::string& help, double value) {
  out.Family(name, "gauge", help);
  out.Sample(name, {}, value);
}

}  // namespace

void AddQueueMetrics(const Stats& stats, int num_workers, absl::Duration uptime,
                     PrometheusText& out) {
  AddCounter(out, "taskqueue_tasks_submitted_total",
             "Tasks handed to the queue since the queue started (recovered "
             "ones included).",
             stats.submitted);
  AddCounter(out, "taskqueue_tasks_completed_total",
             "Tasks that returned normally since the queue started.",
             stats.completed);
  AddCounter(out, "taskqueue_tasks_failed_total",
             "Tasks whose last attempt threw since the queue started.",
             stats.failed);
  out.Family("taskqueue_tasks_not_run_total", "counter",
             "Tasks that ended without running, by reason.");
  for (const auto& [reason, n] : std::vector<std::pair<std::string, uint64_t>>{
           {"cancelled", stats.cancelled},
           {"dropped", stats.dropped},
           {"coalesced", stats.coalesced},
           {"expired", stats.expired}}) {
    out.Sample("taskqueue_tasks_not_run_total", {{"reason", reason}},
               static_cast<double>(n));
  }
  AddCounter(out, "taskqueue_attempts_retried_total",
             "Attempts that threw and were scheduled again.", stats.retried);
  AddCounter(out, "taskqueue_worker_restarts_total",
             "Worker actors that died and were replaced.", stats.restarts);
  AddGauge(out, "taskqueue_tasks_queued",
           "Tasks waiting for a worker, a delay or a retry.", stats.queued);
  AddGauge(out, "taskqueue_tasks_running", "Tasks in an attempt now.",
           stats.running);
  AddGauge(out, "taskqueue_paused", "1 while the queue gives out no tasks.",
           stats.paused ? 1 : 0);
  AddGauge(out, "taskqueue_workers", "Local worker actors.", num_workers);
  AddGauge(out, "taskqueue_uptime_seconds", "Since the queue started.",
           absl::ToDoubleSeconds(uptime));
  AddHistogram(out, "taskqueue_queue_wait_seconds",
               "From a task's add to the start of each attempt.",
               stats.queue_wait);
  AddHistogram(out, "taskqueue_run_seconds", "Each attempt's run time.",
               stats.run_time);
  const std::vector<std::pair<std::string, std::string>> node_families = {
      {"taskqueue_node_connected", "1 while the worker node is connected."},
      {"taskqueue_node_slots", "Tasks the node runs at once."},
      {"taskqueue_node_attempts_started_total", "Attempts started on it."},
      {"taskqueue_node_attempts_completed_total", "Attempts it completed."},
      {"taskqueue_node_attempts_failed_total", "Attempts that threw on it."}};
  for (size_t f = 0; f < node_families.size(); ++f) {
    const auto& [name, help] = node_families[f];
    out.Family(name, f < 2 ? "gauge" : "counter", help);
    for (const auto& [node, s] : stats.nodes) {
      const double values[] = {
          s.connected ? 1.0 : 0.0, static_cast<double>(s.slots),
          static_cast<double>(s.started), static_cast<double>(s.completed),
          static_cast<double>(s.failed)};
      out.Sample(name, {{"node", node}}, values[f]);
    }
  }
  const std::vector<std::pair<std::string, std::string>> name_families = {
      {"taskqueue_named_submitted_total", "Tasks added, by task name."},
      {"taskqueue_named_completed_total", "Tasks completed, by task name."},
      {"taskqueue_named_failed_total", "Tasks failed, by task name."}};
  for (size_t f = 0; f < name_families.size(); ++f) {
    const auto& [name, help] = name_families[f];
    out.Family(name, "counter", help);
    for (const auto& [task, s] : stats.by_name) {
      const double values[] = {static_cast<double>(s.submitted),
                               static_cast<double>(s.completed),
                               static_cast<double>(s.failed)};
      out.Sample(name, {{"task", task}}, values[f]);
    }
  }
}

}  // namespace taskqueue::internal
