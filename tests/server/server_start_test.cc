// The server binary refuses to start on what it cannot serve safely, with
// exit status 1 and one line that names the cause, and leaves the file as
// it found it.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/scratch_files.h"
#include "tests/server/server_process.h"
#include "tools/child_process/child_process.h"

namespace taskqueue_test {
namespace {

struct Refusal {
  std::optional<int> status;
  std::string log;
};

Refusal Start(const std::filesystem::path& dir,
              std::vector<std::string> flags) {
  std::vector<std::string> argv = {std::getenv("TEST_SERVER"), "--port=0",
                                   "--http_port=0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::string log = dir / "refused.log";
  taskqueue_tools::ChildProcess server({.argv = argv, .stderr_path = log});
  std::optional<int> status = server.Wait(std::chrono::seconds(30));
  return {status, taskqueue_testing::ReadWholeFile(log)};
}

TEST(ServerStart, AFileThatIsNotAJournalIsRefusedAndKept) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  std::filesystem::path file = dir / "notes.txt";
  std::ofstream(file) << std::string(8192, 'x');
  Refusal refused = Start(dir, {"--journal=" + file.string()});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.log.find("not a database"), std::string::npos)
      << refused.log;
  EXPECT_EQ(taskqueue_testing::ReadWholeFile(file), std::string(8192, 'x'));
}

TEST(ServerStart, AJournalInUseByAnotherServerIsRefused) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  ServerProcess first(dir, 0);
  ASSERT_NE(first.port(), 0);
  Refusal refused = Start(dir, {"--journal=" + (dir / "journal").string()});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.log.find("in use by another process"), std::string::npos)
      << refused.log;
  EXPECT_EQ(first.Stop(), 0);  // The first one was not disturbed.
}

TEST(ServerStart, BadFlagsAreRefused) {
  std::filesystem::path dir = taskqueue_testing::FreshTestDir();
  std::string journal = "--journal=" + (dir / "journal").string();
  Refusal durability = Start(dir, {journal, "--durability=sometimes"});
  EXPECT_EQ(durability.status, 1);
  EXPECT_NE(durability.log.find("sometimes"), std::string::npos);
  EXPECT_EQ(Start(dir, {journal, "--workers=-1"}).status, 1);
  EXPECT_EQ(Start(dir, {journal, "--workers=0"}).status, 1);  // No nodes.
  EXPECT_EQ(Start(dir, {journal, "--retention=0s"}).status, 1);
  Refusal exposed = Start(dir, {journal, "--address=0.0.0.0"});
  EXPECT_EQ(exposed.status, 1);
  EXPECT_NE(exposed.log.find("TLS"), std::string::npos) << exposed.log;
}

}  // namespace
}  // namespace taskqueue_test
