#include "tests/server/test_server_tasks.h"
#include "tools/worker_node/worker_node_main.h"

void taskqueue::RegisterNodeTasks(TaskRegistry& registry) {
  taskqueue_test::AddTestServerTasks(registry);
}
