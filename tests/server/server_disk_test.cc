// The queue server as a process on a disk that fills up (the test server's
// files may not grow past 1 MiB: test_server_main.cc): an add the journal
// cannot commit is refused with a reason, nothing acknowledged is lost, the
// server keeps answering, and after a restart with room every acknowledged
// task runs exactly once, the refused one never.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/queue_client.h"
#include "taskqueue/task_state.h"
#include "tests/scratch_files.h"
#include "tests/server/server_process.h"

namespace taskqueue_test {
namespace {

using ::testing::HasSubstr;

TEST(ServerDisk, AFullDiskRefusesAddsAndLosesNothingAcknowledged) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  std::vector<uint64_t> acked;  // Task ids; task i has argument i.
  std::string refusal;
  {
    // No workers (and no node comes): the adds alone fill the disk, and
    // nothing runs yet.
    ServerProcess server(dir, 0, {"--workers=0", "--node_port=0"},
                         {{"TASKQUEUE_TEST_MAX_FILE_BYTES", "1048576"}});
    ASSERT_NE(server.port(), 0) << "the server did not start";
    taskqueue::QueueClient client({.port = server.port()});
    // 4 KiB labels fill 1 MiB within a few hundred adds.
    const std::string label(4096, 'x');
    for (int i = 0; i < 2000 && refusal.empty(); ++i) {
      try {
        acked.push_back(client.add_task({.label = label}, kRecord,
                                        static_cast<int64_t>(acked.size()), 0));
      } catch (const taskqueue::ServerRefusedError& e) {
        refusal = e.what();
      }
    }
    ASSERT_FALSE(refusal.empty()) << acked.size() << " adds fit in 1 MiB";
    EXPECT_THAT(refusal, HasSubstr("no room to write"));
    ASSERT_GT(acked.size(), 10u);
    // Still answering what does not write.
    taskqueue::ServerStatus status = client.status();
    EXPECT_EQ(
        status.tasks_by_state[static_cast<int>(taskqueue::TaskState::kQueued)],
        static_cast<int64_t>(acked.size()));
    EXPECT_EQ(server.Stop(), 0);
  }
  {
    ServerProcess server(dir, 1);  // Room again, and two workers.
    ASSERT_NE(server.port(), 0) << "the server did not restart";
    taskqueue::QueueClient reader({.port = server.port()});
    for (size_t i = 0; i < acked.size(); ++i) {
      ASSERT_EQ(reader.result(kRecord, acked[i]), static_cast<int64_t>(i));
    }
    EXPECT_EQ(server.Stop(), 0);
  }
  std::map<int64_t, int> runs = Runs(dir);
  EXPECT_EQ(runs.size(), acked.size());  // The refused one never ran.
  for (const auto& [x, n] : runs) {
    EXPECT_EQ(n, 1) << "task " << x;
    EXPECT_TRUE(x >= 0 && x < static_cast<int64_t>(acked.size())) << x;
  }
}

}  // namespace
}  // namespace taskqueue_test
