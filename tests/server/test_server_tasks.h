// The named tasks of the test queue server (test_server_main.cc) and of
// its worker nodes (test_server_node_main.cc); test_server_tasks.cc says
// what each does.
#ifndef TASKQUEUE_TESTS_SERVER_TEST_SERVER_TASKS_H_
#define TASKQUEUE_TESTS_SERVER_TEST_SERVER_TASKS_H_

#include "taskqueue/task_registry.h"

namespace taskqueue_test {

void AddTestServerTasks(taskqueue::TaskRegistry& registry);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_SERVER_TEST_SERVER_TASKS_H_
