#include "actors/supervisor_actor.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <utility>
#include <variant>

#include "actors/lifecycle_reporter.h"
#include "actors/message_handoff.h"
#include "actors/remote/node_protocol.h"
#include "caf/system_messages.hpp"

namespace taskqueue::internal {
namespace {

using Self = caf::stateful_actor<SupervisorState>;
using Clock = std::chrono::steady_clock;

// CAF adds a delayed message's delay to its clock's now(): a far deadline
// would overflow there. A timer that fires early is re-armed.
constexpr Clock::duration kLongestTimer = std::chrono::hours(1);

}  // namespace

class Supervisor : public InlineCalls {
 public:
  Supervisor(Self* self, SupervisorContext context)
      : self_(self),
        context_(std::move(context)),
        scheduler_(context_.scheduler, *context_.lifecycle) {}

  void Start() {
    for (int32_t i = 0; i < context_.num_workers; ++i) {
      endpoints_.push_back(SpawnWorker(i));
    }
    endpoints_.resize(context_.num_workers + context_.max_nodes);
    node_names_.resize(context_.max_nodes);
  }

  // Proxies are not linked to the supervisor (a lost node must not take it
  // down), so it stops them as it exits.
  void StopProxies() {
    for (size_t i = context_.num_workers; i < endpoints_.size(); ++i) {
      if (endpoints_[i]) {
        self_->send_exit(endpoints_[i], caf::exit_reason::user_shutdown);
      }
    }
  }

  // --- Messages. ---
  void OnReady(int32_t endpoint, uint64_t credit) {
    EndpointKind kind = endpoint >= context_.num_workers ? EndpointKind::kRemote
                                                         : EndpointKind::kLocal;
    Route([&] { scheduler_.EndpointReady(endpoint, credit, kind); });
  }
  void OnNode(const caf::actor& gateway, const caf::actor& node,
              const std::string& name, uint32_t slots) {
    auto taken = std::find(node_names_.begin(), node_names_.end(), name);
    auto free = std::find(node_names_.begin(), node_names_.end(), "");
    std::string why;
    if (taken != node_names_.end()) {
      why = "a node named \"" + name + "\" is connected already";
    } else if (free == node_names_.end()) {
      why = "this queue has ListenOptions::max_nodes (" +
            std::to_string(context_.max_nodes) + ") nodes connected";
    }
    if (!why.empty()) {
      ReportRefusal(context_.on_refused, name, why);
      // Through the gateway: this actor never sends to the network (the
      // gateway's header says why).
      self_->send(gateway, busy_atom::value, node, why);
      return;
    }
    *free = name;
    auto endpoint = static_cast<int32_t>(context_.num_workers +
                                         (free - node_names_.begin()));
    caf::actor proxy = context_.spawn_proxy(endpoint, node, slots,
                                            caf::actor_cast<caf::actor>(self_));
    self_->monitor(proxy);
    endpoints_[endpoint] = proxy;
    context_.counters->NodeConnected(endpoint, name, static_cast<int>(slots));
  }
  void OnDone(int32_t endpoint, uint64_t sequence, uint64_t claimed) {
    Route([&] {
      // A report from a worker that is not ours, or stale, changes nothing.
      if (scheduler_.BatchDone(endpoint, sequence, claimed)) Drain();
    });
  }
  void OnRetry(ControlRef& task, uint64_t epoch) {
    Route(
        [&] { scheduler_.RetryArrived(std::move(task), epoch, Clock::now()); });
  }
  void OnDrain() {
    Route([&] { Drain(); });
  }
  void OnJoin(JoinId id, uint64_t epoch, const Reply& reply) {
    Route([&] {
      // Tasks of `epoch` may still sit in the inbox: the caller ended the
      // epoch after they were pushed, possibly before their drain_atom.
      Drain();
      joins_.emplace(id, reply);
      scheduler_.Join(id, epoch);
    });
  }
  void OnForget(JoinId id) {
    Route([&] {
      scheduler_.ForgetJoin(id);
      joins_.erase(id);
    });
  }
  void OnPrune() {
    Route([&] {
      context_.prune_requested->store(false, std::memory_order_release);
      Drain();
      scheduler_.EndedElsewhere();
    });
  }
  void OnTimer() {
    Route([&] { scheduler_.TimerFired(Clock::now()); });
  }
  void OnClose() {
    Route([&] {
      Drain();
      scheduler_.Close();
    });
  }
  void OnDown(const caf::down_msg& down) {
    for (size_t i = 0; i < endpoints_.size(); ++i) {
      if (!endpoints_[i] || endpoints_[i].address() != down.source) continue;
      auto endpoint = static_cast<EndpointId>(i);
      Route([&] { scheduler_.EndpointLost(endpoint, Clock::now()); });
      if (endpoint < context_.num_workers) {
        endpoints_[i] = SpawnWorker(endpoint);
        context_.counters->CountRestart(endpoint);
      } else {
        // A node's endpoint waits for the next node.
        endpoints_[i] = nullptr;
        node_names_[endpoint - context_.num_workers].clear();
        context_.counters->NodeDisconnected(endpoint);
      }
      return;
    }
  }

  // --- InlineCalls, also the handlers of pause/resume/clear messages. ---
  void Pause() override {
    Route([&] { scheduler_.Pause(); });
  }
  void Resume() override {
    Route([&] { scheduler_.Resume(); });
  }
  size_t Clear() override {
    size_t cleared = 0;
    Route([&] {
      Drain();
      cleared = scheduler_.Clear();
    });
    return cleared;
  }

  const void* queue() const { return context_.queue; }

 private:
  caf::actor SpawnWorker(int32_t index) {
    caf::actor worker =
        context_.spawn_worker(index, caf::actor_cast<caf::actor>(self_));
    self_->monitor(worker);
    return worker;
  }

  void Drain() {
    scheduler_.TasksArrived(context_.inbox->Drain(), Clock::now());
    // The scheduler has placed them (and taken back what they outrank). Only
    // queues that used priorities pay the lock.
    if (context_.inbox->top_priority().load(std::memory_order_relaxed) !=
        std::numeric_limits<int>::min()) {
      context_.inbox->MarkSorted();
    }
  }

  // Runs `event` on the scheduler, carries out its commands, then the user
  // callbacks it caused, then answers the joins it allowed: so a join
  // returns after the callbacks of the tasks it waited for.
  template <class Event>
  void Route(Event event) {
    CallbackDeferral deferral;
    Supervisor* outer = std::exchange(running_, this);
    event();
    std::vector<Reply> answered;
    for (SchedulerCommand& command : scheduler_.commands()) {
      std::visit([&](auto& c) { Carry(c, answered); }, command);
    }
    scheduler_.commands().clear();
    context_.paused->store(scheduler_.paused(), std::memory_order_release);
    deferral.Run();
    for (const Reply& reply : answered) reply->set_value();
    running_ = outer;
  }

  void Carry(SendBatch& c, std::vector<Reply>&) {
    const caf::actor& endpoint = endpoints_.at(c.endpoint);
    c.batch->WatchPendingPriority(&context_.inbox->top_priority());
    TsanMessageSent(endpoint);
    self_->send(endpoint, run_atom::value, std::move(c.batch));
  }
  void Carry(AnswerJoin& c, std::vector<Reply>& answered) {
    auto it = joins_.find(c.join);
    if (it == joins_.end()) return;
    answered.push_back(std::move(it->second));
    joins_.erase(it);
  }
  void Carry(ArmTimer& c, std::vector<Reply>&) {
    Clock::duration delay = std::clamp(c.at - std::min(c.at, Clock::now()),
                                       Clock::duration::zero(), kLongestTimer);
    TsanMessageSent(self_);
    self_->delayed_send(self_, delay, timer_atom::value);
  }
  void Carry(StopRunning& c, std::vector<Reply>&) { c.task->RequestStop(); }

 public:
  // The supervisor running on this thread, if any.
  static thread_local Supervisor* running_;

 private:
  Self* const self_;
  SupervisorContext context_;
  Scheduler scheduler_;
  // Index: endpoint id. Local workers first, then nodes' proxies (null
  // while no node has the endpoint).
  std::vector<caf::actor> endpoints_;
  // Index: endpoint - num_workers; empty while no node has it.
  std::vector<std::string> node_names_;
  std::map<JoinId, Reply> joins_;
};

thread_local Supervisor* Supervisor::running_ = nullptr;

SupervisorState::SupervisorState() = default;
SupervisorState::~SupervisorState() = default;

InlineCalls* SupervisorOnThisThread(const void* queue) {
  Supervisor* s = Supervisor::running_;
  return s != nullptr && s->queue() == queue ? s : nullptr;
}

caf::behavior supervisor_actor(Self* self, SupervisorContext context) {
  self->state.supervisor =
      std::make_unique<Supervisor>(self, std::move(context));
  Supervisor* s = self->state.supervisor.get();
  s->Start();
  self->set_down_handler([self, s](caf::down_msg& down) {
    TsanMessageReceived(self);
    s->OnDown(down);
  });
  self->set_exit_handler([self, s](caf::exit_msg& exit) {
    s->StopProxies();
    self->quit(exit.reason);
  });
  return {
      [self, s](ready_atom, int32_t endpoint, uint64_t credit) {
        TsanMessageReceived(self);
        s->OnReady(endpoint, credit);
      },
      [self, s](done_atom, int32_t endpoint, uint64_t sequence,
                uint64_t claimed) {
        TsanMessageReceived(self);
        s->OnDone(endpoint, sequence, claimed);
      },
      [self, s](retry_atom, ControlRef& task, uint64_t epoch) {
        TsanMessageReceived(self);
        s->OnRetry(task, epoch);
      },
      [self, s](drain_atom) {
        TsanMessageReceived(self);
        s->OnDrain();
      },
      [self, s](join_atom, JoinId id, uint64_t epoch, const Reply& reply) {
        TsanMessageReceived(self);
        s->OnJoin(id, epoch, reply);
      },
      [self, s](forget_atom, JoinId id) {
        TsanMessageReceived(self);
        s->OnForget(id);
      },
      [self, s](prune_atom) {
        TsanMessageReceived(self);
        s->OnPrune();
      },
      [self, s](timer_atom) {
        TsanMessageReceived(self);
        s->OnTimer();
      },
      [self, s](pause_atom, const Reply& reply) {
        TsanMessageReceived(self);
        s->Pause();
        reply->set_value();
      },
      [self, s](resume_atom, const Reply& reply) {
        TsanMessageReceived(self);
        s->Resume();
        reply->set_value();
      },
      [self, s](clear_atom, const CountReply& reply) {
        TsanMessageReceived(self);
        reply->set_value(s->Clear());
      },
      [self, s](close_atom) {
        TsanMessageReceived(self);
        s->OnClose();
      },
      [self, s](node_atom, const caf::actor& node, const std::string& name,
                uint32_t slots) {
        s->OnNode(caf::actor_cast<caf::actor>(self->current_sender()), node,
                  name, slots);
      },
  };
}

}  // namespace taskqueue::internal
