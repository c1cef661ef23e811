// QueueClient against a server in this process (QueueServer behind a
// ServerFront, on a loopback port): adds are durable and counted, results
// and errors come back by id, and what the server refuses is an exception
// that says why.
#include "taskqueue/queue_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "actors/server/client_protocol.h"
#include "actors/server/queue_server.h"
#include "actors/server/server_front.h"
#include "actors/sleeping_scheduler.h"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "gtest/gtest.h"
#include "taskqueue/errors.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"
#include "tests/remote/test_certificates.h"
#include "tests/scratch_files.h"

namespace taskqueue {
namespace {

std::atomic<int64_t> square_runs{0};
int64_t Square(int64_t x) {
  square_runs.fetch_add(1);
  return x * x;
}
std::string Fails(std::string why) { throw std::invalid_argument(why); }
int64_t Length(std::string bytes) { return static_cast<int64_t>(bytes.size()); }

constexpr NamedTask<&Square> kSquare{"test.square"};
constexpr NamedTask<&Fails> kFails{"test.fails"};
constexpr NamedTask<&Length> kLength{"test.length"};

class QueueClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = std::make_shared<TaskRegistry>();
    registry->Add(kSquare).Add(kFails).Add(kLength);
    absl::StatusOr<std::unique_ptr<internal::QueueServer>> server =
        internal::QueueServer::Start(
            {.registry = registry,
             .journal = {.path = taskqueue_testing::FreshTestDir() / "journal"},
             .num_workers = 2});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    front_ = std::make_unique<internal::ServerFront>(*server_,
                                                     internal::FrontOptions());
  }
  void TearDown() override {
    front_.reset();
    server_.reset();
  }

  ClientOptions Options() const { return {.port = front_->port()}; }

  std::unique_ptr<internal::QueueServer> server_;
  std::unique_ptr<internal::ServerFront> front_;
};

TEST_F(QueueClientTest, TwoClientsAddAndEveryResultComesBack) {
  constexpr int kEach = 300;
  std::vector<std::vector<uint64_t>> ids(2);
  std::vector<std::thread> producers;
  for (int c = 0; c < 2; ++c) {
    producers.emplace_back([&, c] {
      QueueClient client(Options());
      for (int i = 0; i < kEach; ++i) {
        ids[c].push_back(client.add_task(kSquare, c * kEach + i));
      }
      EXPECT_TRUE(client.join().ok());
    });
  }
  for (std::thread& t : producers) t.join();
  // Another client, which added none of them, reads them all.
  QueueClient reader(Options());
  for (int c = 0; c < 2; ++c) {
    for (int i = 0; i < kEach; ++i) {
      int64_t x = c * kEach + i;
      ASSERT_EQ(reader.result(kSquare, ids[c][i]), x * x) << "task " << x;
    }
  }
  std::vector<int64_t> counts = reader.status().tasks_by_state;
  EXPECT_EQ(counts[static_cast<int>(TaskState::kCompleted)], 2 * kEach);
  EXPECT_EQ(reader.join().failed, 0u);  // It added nothing.
}

// Eight clients add at once, each from its own connection, and each
// reads back its own results and a neighbour's: every task ran once, no
// id was given twice, every result is the right one.
TEST_F(QueueClientTest, EightConcurrentClientsCountEveryTask) {
  constexpr int kClients = 8;
  // Each add and each result is a round trip, ten times slower under
  // ThreadSanitizer; the checks stay the same.
#if defined(__SANITIZE_THREAD__)
  constexpr int kEach = 40;
#else
  constexpr int kEach = 250;
#endif
  square_runs = 0;
  std::vector<std::vector<uint64_t>> ids(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      QueueClient client(Options());
      for (int i = 0; i < kEach; ++i) {
        ids[c].push_back(client.add_task(kSquare, c * kEach + i));
      }
      EXPECT_EQ(client.join().failed, 0u);
    });
  }
  for (std::thread& t : clients) t.join();
  std::set<uint64_t> distinct;
  for (const auto& some : ids) distinct.insert(some.begin(), some.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kClients * kEach));
  EXPECT_EQ(square_runs.load(), kClients * kEach);
  QueueClient reader(Options());
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kEach; ++i) {
      int64_t x = c * kEach + i;
      ASSERT_EQ(reader.result(kSquare, ids[c][i]), x * x);
    }
  }
  EXPECT_EQ(
      reader.status().tasks_by_state[static_cast<int>(TaskState::kCompleted)],
      kClients * kEach);
}

TEST_F(QueueClientTest, AFailedTaskThrowsItsErrorFromResult) {
  QueueClient client(Options());
  uint64_t id = client.add_task({.max_attempts = 2}, kFails, "bad input");
  try {
    client.result(kFails, id);
    FAIL() << "no exception";
  } catch (const RemoteTaskError& e) {
    EXPECT_EQ(e.type(), "std::invalid_argument");
    EXPECT_EQ(e.message(), "bad input");
  }
  TaskOutcome outcome = client.wait(id);
  EXPECT_EQ(outcome.state, TaskState::kFailed);
  EXPECT_EQ(outcome.attempts, 2);
  EXPECT_EQ(client.join().failed, 1u);
}

TEST_F(QueueClientTest, ASubmittedTasksFutureHoldsItsResultOrError) {
  QueueClient client(Options());
  std::future<int64_t> square = client.submit(kSquare, 7);
  std::future<std::string> fails =
      client.submit({.max_attempts = 1}, kFails, "no");
  EXPECT_EQ(square.wait_for(std::chrono::seconds(0)),
            std::future_status::deferred);
  EXPECT_EQ(square.get(), 49);
  EXPECT_THROW(fails.get(), RemoteTaskError);
  // Both were added durably when submit returned: the join counts them.
  JoinResult joined = client.join();
  EXPECT_EQ(joined.failed, 1u);
}

TEST_F(QueueClientTest, AnIdempotencyKeyReturnsTheFirstTask) {
  QueueClient client(Options());
  uint64_t first = client.add_task({.idempotency_key = "k1"}, kSquare, 3);
  uint64_t again = client.add_task({.idempotency_key = "k1"}, kSquare, 3);
  EXPECT_EQ(again, first);
  EXPECT_THROW(client.add_task({.idempotency_key = "k1"}, kSquare, 4),
               ServerRefusedError);
  EXPECT_EQ(client.result(kSquare, first), 9);
}

TEST_F(QueueClientTest, RefusalsSayWhy) {
  QueueClient client(Options());
  try {
    client.add_encoded({}, "no.such.task", internal::Encode(int64_t{1}));
    FAIL() << "no exception";
  } catch (const ServerRefusedError& e) {
    EXPECT_NE(std::string(e.what()).find("no.such.task"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(client.add_task({.max_attempts = 0}, kSquare, 1),
               ServerRefusedError);
  EXPECT_THROW(client.wait(123456), ServerRefusedError);
  // Arguments that do not decode as the task's fail the task, not the
  // server.
  uint64_t id =
      client.add_encoded({}, "test.square", internal::Encode(std::string("x")));
  EXPECT_THROW(client.result(kSquare, id), RemoteTaskError);
}

TEST_F(QueueClientTest, NoServerIsAClearError) {
  uint16_t port = front_->port();
  TearDown();
  try {
    QueueClient client({.port = port, .timeout = std::chrono::seconds(2)});
    FAIL() << "connected to nothing";
  } catch (const ServerUnavailableError& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(port)),
              std::string::npos)
        << e.what();
  }
}

// A loopback port whose listener never answers: the kernel completes the
// TCP handshake and buffers what the client sends; nothing replies, as from a
// hung server or one that is not taskqueue's.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if (fd_ < 0 || bind(fd_, raw, length) != 0 || listen(fd_, 4) != 0 ||
        getsockname(fd_, raw, &length) != 0) {
      throw std::runtime_error("SilentListener: cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// The connect fails once the server has been silent for connection_timeout:
// not at once (CAF 0.17.6 dropped a connection awaiting the handshake at the
// next heartbeat tick; tools/bazel/caf_patches/0005), and not never.
TEST(QueueClientConnectTest, ASilentServerFailsTheConnectAfterTheTimeout) {
  SilentListener silent;
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(
      QueueClient({.port = silent.port(),
                   .heartbeat_interval = std::chrono::milliseconds(100),
                   .connection_timeout = std::chrono::milliseconds(1500)}),
      ServerUnavailableError);
  // A lower bound only: a loaded machine makes the wait longer, not shorter.
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(1400));
}

TEST(QueueClientConnectTest, AHeartbeatNotBelowTheTimeoutIsRefused) {
  try {
    QueueClient({.port = 1,
                 .heartbeat_interval = std::chrono::seconds(3),
                 .connection_timeout = std::chrono::seconds(3)});
    FAIL() << "accepted a heartbeat equal to the timeout";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ClientOptions needs 0 < "
                                         "heartbeat_interval < "
                                         "connection_timeout"),
              std::string::npos)
        << e.what();
  }
}

// Sends `request` to the front at `port` as a client of our own making
// would, past QueueClient's checks: the reply, or the error as a message.
caf::message AskFront(uint16_t port, caf::message request) {
  caf::actor_system_config config;
  config.load<caf::io::middleman>();
  internal::UseSleepingScheduler(config);
  caf::actor_system system(config);
  caf::expected<caf::actor> server =
      system.middleman().remote_actor("127.0.0.1", port);
  if (!server) return caf::make_message(server.error());
  std::promise<caf::message> answered;
  // The request goes in as a spawn argument: CAF 0.17 dereferences a null
  // argument tuple for an actor function spawned without any.
  system.spawn(
      [&](caf::event_based_actor* self, caf::message request) {
        self->request(*server, std::chrono::seconds(10), std::move(request))
            .then([&](caf::message& reply) { answered.set_value(reply); },
                  [&](caf::error& e) {
                    answered.set_value(caf::make_message(e));
                  });
      },
      std::move(request));
  return answered.get_future().get();
}

// The server's refusal in `reply`: its code and why, or a test failure.
std::pair<absl::StatusCode, std::string> RefusalIn(const caf::message& reply) {
  if (!reply.match_elements<caf::error>()) {
    ADD_FAILURE() << "not an error: " << to_string(reply);
    return {absl::StatusCode::kOk, ""};
  }
  const caf::error& refused = reply.get_as<caf::error>(0);
  EXPECT_EQ(refused.category(), internal::kRefusalCategory);
  if (!refused.context().match_elements<std::string>()) {
    ADD_FAILURE() << "no reason: " << to_string(reply);
    return {absl::StatusCode::kOk, ""};
  }
  return {static_cast<absl::StatusCode>(refused.code()),
          refused.context().get_as<std::string>(0)};
}

// A client of another protocol version is told both versions.
TEST_F(QueueClientTest, AnotherProtocolVersionIsRefused) {
  auto [code, why] = RefusalIn(AskFront(
      front_->port(),
      caf::make_message(internal::tqs_hello_atom::value, uint32_t{99})));
  EXPECT_EQ(code, absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(why.find("99"), std::string::npos) << why;
}

// Batch requests that do not decode are refused, and the front goes on.
TEST_F(QueueClientTest, ABatchThatDoesNotDecodeIsRefused) {
  for (caf::message request :
       {caf::make_message(internal::tqs_add_n_atom::value,
                          std::string("\xff\xff\xff\xff\xff garbage")),
        caf::make_message(internal::tqs_wait_n_atom::value,
                          std::string("\x05"))}) {
    auto [code, why] = RefusalIn(AskFront(front_->port(), request));
    EXPECT_EQ(code, absl::StatusCode::kInvalidArgument);
    EXPECT_NE(why.find("does not decode"), std::string::npos) << why;
  }
  QueueClient client(Options());
  EXPECT_EQ(client.result(kSquare, client.add_task(kSquare, 5)), 25);
}

TEST_F(QueueClientTest, ABatchIsAddedInOrderAndJoined) {
  QueueClient client(Options());
  const int64_t runs_before = square_runs.load();
  constexpr int kTasks = 500;
  TaskBatch batch;
  for (int64_t i = 0; i < kTasks; ++i) batch.add({.label = "b"}, kSquare, i);
  EXPECT_TRUE(client.add_batch(TaskBatch()).empty());
  std::vector<uint64_t> ids = client.add_batch(batch);
  ASSERT_EQ(ids.size(), size_t{kTasks});
  for (size_t i = 1; i < ids.size(); ++i) ASSERT_LT(ids[i - 1], ids[i]);
  EXPECT_EQ(client.join().failed, 0u);
  EXPECT_EQ(square_runs.load() - runs_before, kTasks);
  for (int64_t i = 0; i < kTasks; ++i) {
    ASSERT_EQ(client.result(kSquare, ids[i]), i * i);
  }
  EXPECT_EQ(client.list({.label = "b", .limit = 1000}).size(), size_t{kTasks});
}

// 6 tasks of 500 KB go in three requests of about 1 MiB.
TEST_F(QueueClientTest, ABatchLargerThanARequestIsSplit) {
  QueueClient client(Options());
  TaskBatch batch;
  for (int i = 0; i < 6; ++i) {
    batch.add(kLength, std::string(500000 + i, static_cast<char>('a' + i)));
  }
  std::vector<uint64_t> ids = client.add_batch(batch);
  ASSERT_EQ(ids.size(), 6u);
  EXPECT_EQ(client.join().failed, 0u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(client.result(kLength, ids[i]), 500000 + i);
  }
}

TEST_F(QueueClientTest, ARefusedTaskInABatchLeavesTheOthersAdded) {
  QueueClient client(Options());
  TaskBatch batch;
  batch.add(kSquare, 1)
      .add_encoded({}, "no.such.task", internal::Encode(int64_t{1}))
      .add({.idempotency_key = "same"}, kSquare, 2)
      .add({.idempotency_key = "same"}, kSquare, 3)  // Another task: refused.
      .add({.max_attempts = 0}, kSquare, 4)
      .add({.idempotency_key = "same"}, kSquare, 2);  // The first's id.
  try {
    client.add_batch(batch);
    FAIL() << "no exception";
  } catch (const BatchRefusedError& e) {
    EXPECT_NE(std::string(e.what()).find("3 of 6"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("no.such.task"), std::string::npos)
        << e.what();
    ASSERT_EQ(e.ids().size(), 6u);
    ASSERT_EQ(e.refusals().size(), 6u);
    for (size_t i : {1, 3, 4}) {
      EXPECT_EQ(e.ids()[i], 0u) << i;
      EXPECT_FALSE(e.refusals()[i].empty()) << i;
    }
    for (size_t i : {0, 2, 5}) {
      EXPECT_NE(e.ids()[i], 0u) << i;
      EXPECT_TRUE(e.refusals()[i].empty()) << e.refusals()[i];
    }
    EXPECT_EQ(e.ids()[5], e.ids()[2]);
    EXPECT_EQ(client.result(kSquare, e.ids()[0]), 1);
    EXPECT_EQ(client.result(kSquare, e.ids()[2]), 4);
  }
  EXPECT_EQ(client.join().failed, 0u);
  ServerStatus status = client.status();
  EXPECT_EQ(status.tasks_by_state[static_cast<int>(TaskState::kCompleted)], 2);
}

// Clients and server authenticate each other with the fleet's CA: a client
// of another CA, or without TLS, is not served.
TEST(QueueClientTlsTest, OnlyClientsOfTheFleetAreServed) {
  const taskqueue_test::TestCertificates& certs =
      taskqueue_test::Certificates();
  auto registry = std::make_shared<TaskRegistry>();
  registry->Add(kSquare);
  absl::StatusOr<std::unique_ptr<internal::QueueServer>> server =
      internal::QueueServer::Start(
          {.registry = registry,
           .journal = {.path = taskqueue_testing::FreshTestDir() / "journal"},
           .num_workers = 1});
  ASSERT_TRUE(server.ok()) << server.status();
  internal::ServerFront front(**server, {.tls = certs.queue});

  QueueClient fleet({.port = front.port(), .tls = certs.node});
  EXPECT_EQ(fleet.result(kSquare, fleet.add_task(kSquare, 12)), 144);
  EXPECT_THROW(QueueClient({.port = front.port(),
                            .tls = certs.rogue,
                            .timeout = std::chrono::seconds(5)}),
               ServerUnavailableError);
  EXPECT_THROW(
      QueueClient({.port = front.port(), .timeout = std::chrono::seconds(5)}),
      ServerUnavailableError);
  // The fleet's client is still served.
  EXPECT_EQ(fleet.result(kSquare, fleet.add_task(kSquare, 3)), 9);
}

}  // namespace
}  // namespace taskqueue
