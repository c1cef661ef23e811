// taskqueue_ctl against a real server process: each command does what it
// says and prints it, as a table and as JSON, and bad usage or no server is
// a clear error with its own exit status.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/queue_client.h"
#include "tests/scratch_files.h"
#include "tests/server/server_process.h"
#include "tools/child_process/child_process.h"

namespace taskqueue_test {
namespace {

struct CtlRun {
  int status = -1;
  std::string out;
  std::string err;
};

class TaskqueueCtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.emplace(dir_, 0);
    ASSERT_NE(server_->port(), 0) << "the server did not start";
  }

  CtlRun Ctl(std::vector<std::string> args, uint16_t port = 0) {
    std::vector<std::string> argv = {
        std::getenv("TEST_CTL"),
        "--server=127.0.0.1:" +
            std::to_string(port != 0 ? port : server_->port())};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string out = (dir_ / ("ctl." + std::to_string(runs_) + ".out"));
    std::string err = (dir_ / ("ctl." + std::to_string(runs_++) + ".err"));
    taskqueue_tools::ChildProcess ctl(
        {.argv = argv, .stdout_path = out, .stderr_path = err});
    std::optional<int> status = ctl.Wait(std::chrono::seconds(60));
    return {status.value_or(-1), taskqueue_testing::ReadWholeFile(out),
            taskqueue_testing::ReadWholeFile(err)};
  }

  taskqueue::ClientOptions Options() const { return {.port = server_->port()}; }

  const std::filesystem::path dir_ = taskqueue_testing::FreshTestDir();
  std::optional<ServerProcess> server_;
  int runs_ = 0;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(TaskqueueCtlTest, StatusListAndShowSayWhatTheJournalHolds) {
  taskqueue::QueueClient client(Options());
  for (int i = 0; i < 5; ++i)
    client.add_task({.label = "batch-a"}, kRecord, i, 0);
  uint64_t failed = client.add_task({.max_attempts = 2}, kFail, "no luck");
  client.join();

  CtlRun status = Ctl({"status", "--json"});
  ASSERT_EQ(status.status, 0) << status.err;
  EXPECT_TRUE(Contains(status.out, "\"completed\":5")) << status.out;
  EXPECT_TRUE(Contains(status.out, "\"failed\":1")) << status.out;
  EXPECT_TRUE(Contains(status.out, "\"workers\":2")) << status.out;
  CtlRun table = Ctl({"status"});
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_TRUE(Contains(table.out, "completed")) << table.out;

  CtlRun labelled = Ctl({"list", "--label=batch-a", "--json"});
  ASSERT_EQ(labelled.status, 0) << labelled.err;
  size_t count = 0;
  for (size_t at = labelled.out.find("\"name\":\"test.record\"");
       at != std::string::npos;
       at = labelled.out.find("\"name\":\"test.record\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 5u) << labelled.out;

  CtlRun dead = Ctl({"list", "--state=failed"});
  ASSERT_EQ(dead.status, 0) << dead.err;
  EXPECT_TRUE(Contains(dead.out, std::to_string(failed))) << dead.out;
  EXPECT_TRUE(Contains(dead.out, "std::runtime_error: no luck")) << dead.out;

  CtlRun shown = Ctl({"show", std::to_string(failed)});
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_TRUE(Contains(shown.out, "attempts         2 of 2")) << shown.out;
  EXPECT_TRUE(Contains(shown.out, "attempt 1 on local/")) << shown.out;
  EXPECT_TRUE(Contains(shown.out, "attempt 2 on local/")) << shown.out;
}

TEST_F(TaskqueueCtlTest, RetryPurgePauseAndResumeAct) {
  taskqueue::QueueClient client(Options());
  uint64_t failed = client.add_task(kFail, "again");
  uint64_t done = client.add_task(kRecord, 1, 0);
  client.join();

  CtlRun retried = Ctl({"retry", std::to_string(failed)});
  ASSERT_EQ(retried.status, 0) << retried.err;
  taskqueue::TaskInfo info = client.show(failed);
  for (int i = 0; i < 500 && info.state != taskqueue::TaskState::kFailed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    info = client.show(failed);
  }
  EXPECT_EQ(info.attempts, 2);  // Ran once more, and failed again.
  EXPECT_EQ(info.state, taskqueue::TaskState::kFailed);
  // Only a dead-lettered task is retried.
  CtlRun refused = Ctl({"retry", std::to_string(done)});
  EXPECT_EQ(refused.status, 1);
  EXPECT_TRUE(Contains(refused.err, "completed")) << refused.err;

  CtlRun paused = Ctl({"pause", "--json"});
  ASSERT_EQ(paused.status, 0) << paused.err;
  EXPECT_TRUE(client.status().paused);
  uint64_t waiting = client.add_task(kRecord, 2, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(client.show(waiting).state, taskqueue::TaskState::kQueued);
  ASSERT_EQ(Ctl({"resume"}).status, 0);
  EXPECT_EQ(client.result(kRecord, waiting), 2);

  CtlRun purged = Ctl({"purge", "--older_than=0s", "--json"});
  ASSERT_EQ(purged.status, 0) << purged.err;
  EXPECT_TRUE(Contains(purged.out, "{\"purged\":3}")) << purged.out;
  EXPECT_THROW(client.show(done), taskqueue::ServerRefusedError);
}

TEST_F(TaskqueueCtlTest, BadUsageAndNoServerAreClearErrors) {
  CtlRun none = Ctl({});
  EXPECT_EQ(none.status, 2);
  EXPECT_TRUE(Contains(none.err, "name a command")) << none.err;
  CtlRun unknown = Ctl({"frobnicate"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_TRUE(Contains(unknown.err, "frobnicate")) << unknown.err;
  CtlRun bad_id = Ctl({"show", "x"});
  EXPECT_EQ(bad_id.status, 2);
  CtlRun bad_state = Ctl({"list", "--state=sleeping"});
  EXPECT_EQ(bad_state.status, 2);
  CtlRun missing = Ctl({"show", "999"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_TRUE(Contains(missing.err, "no task 999")) << missing.err;
  uint16_t port = server_->port();
  EXPECT_EQ(server_->Stop(), 0);
  CtlRun gone = Ctl({"status"}, port);
  EXPECT_EQ(gone.status, 1);
  EXPECT_TRUE(Contains(gone.err, "cannot reach")) << gone.err;
}

}  // namespace
}  // namespace taskqueue_test
