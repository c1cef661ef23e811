// The test server: //tools/queue_server:main with the tests' tasks
// (test_server_tasks.h). With TASKQUEUE_TEST_MAX_FILE_BYTES=N in its
// environment no file it writes may grow past N bytes (RLIMIT_FSIZE, with
// SIGXFSZ ignored so that a write past it fails with EFBIG): a disk that
// fills up, for the tests of a full disk, without a filesystem of its own.
#include <signal.h>
#include <sys/resource.h>

#include <cstdlib>

#include "tests/server/test_server_tasks.h"
#include "tools/queue_server/queue_server_main.h"

void taskqueue::RegisterServerTasks(TaskRegistry& registry) {
  if (const char* limit = std::getenv("TASKQUEUE_TEST_MAX_FILE_BYTES")) {
    const rlim_t bytes = std::strtoull(limit, nullptr, 10);
    const rlimit file_size{bytes, bytes};
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &file_size);
  }
  taskqueue_test::AddTestServerTasks(registry);
}
