// The queue's own Prometheus metrics (Stats as counters, gauges and
// histograms), which every /metrics page has, a queue server's and an
// in-process queue's alike; a page adds its own families beside them.
//
//   PrometheusText out;
//   AddQueueMetrics(queue.stats(), queue.num_workers(), uptime, out);
//   return {.content_type = PrometheusText::kContentType, .body = out.text()};
//
// Families: taskqueue_tasks_{submitted,completed,failed}_total,
// taskqueue_tasks_not_run_total{reason}, taskqueue_attempts_retried_total,
// taskqueue_worker_restarts_total, taskqueue_tasks_{queued,running},
// taskqueue_paused, taskqueue_workers, taskqueue_uptime_seconds,
// taskqueue_{queue_wait,run}_seconds (histograms), taskqueue_node_*{node}
// and taskqueue_named_*_total{task}. A plain function.
#ifndef TASKQUEUE_ACTORS_PAGES_QUEUE_METRICS_H_
#define TASKQUEUE_ACTORS_PAGES_QUEUE_METRICS_H_

#include "absl/time/time.h"
#include "actors/metrics/prometheus_text.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {

void AddQueueMetrics(const Stats& stats, int num_workers, absl::Duration uptime,
                     PrometheusText& out);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_PAGES_QUEUE_METRICS_H_
