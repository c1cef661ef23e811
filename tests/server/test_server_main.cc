#include "tests/server/test_server_tasks.h"
#include "tools/queue_server/queue_server_main.h"

void taskqueue::RegisterServerTasks(TaskRegistry& registry) {
  taskqueue_test::AddTestServerTasks(registry);
}
