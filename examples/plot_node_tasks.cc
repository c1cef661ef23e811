// plot_node's registry (//tools/worker_node:main calls this before it
// connects): the example's plot tasks, from the library the training program
// links too, so that the two always agree on them.
#include "examples/plot_tasks.h"
#include "tools/worker_node/worker_node_main.h"

void taskqueue::RegisterNodeTasks(taskqueue::TaskRegistry& registry) {
  gradient_descent::AddPlotTasks(registry);
}
