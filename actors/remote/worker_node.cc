// WorkerNode (worker_node.h): Run() connects from its own thread; one node
// actor speaks the node protocol (node_protocol.h) for every session, and
// NodeSlots' threads run the tasks. The slots outlive sessions: a task still
// running when its session was lost finishes, and the node actor drops its
// answer, since the queue has given the task to another node.
#include "taskqueue/worker_node.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "actors/remote/connection_watch.h"
#include "actors/remote/node_frames.h"
#include "actors/remote/node_handshake.h"
#include "actors/remote/node_protocol.h"
#include "actors/remote/node_slots.h"
#include "actors/remote/registry_release.h"
#include "actors/remote/transport_security.h"
#include "actors/sleeping_scheduler.h"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/remote_actor.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/system_messages.hpp"
#include "taskqueue/task_registry.h"

namespace taskqueue {
namespace internal {
namespace {

// How a session ended.
struct SessionEnd {
  enum Kind { kLost, kBusy, kRefused, kDrained } kind = kLost;
  std::string why;
};
using SessionPromise = std::shared_ptr<std::promise<SessionEnd>>;

// Local messages of the node actor (never sent over the network: the
// promise cannot be serialized, so a forged one is dropped on arrival).
using session_atom = caf::atom_constant<caf::atom("tq_session")>;
using drain_atom = caf::atom_constant<caf::atom("tq_drain")>;
// NodeSlots has reports to send.
using slots_ready_atom = caf::atom_constant<caf::atom("tq_slotrdy")>;
using hello_timeout_atom = caf::atom_constant<caf::atom("tq_hellot")>;

}  // namespace
}  // namespace internal
}  // namespace taskqueue

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::SessionPromise)

namespace taskqueue {
namespace internal {
namespace {

struct NodeContext {
  NodeOptions options;
  TransportSecurity transport;
  std::shared_ptr<const TaskRegistry> registry;
  SignatureMap tasks;
  // Tasks finished for the queue (answered within their session).
  std::shared_ptr<std::atomic<uint64_t>> tasks_run;
};

class Node {
 public:
  Node(caf::event_based_actor* self, std::shared_ptr<const NodeContext> context)
      : self_(self), context_(std::move(context)) {
    // Weak: the slots live in this actor's state, and a strong handle in
    // them would keep the actor alive for ever.
    caf::weak_actor_ptr me(self_->ctrl());
    slots_ = std::make_unique<NodeSlots>(
        context_->options.slots, context_->registry, [me] {
          if (caf::strong_actor_ptr node = me.lock()) {
            caf::anon_send(caf::actor_cast<caf::actor>(node),
                           slots_ready_atom::value);
          }
        });
  }

  // Waits for the tasks running to finish.
  void StopSlots() { slots_->Stop(); }

  void OnSession(const caf::actor& gateway, SessionPromise promise) {
    if (draining_) {
      promise->set_value({SessionEnd::kDrained, ""});
      return;
    }
    ++session_;
    promise_ = std::move(promise);
    proxy_ = nullptr;
    gateway_ = gateway;
    self_->monitor(gateway_);
    const NodeOptions& o = context_->options;
    self_->send(gateway_, hello_atom::value, kNodeProtocolVersion, o.name,
                static_cast<uint32_t>(o.slots), context_->tasks);
  }

  void OnWelcome(const SignatureMap& queue_tasks) {
    if (!promise_ || proxy_) return;
    std::vector<std::string> why = NodeRefusals(context_->tasks, queue_tasks);
    if (!why.empty())
      return End({SessionEnd::kRefused, absl::StrJoin(why, "\n")});
    proxy_ = caf::actor_cast<caf::actor>(self_->current_sender());
    self_->monitor(proxy_);
  }

  void OnRefuse(SessionEnd::Kind kind, const std::string& why) {
    if (!promise_ || proxy_) return;
    End({kind, why});
  }

  // Serve() saw no end of the session for connection_timeout: if it was
  // never welcomed, the queue took the connection and does not answer.
  void OnHelloTimeout() {
    if (promise_ && !proxy_) {
      End({SessionEnd::kLost, "no answer to hello"});
    }
  }

  void OnTasks(const std::vector<char>& frame) {
    if (!proxy_ || self_->current_sender() != proxy_.address()) return;
    if (draining_) return;  // Given back by leaving.
    absl::StatusOr<std::vector<TaskOffer>> offers = DecodeOffers(frame);
    if (!offers.ok()) {
      // A queue of another build, or not a queue: nothing here is safe to
      // run. The proxy is told, so that it drops the session as it drops a
      // lost node's (what this node held runs elsewhere) instead of keeping
      // the node's name taken when it connects again.
      std::string why =
          "the queue sent " + std::string(offers.status().message());
      self_->send(proxy_, refuse_atom::value, why);
      return End({SessionEnd::kLost, std::move(why)});
    }
    slots_->Offer(session_, *std::move(offers));
  }

  // Sends what the slots reported in this session, in frames.
  void OnSlotsReady() {
    std::vector<SlotReport> reports = slots_->TakeReports();
    if (!proxy_) return;
    FrameBuilder frames(context_->transport.frame_bytes());
    for (SlotReport& r : reports) {
      if (r.session != session_) continue;
      NodeReport& report = r.report;
      if (report.kind != NodeReport::Kind::kStarted) {
        context_->tasks_run->fetch_add(1, std::memory_order_relaxed);
      }
      if (report.kind == NodeReport::Kind::kResult &&
          !context_->transport.Fits(report.result.size())) {
        // The queue would drop the connection, and with it every task here.
        report = NodeReport{
            .kind = NodeReport::Kind::kError,
            .id = report.id,
            .type = "taskqueue::MessageTooLarge",
            .message =
                "the result takes " + std::to_string(report.result.size()) +
                " bytes, more than NodeOptions::max_message_bytes (" +
                std::to_string(context_->transport.max_message_bytes()) + ")"};
      }
      frames.AddReport(report);
    }
    for (std::vector<char>& frame : frames.Take()) {
      self_->send(proxy_, reports_atom::value, std::move(frame));
    }
    LeaveIfDrained();
  }

  void OnDrain() {
    draining_ = true;
    slots_->DropOffered();
    if (!promise_) return;  // Run() sees the flag before it connects again.
    if (!proxy_) return End({SessionEnd::kDrained, ""});
    LeaveIfDrained();
  }

  void OnDown(const caf::down_msg& down) {
    if (!promise_) return;
    if (down.source == gateway_.address() || down.source == proxy_.address()) {
      End({SessionEnd::kLost, self_->system().render(down.reason)});
    }
  }

 private:
  // Draining, and every task started has been answered to the queue: what
  // it sent and this node did not start runs elsewhere.
  void LeaveIfDrained() {
    if (draining_ && proxy_ && slots_->Idle()) {
      self_->send(proxy_, leave_atom::value);
      End({SessionEnd::kDrained, ""});
    }
  }

  void End(SessionEnd end) {
    if (gateway_) self_->demonitor(gateway_);
    if (proxy_) self_->demonitor(proxy_);
    gateway_ = nullptr;
    proxy_ = nullptr;
    slots_->DropOffered();
    // A new session number: answers of this one's tasks are dropped.
    ++session_;
    std::exchange(promise_, nullptr)->set_value(std::move(end));
  }

  caf::event_based_actor* const self_;
  const std::shared_ptr<const NodeContext> context_;
  std::unique_ptr<NodeSlots> slots_;
  uint64_t session_ = 0;
  SessionPromise promise_;  // Set while a session is on.
  caf::actor gateway_;
  caf::actor proxy_;  // Set once welcomed.
  bool draining_ = false;
};

// The node's slots and handles (the gateway, the proxy) live in the actor's
// state, which CAF destroys as the actor exits: an exited actor that the
// middleman still references (a lost queue's) then holds no thread and no
// other actor.
struct NodeState {
  static inline const char* name = "taskqueue.worker_node";
  std::unique_ptr<Node> node;
};

caf::behavior node_actor(caf::stateful_actor<NodeState>* self,
                         std::shared_ptr<const NodeContext> context) {
  ReleaseFromRegistryOnExit(self);
  self->state.node = std::make_unique<Node>(self, std::move(context));
  Node* node = self->state.node.get();
  self->set_down_handler([node](caf::down_msg& down) { node->OnDown(down); });
  self->set_exit_handler([self, node](caf::exit_msg& exit) {
    node->StopSlots();
    self->quit(exit.reason);
  });
  return {
      [node](session_atom, const caf::actor& gateway, SessionPromise& p) {
        node->OnSession(gateway, std::move(p));
      },
      [node](welcome_atom, const SignatureMap& tasks) {
        node->OnWelcome(tasks);
      },
      [node](refuse_atom, const std::string& why) {
        node->OnRefuse(SessionEnd::kRefused, why);
      },
      [node](busy_atom, const std::string& why) {
        node->OnRefuse(SessionEnd::kBusy, why);
      },
      [node](hello_timeout_atom) { node->OnHelloTimeout(); },
      [node](tasks_atom, const std::vector<char>& frame) {
        node->OnTasks(frame);
      },
      [node](slots_ready_atom) { node->OnSlotsReady(); },
      [node](drain_atom) { node->OnDrain(); },
  };
}

std::string DefaultName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(host[0] != '\0' ? host : "node") + ":" +
         std::to_string(getpid());
}

}  // namespace
}  // namespace internal

class WorkerNode::Impl {
 public:
  Impl(NodeOptions options, std::shared_ptr<const TaskRegistry> registry) {
    if (registry == nullptr) {
      throw std::invalid_argument("taskqueue: WorkerNode needs a registry");
    }
    if (options.slots < 1 ||
        options.slots > static_cast<int>(internal::kMaxNodeSlots)) {
      throw std::invalid_argument(
          "taskqueue: NodeOptions::slots must be between 1 and " +
          std::to_string(internal::kMaxNodeSlots));
    }
    if (options.port == 0) {
      throw std::invalid_argument("taskqueue: NodeOptions::port is not set");
    }
    if (options.reconnect_first.count() <= 0 ||
        options.reconnect_most < options.reconnect_first) {
      throw std::invalid_argument(
          "taskqueue: NodeOptions needs 0 < reconnect_first <= "
          "reconnect_most");
    }
    if (options.name.empty()) options.name = internal::DefaultName();
    internal::TransportSecurity transport(
        "NodeOptions", options.host, options.tls, options.allow_insecure_remote,
        options.max_message_bytes);
    transport.Configure(config_);
    internal::UseSleepingScheduler(config_);
    internal::ConfigureConnectionWatch(config_, "NodeOptions",
                                       options.heartbeat_interval,
                                       options.connection_timeout);
    context_ = std::make_shared<internal::NodeContext>(internal::NodeContext{
        .options = std::move(options),
        .transport = std::move(transport),
        .registry = registry,
        .tasks = registry->signatures(),
        .tasks_run = std::make_shared<std::atomic<uint64_t>>(0),
    });
  }

  NodeExit Run() {
    caf::actor_system system(config_);
    // Not detached: CAF's middleman can keep an actor that messaged a peer
    // referenced after it exited, and ~actor_system waits for each detached
    // actor's thread until its actor is destroyed: it would wait for ever
    // (gateway_actor.h). Tasks run on the slots' own threads (NodeSlots);
    // this actor only routes messages.
    caf::actor node = system.spawn(internal::node_actor, context_);
    {
      absl::MutexLock lock(&mu_);
      node_ = node;
    }
    NodeExit exit = Serve(system, node);
    {
      absl::MutexLock lock(&mu_);
      node_ = nullptr;
    }
    caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
    exit.tasks_run = context_->tasks_run->load();
    return exit;
  }

  void Drain() {
    absl::MutexLock lock(&mu_);
    drain_ = true;
    if (node_) caf::anon_send(node_, internal::drain_atom::value);
  }

 private:
  NodeExit Serve(caf::actor_system& system, const caf::actor& node) {
    const NodeOptions& o = context_->options;
    std::minstd_rand random(std::random_device{}());
    std::chrono::milliseconds wait = o.reconnect_first;
    std::string target = o.host + ":" + std::to_string(o.port);
    for (;;) {
      if (Draining()) return {};
      caf::expected<caf::actor> gateway =
          context_->transport.tls()
              ? caf::openssl::remote_actor(system, o.host, o.port)
              : system.middleman().remote_actor(o.host, o.port);
      if (gateway) {
        auto promise = std::make_shared<std::promise<internal::SessionEnd>>();
        std::future<internal::SessionEnd> ended = promise->get_future();
        caf::anon_send(node, internal::session_atom::value, *gateway,
                       std::move(promise));
        std::fprintf(stderr, "taskqueue node %s: connected to %s\n",
                     o.name.c_str(), target.c_str());
        // A queue that takes the connection but never answers is as lost
        // as one that hangs later. Timed here, not by a delayed message to
        // the node actor: CAF's clock would hold the actor until it fired,
        // and ~actor_system, which waits for the actor's thread before it
        // stops the clock, would hang that long.
        if (ended.wait_for(o.connection_timeout) != std::future_status::ready) {
          caf::anon_send(node, internal::hello_timeout_atom::value);
        }
        internal::SessionEnd end = ended.get();
        if (end.kind == internal::SessionEnd::kRefused) {
          std::fprintf(stderr, "taskqueue node %s: refused by %s:\n%s\n",
                       o.name.c_str(), target.c_str(), end.why.c_str());
          return {.refused = true, .why = end.why};
        }
        if (end.kind == internal::SessionEnd::kDrained) return {};
        std::fprintf(
            stderr, "taskqueue node %s: %s %s (%s)\n", o.name.c_str(),
            end.kind == internal::SessionEnd::kBusy ? "not now from" : "lost",
            target.c_str(), end.why.c_str());
        // A queue that was up for a while is worth a quick retry; one that
        // says "not now" is not.
        if (end.kind == internal::SessionEnd::kLost) wait = o.reconnect_first;
      } else {
        std::fprintf(stderr, "taskqueue node %s: cannot reach %s (%s)\n",
                     o.name.c_str(), target.c_str(),
                     system.render(gateway.error()).c_str());
      }
      // Jitter: nodes that lost the same queue do not come back in step.
      std::uniform_int_distribution<int64_t> jitter(0, wait.count() / 2);
      WaitForDrain(wait + std::chrono::milliseconds(jitter(random)));
      wait = std::min(wait * 2, o.reconnect_most);
    }
  }

  bool Draining() {
    absl::MutexLock lock(&mu_);
    return drain_;
  }
  void WaitForDrain(std::chrono::milliseconds timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&drain_), absl::FromChrono(timeout));
  }

  caf::actor_system_config config_;
  std::shared_ptr<const internal::NodeContext> context_;
  absl::Mutex mu_;
  bool drain_ ABSL_GUARDED_BY(mu_) = false;
  caf::actor node_ ABSL_GUARDED_BY(mu_);
};

WorkerNode::WorkerNode(NodeOptions options,
                       std::shared_ptr<const TaskRegistry> registry)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(registry))) {}

WorkerNode::~WorkerNode() { impl_->Drain(); }

NodeExit WorkerNode::Run() { return impl_->Run(); }

void WorkerNode::Drain() { impl_->Drain(); }

}  // namespace taskqueue
