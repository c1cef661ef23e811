// QueueServer in one process: what it acknowledges is in the journal, every
// attempt is recorded, and a server started on the journal of a stopped one
// runs what that one left, each task once.
#include "actors/server/queue_server.h"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"
#include "tests/scratch_files.h"

namespace taskqueue::internal {
namespace {

// Runs of each argument of the tasks below.
absl::Mutex runs_mu;
std::map<int64_t, int>& Runs() {
  static auto* runs = new std::map<int64_t, int>();
  return *runs;
}
void CountRun(int64_t x) {
  absl::MutexLock lock(&runs_mu);
  ++Runs()[x];
}

int64_t Square(int64_t x) {
  CountRun(x);
  return x * x;
}
int64_t Slow(int64_t x) {
  CountRun(x);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return x;
}
// Throws on its first two runs of each argument.
int64_t FailTwice(int64_t x) {
  CountRun(x);
  absl::MutexLock lock(&runs_mu);
  if (Runs()[x] <= 2) throw std::runtime_error("not yet");
  return x;
}
int64_t AlwaysFails(int64_t x) { throw std::out_of_range("never"); }

constexpr NamedTask<&Square> kSquare{"test.square"};
constexpr NamedTask<&Slow> kSlow{"test.slow"};
constexpr NamedTask<&FailTwice> kFailTwice{"test.fail_twice"};
constexpr NamedTask<&AlwaysFails> kAlwaysFails{"test.always_fails"};

std::shared_ptr<TaskRegistry> Registry() {
  auto registry = std::make_shared<TaskRegistry>();
  registry->Add(kSquare).Add(kSlow).Add(kFailTwice).Add(kAlwaysFails);
  return registry;
}

NewTask Task(std::string name, int64_t x) {
  std::vector<char> bytes = Encode(x);
  return NewTask{.name = std::move(name),
                 .args = std::string(bytes.begin(), bytes.end())};
}

int64_t Decoded(const std::string& bytes) {
  int64_t x = 0;
  Decode(std::string_view(bytes), x);
  return x;
}

class QueueServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::MutexLock lock(&runs_mu);
    Runs().clear();
  }

  std::unique_ptr<QueueServer> StartServer(int workers = 2) {
    absl::StatusOr<std::unique_ptr<QueueServer>> server =
        QueueServer::Start({.registry = Registry(),
                            .journal = {.path = path_},
                            .num_workers = workers});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  // Submits and waits for the acknowledgement.
  static absl::StatusOr<OpOutcome> Add(QueueServer& server, NewTask task) {
    std::promise<absl::StatusOr<OpOutcome>> acked;
    std::future<absl::StatusOr<OpOutcome>> ack = acked.get_future();
    server.Submit(std::move(task), [&acked](absl::StatusOr<OpOutcome> o) {
      acked.set_value(std::move(o));
    });
    return ack.get();
  }

  // The journal as the stopped server left it.
  std::unique_ptr<Journal> Reopen() {
    absl::StatusOr<std::unique_ptr<Journal>> journal =
        Journal::Open({.path = path_});
    EXPECT_TRUE(journal.ok()) << journal.status();
    return journal.ok() ? *std::move(journal) : nullptr;
  }

  const std::string path_ = taskqueue_testing::FreshTestDir() / "journal";
};

TEST_F(QueueServerTest, RecordsEveryTaskAndItsResult) {
  constexpr int kTasks = 300;
  {
    std::unique_ptr<QueueServer> server = StartServer();
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(server->recovered(), 0);
    for (int i = 0; i < kTasks; ++i) {
      absl::StatusOr<OpOutcome> acked = Add(*server, Task("test.square", i));
      ASSERT_TRUE(acked.ok()) << acked.status();
      EXPECT_TRUE(acked->created);
    }
    server->Join();
  }
  std::unique_ptr<Journal> journal = Reopen();
  ASSERT_NE(journal, nullptr);
  std::array<int64_t, 8> counts = *journal->CountByState();
  EXPECT_EQ(counts[static_cast<int>(TaskState::kCompleted)], kTasks);
  std::vector<JournalTask> done =
      *journal->List({.state = TaskState::kCompleted, .limit = kTasks + 1});
  ASSERT_EQ(done.size(), kTasks);
  for (const JournalTask& task : done) {
    int64_t x = 0;
    Decode(std::string_view(task.task.args), x);
    EXPECT_EQ(Decoded(task.result), x * x) << "task " << task.id;
    EXPECT_EQ(task.attempts, 1);
  }
  absl::MutexLock lock(&runs_mu);
  EXPECT_EQ(Runs().size(), kTasks);
  for (const auto& [x, runs] : Runs()) EXPECT_EQ(runs, 1) << x;
}

TEST_F(QueueServerTest, RecordsRetriedAttemptsAndDeadLetters) {
  int64_t flaky = 0;
  int64_t doomed = 0;
  {
    std::unique_ptr<QueueServer> server = StartServer();
    ASSERT_NE(server, nullptr);
    NewTask retried = Task("test.fail_twice", 7);
    retried.max_attempts = 3;
    flaky = Add(*server, retried)->id;
    NewTask failing = Task("test.always_fails", 8);
    failing.max_attempts = 2;
    doomed = Add(*server, failing)->id;
    server->Join();
  }
  std::unique_ptr<Journal> journal = Reopen();
  ASSERT_NE(journal, nullptr);
  std::optional<JournalTask> ok = *journal->Find(flaky);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->state, TaskState::kCompleted);
  EXPECT_EQ(Decoded(ok->result), 7);
  ASSERT_EQ(ok->history.size(), 3u);
  EXPECT_EQ(ok->history[0].outcome, "failed");
  EXPECT_EQ(ok->history[0].error_type, "std::runtime_error");
  EXPECT_EQ(ok->history[0].error_message, "not yet");
  EXPECT_EQ(ok->history[1].outcome, "failed");
  EXPECT_EQ(ok->history[2].outcome, "completed");
  EXPECT_EQ(ok->history[0].worker.rfind("local/", 0), 0u);

  std::optional<JournalTask> dead = *journal->Find(doomed);
  ASSERT_TRUE(dead.has_value());
  EXPECT_EQ(dead->state, TaskState::kFailed);
  EXPECT_EQ(dead->attempts, 2);
  EXPECT_EQ(dead->error_type, "std::out_of_range");
  EXPECT_EQ(dead->error_message, "never");
}

TEST_F(QueueServerTest, ARestartRunsWhatTheStoppedServerLeftEachOnce) {
  constexpr int kTasks = 40;
  int64_t left = 0;
  {
    std::unique_ptr<QueueServer> server = StartServer(/*workers=*/1);
    ASSERT_NE(server, nullptr);
    for (int i = 0; i < kTasks; ++i) {
      ASSERT_TRUE(Add(*server, Task("test.slow", i)).ok());
    }
    // 20 ms each on one worker: a few are done, most are queued.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server->Stop();
  }
  {
    std::unique_ptr<Journal> journal = Reopen();
    ASSERT_NE(journal, nullptr);
    std::array<int64_t, 8> counts = *journal->CountByState();
    int64_t completed = counts[static_cast<int>(TaskState::kCompleted)];
    left = counts[static_cast<int>(TaskState::kQueued)];
    EXPECT_GT(completed, 0);
    EXPECT_GT(left, 0);
    // Stopping ends nothing: every task is done or waits for the next.
    EXPECT_EQ(completed + left, kTasks);
  }
  {
    std::unique_ptr<QueueServer> server = StartServer();
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(server->recovered(), left);
    server->Join();
  }
  std::unique_ptr<Journal> journal = Reopen();
  ASSERT_NE(journal, nullptr);
  EXPECT_EQ((*journal->CountByState())[static_cast<int>(TaskState::kCompleted)],
            kTasks);
  absl::MutexLock lock(&runs_mu);
  EXPECT_EQ(Runs().size(), kTasks);
  for (const auto& [x, runs] : Runs()) EXPECT_EQ(runs, 1) << "task " << x;
}

TEST_F(QueueServerTest, AnIdempotencyKeyAddsOneTask) {
  std::unique_ptr<QueueServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  NewTask task = Task("test.square", 5);
  task.idempotency_key = "order-5";
  absl::StatusOr<OpOutcome> first = Add(*server, task);
  absl::StatusOr<OpOutcome> again = Add(*server, task);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->id, first->id);
  NewTask other = Task("test.square", 6);
  other.idempotency_key = "order-5";
  EXPECT_EQ(Add(*server, other).status().code(),
            absl::StatusCode::kAlreadyExists);
  server->Join();
  absl::MutexLock lock(&runs_mu);
  EXPECT_EQ(Runs()[5], 1);
  EXPECT_EQ(Runs().count(6), 0u);
}

TEST_F(QueueServerTest, RefusesWhatItCannotRun) {
  std::unique_ptr<QueueServer> server = StartServer();
  ASSERT_NE(server, nullptr);
  absl::StatusOr<OpOutcome> unknown = Add(*server, Task("no.such", 1));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("no.such"),
            absl::string_view::npos);
  NewTask zero = Task("test.square", 1);
  zero.max_attempts = 0;
  EXPECT_EQ(Add(*server, zero).status().code(),
            absl::StatusCode::kInvalidArgument);
  server->Stop();
  EXPECT_EQ(Add(*server, Task("test.square", 1)).status().code(),
            absl::StatusCode::kUnavailable);
  std::unique_ptr<Journal> journal;
  server.reset();
  journal = Reopen();
  ASSERT_NE(journal, nullptr);
  std::array<int64_t, 8> counts = *journal->CountByState();
  int64_t total = 0;
  for (int64_t n : counts) total += n;
  EXPECT_EQ(total, 0) << "a refused task was journaled";
}

TEST_F(QueueServerTest, StartRefusesBadOptions) {
  EXPECT_EQ(QueueServer::Start({.journal = {.path = path_}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(QueueServer::Start({.registry = Registry(),
                                .journal = {.path = path_},
                                .num_workers = 0})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  std::unique_ptr<QueueServer> first = StartServer();
  ASSERT_NE(first, nullptr);
  // The journal is the first server's.
  EXPECT_EQ(
      QueueServer::Start({.registry = Registry(), .journal = {.path = path_}})
          .status()
          .code(),
      absl::StatusCode::kUnavailable);
}

// Waits for WhenEnded's answer.
absl::StatusOr<JournalTask> Ended(QueueServer& server, int64_t id) {
  std::promise<absl::StatusOr<JournalTask>> found;
  std::future<absl::StatusOr<JournalTask>> answer = found.get_future();
  server.WhenEnded(id, [&found](absl::StatusOr<JournalTask> task) {
    found.set_value(std::move(task));
  });
  return answer.get();
}

TEST_F(QueueServerTest, WhenEndedAnswersOnceTheEndIsCommitted) {
  std::unique_ptr<QueueServer> server = StartServer(/*workers=*/1);
  ASSERT_NE(server, nullptr);
  int64_t first = Add(*server, Task("test.square", 3))->id;
  server->Join();
  absl::StatusOr<JournalTask> done = Ended(*server, first);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(Decoded(done->result), 9);
  // Asked before it ends: answered when it does, each waiter once.
  int64_t slow = Add(*server, Task("test.slow", 4))->id;
  std::vector<std::future<absl::StatusOr<JournalTask>>> waits;
  for (int i = 0; i < 3; ++i) {
    waits.push_back(
        std::async(std::launch::async, [&] { return Ended(*server, slow); }));
  }
  for (auto& wait : waits) {
    absl::StatusOr<JournalTask> task = wait.get();
    ASSERT_TRUE(task.ok()) << task.status();
    EXPECT_EQ(task->state, TaskState::kCompleted);
    EXPECT_EQ(Decoded(task->result), 4);
  }
  EXPECT_EQ(Ended(*server, 999).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(QueueServerTest, WhenEndedGivesUpWhenTheServerStops) {
  std::unique_ptr<QueueServer> server = StartServer(/*workers=*/1);
  ASSERT_NE(server, nullptr);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Add(*server, Task("test.slow", i)).ok());
  }
  int64_t last = Add(*server, Task("test.slow", 20))->id;
  std::promise<absl::StatusOr<JournalTask>> found;
  std::future<absl::StatusOr<JournalTask>> answer = found.get_future();
  server->WhenEnded(last, [&found](absl::StatusOr<JournalTask> task) {
    found.set_value(std::move(task));
  });
  server->Stop();
  EXPECT_EQ(answer.get().status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(QueueServerTest, EndedTasksAreCompactedAfterTheRetention) {
  absl::StatusOr<std::unique_ptr<QueueServer>> server =
      QueueServer::Start({.registry = Registry(),
                          .journal = {.path = path_},
                          .num_workers = 1,
                          .retention = absl::Milliseconds(200)});
  ASSERT_TRUE(server.ok()) << server.status();
  int64_t id = Add(**server, Task("test.square", 2))->id;
  NewTask keyed = Task("test.square", 3);
  keyed.idempotency_key = "once";
  int64_t first = Add(**server, keyed)->id;
  (*server)->Join();
  ASSERT_TRUE(Ended(**server, id).ok());
  // Compaction runs every second at most: 3 s is plenty.
  absl::StatusCode code = absl::StatusCode::kOk;
  for (int i = 0; i < 300 && code != absl::StatusCode::kNotFound; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    code = Ended(**server, id).status().code();
  }
  EXPECT_EQ(code, absl::StatusCode::kNotFound);
  // Its idempotency key went with it: the same key is a new task now.
  absl::StatusOr<OpOutcome> again = Add(**server, keyed);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->created);
  EXPECT_NE(again->id, first);
}

}  // namespace
}  // namespace taskqueue::internal
