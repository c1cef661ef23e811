// The tasks of the test queue server and its worker nodes: test.record
// appends its argument to
// the file named by $TASKQUEUE_TEST_RECORD (one line per run, so a test
// counts every run, a killed server's included), sleeps, and returns it;
// test.fail throws std::runtime_error with its argument.
#include "tests/server/test_server_tasks.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "taskqueue/named_task.h"

namespace {

int64_t Record(int64_t x, int64_t sleep_ms) {
  const char* path = std::getenv("TASKQUEUE_TEST_RECORD");
  if (path != nullptr) {
    std::string line = std::to_string(x) + "\n";
    // One write of O_APPEND: lines of concurrent runs never interleave.
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd >= 0) {
      ssize_t written = write(fd, line.data(), line.size());
      (void)written;
      close(fd);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
  return x;
}

std::string Fail(std::string why) { throw std::runtime_error(why); }

}  // namespace

void taskqueue_test::AddTestServerTasks(taskqueue::TaskRegistry& registry) {
  static constexpr taskqueue::NamedTask<&Record> kRecord{"test.record"};
  static constexpr taskqueue::NamedTask<&Fail> kFail{"test.fail"};
  registry.Add(kRecord).Add(kFail);
}
