// Mutual TLS between a queue and its nodes: nodes with the fleet's
// certificates work; a node with another CA's certificate, or none, never
// gets in; options that would not be safe, or would not work, are refused
// up front; and neither failed handshakes nor garbage on the port disturb a
// healthy node, nor make the queue spin.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "taskqueue/taskqueue.h"
#include "taskqueue/worker_node.h"
#include "tests/remote/node_process.h"
#include "tests/remote/raw_connection.h"
#include "tests/remote/remote_fixture.h"
#include "tests/remote/task_stream.h"
#include "tests/remote/test_certificates.h"
#include "tests/remote/test_tasks.h"

namespace taskqueue_test {
namespace {

using std::chrono::milliseconds;

taskqueue::QueueOptions TlsListeningOptions() {
  taskqueue::QueueOptions options = ListeningOptions();
  options.listen->tls = Certificates().queue;
  return options;
}

// What std::invalid_argument the queue's constructor throws ("" if none).
std::string QueueRefusal(taskqueue::QueueOptions options) {
  try {
    taskqueue::TaskQueue q(options);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Tls, NodesWithTheFleetsCertificatesRunTasks) {
  taskqueue::TaskQueue q(TlsListeningOptions());
  NodeProcess node(NodeBinary(), q.listening_port(), 2, "tls-node",
                   NodeLog("tls-node"), {}, NodeTlsFlags(Certificates().node));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << node.log();
  std::vector<taskqueue::TaskFuture<int64_t>> results;
  for (int64_t i = 0; i < 500; ++i) results.push_back(q.submit(kSquare, i, 0));
  for (int64_t i = 0; i < 500; ++i) {
    ASSERT_EQ(results[i].wait_for(milliseconds(20000)),
              std::future_status::ready);
    EXPECT_EQ(results[i].get(), i * i + 1);
  }
}

TEST(Tls, AnEncryptedKeyWorksWithItsPassphraseOnly) {
  const TestCertificates& c = Certificates();
  taskqueue::QueueOptions options = ListeningOptions();
  options.listen->tls = c.node;
  options.listen->tls->private_key = c.encrypted_node_key;
  options.listen->tls->passphrase = c.passphrase;
  EXPECT_EQ(QueueRefusal(options), "");
  options.listen->tls->passphrase = "wrong";
  EXPECT_NE(QueueRefusal(options).find("wrong passphrase?"), std::string::npos);
  options.listen->tls->passphrase = "";
  EXPECT_NE(QueueRefusal(options).find("set passphrase"), std::string::npos);
}

TEST(Tls, OptionsThatWouldNotBeSafeOrWouldNotWorkAreRefused) {
  const TestCertificates& c = Certificates();
  taskqueue::QueueOptions options = TlsListeningOptions();
  options.listen->tls->ca_file = "";
  EXPECT_NE(QueueRefusal(options).find("anonymous TLS"), std::string::npos);

  options = TlsListeningOptions();
  options.listen->tls->certificate = c.dir + "/absent.pem";
  std::string why = QueueRefusal(options);
  EXPECT_NE(why.find("cannot load the certificate " + c.dir + "/absent.pem"),
            std::string::npos)
      << why;

  options = TlsListeningOptions();
  options.listen->tls->private_key = c.node.private_key;  // Not the queue's.
  why = QueueRefusal(options);
  EXPECT_NE(why.find("is not the key of"), std::string::npos) << why;

  options = TlsListeningOptions();
  options.listen->tls->ca_file = c.queue.private_key;  // Not certificates.
  why = QueueRefusal(options);
  EXPECT_NE(why.find("cannot load the CA certificates"), std::string::npos)
      << why;

  // Off loopback without TLS (the address is never bound: refused first).
  options = ListeningOptions();
  options.listen->address = "192.0.2.1";
  why = QueueRefusal(options);
  EXPECT_NE(why.find("192.0.2.1 is not loopback"), std::string::npos) << why;

  options.listen->max_message_bytes = 1000;
  options.listen->address = "127.0.0.1";
  why = QueueRefusal(options);
  EXPECT_NE(why.find("max_message_bytes"), std::string::npos) << why;

  // The node's side, the same checks.
  taskqueue::NodeOptions node{.host = "192.0.2.1", .port = 7070};
  EXPECT_THROW(taskqueue::WorkerNode(node, TestRegistry()),
               std::invalid_argument);
  node.allow_insecure_remote = true;
  EXPECT_NO_THROW(taskqueue::WorkerNode(node, TestRegistry()));
  node.allow_insecure_remote = false;
  node.tls = c.node;
  node.tls->certificate = "";
  EXPECT_THROW(taskqueue::WorkerNode(node, TestRegistry()),
               std::invalid_argument);
}

TEST(Tls, NodesOfAnotherCaOrWithoutTlsNeverGetIn) {
  const TestCertificates& c = Certificates();
  taskqueue::TaskQueue q(TlsListeningOptions());
  // A certificate the queue does not trust (the node trusts the queue's).
  taskqueue::TlsOptions impostor = c.rogue;
  impostor.ca_file = c.node.ca_file;
  NodeProcess rogue(NodeBinary(), q.listening_port(), 1, "rogue",
                    NodeLog("rogue"), {}, NodeTlsFlags(impostor));
  // A node that does not trust the queue's certificate.
  NodeProcess distrustful(NodeBinary(), q.listening_port(), 1, "distrustful",
                          NodeLog("distrustful"), {}, NodeTlsFlags(c.rogue));
  NodeProcess plain(NodeBinary(), q.listening_port(), 1, "plain",
                    NodeLog("plain"));
  // Each has tried, and failed, a few times.
  ASSERT_TRUE(WaitFor([&] {
    return Occurrences(rogue.log(), "cannot reach") >= 2 &&
           Occurrences(distrustful.log(), "cannot reach") >= 2 &&
           Occurrences(plain.log(), "cannot reach") +
                   Occurrences(plain.log(), "lost") >=
               2;
  })) << rogue.log()
      << distrustful.log() << plain.log();
  EXPECT_EQ(ConnectedNodes(q), 0);
  for (NodeProcess* node : {&rogue, &distrustful, &plain}) {
    EXPECT_EQ(Occurrences(node->log(), "connected to"), 0) << node->log();
    EXPECT_EQ(node->Wait(milliseconds(0)), std::nullopt) << "it gave up";
  }
}

TEST(Tls, FailedHandshakesAndGarbageDoNotDisturbAHealthyNode) {
  const TestCertificates& c = Certificates();
  taskqueue::TaskQueue q(TlsListeningOptions());
  NodeProcess healthy(NodeBinary(), q.listening_port(), 2, "healthy",
                      NodeLog("healthy"), {}, NodeTlsFlags(c.node));
  ASSERT_TRUE(WaitFor([&] { return ConnectedNodes(q) == 1; })) << healthy.log();
  TaskStream stream(q);
  ASSERT_TRUE(WaitFor([&] { return stream.completed() >= 100; }));

  uint64_t before = stream.completed();
  {
    // Failed handshakes, again and again (the node retries).
    NodeProcess rogue(NodeBinary(), q.listening_port(), 1, "rogue",
                      NodeLog("rogue-attack"), {}, NodeTlsFlags(c.rogue));
    NodeProcess plain(NodeBinary(), q.listening_port(), 1, "plain",
                      NodeLog("plain-attack"));
    EXPECT_EQ(SendGarbage(q.listening_port(), 20, 1024, 7), 20);
    for (int i = 0; i < 3; ++i) {
      RawConnection forged(q.listening_port());
      forged.Send(ForgedHandshakeHeader(0xFFFFFFFF));
      EXPECT_TRUE(forged.ClosedWithin(milliseconds(5000))) << i;
    }
    ASSERT_TRUE(WaitFor([&] {
      return Occurrences(rogue.log(), "cannot reach") >= 3 &&
             stream.completed() >= before + 200;
    })) << rogue.log();
  }
  stream.Stop();
  EXPECT_EQ(stream.wrong(), 0u);
  // Never lost, never reconnected: the one connection carried it all.
  EXPECT_EQ(Occurrences(healthy.log(), "connected to"), 1) << healthy.log();
  EXPECT_EQ(Occurrences(healthy.log(), "lost"), 0) << healthy.log();
  EXPECT_EQ(ConnectedNodes(q), 1);
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// CAF issue #1060: the queue's first write (its BASP handshake) wants a
// read while the peer says nothing; CAF 0.17.6 retried it at once, for
// ever. Not a timing test: spinning takes a whole core, idling next to none,
// and the bound sits far from both.
TEST(Tls, ASilentPeerDoesNotMakeTheQueueSpin) {
  taskqueue::TaskQueue q(TlsListeningOptions());
  RawConnection silent(q.listening_port());
  std::this_thread::sleep_for(milliseconds(200));  // The handshake starts.
  double start = CpuSeconds();
  std::this_thread::sleep_for(milliseconds(2000));
  double used = CpuSeconds() - start;
  EXPECT_LT(used, 1.0) << "CPU seconds in 2 s of a silent peer";
}

}  // namespace
}  // namespace taskqueue_test
