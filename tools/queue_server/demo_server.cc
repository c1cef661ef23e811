// The stock queue server binary: the demo tasks (demo_tasks.h).
#include "tools/queue_server/demo_tasks.h"
#include "tools/queue_server/queue_server_main.h"

void taskqueue::RegisterServerTasks(TaskRegistry& registry) {
  taskqueue_demo::AddDemoTasks(registry);
}
