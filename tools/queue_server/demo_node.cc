// A worker node for the stock queue server: the demo tasks (demo_tasks.h).
//   demo_node --connect=127.0.0.1:7071 --slots=4
#include "tools/queue_server/demo_tasks.h"
#include "tools/worker_node/worker_node_main.h"

void taskqueue::RegisterNodeTasks(TaskRegistry& registry) {
  taskqueue_demo::AddDemoTasks(registry);
}
