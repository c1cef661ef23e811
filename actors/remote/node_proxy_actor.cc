#include "actors/remote/node_proxy_actor.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "actors/message_handoff.h"
#include "actors/messages.h"
#include "actors/remote/node_frames.h"
#include "actors/remote/node_lease.h"
#include "actors/remote/registry_release.h"
#include "caf/actor_cast.hpp"
#include "caf/exit_reason.hpp"
#include "caf/sec.hpp"
#include "caf/system_messages.hpp"
#include "taskqueue/errors.h"

namespace taskqueue::internal {
namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

class NodeProxy {
 public:
  NodeProxy(caf::event_based_actor* self, int32_t endpoint, caf::actor node,
            size_t slots, size_t prefetch,
            std::shared_ptr<const NodeProxyContext> context,
            caf::actor supervisor)
      : self_(self),
        endpoint_(endpoint),
        node_(std::move(node)),
        context_(std::move(context)),
        supervisor_(std::move(supervisor)),
        lease_(slots, prefetch) {}

  void Start() {
    self_->monitor(node_);
    self_->send(node_, welcome_atom::value, context_->tasks);
    TsanMessageSent(supervisor_);
    self_->send(supervisor_, ready_atom::value, endpoint_, kNodeCredit);
  }

  void OnBatch(TaskBatchPtr batch) {
    lease_.Add(std::move(batch));
    Pump();
  }

  // A frame of the node's reports, in order; then the window refills.
  void OnReports(const std::vector<char>& frame) {
    if (!FromNode()) return;
    absl::StatusOr<std::vector<NodeReportView>> reports = DecodeReports(frame);
    if (!reports.ok()) {
      return Disconnect("it sent a frame that does not decode (" +
                        std::string(reports.status().message()) + ")");
    }
    for (const NodeReportView& report : *reports) {
      switch (report.kind) {
        case NodeReport::Kind::kStarted:
          OnStarted(report.id);
          break;
        case NodeReport::Kind::kResult:
          OnResult(report.id, report.result);
          break;
        case NodeReport::Kind::kError:
          OnError(report.id, std::string(report.type),
                  std::string(report.message));
          break;
      }
      if (disconnected_) return;
    }
    Pump();
  }

  void OnLeave() {
    if (!FromNode()) return;
    self_->quit(caf::exit_reason::normal);
  }

  // The node ends the session: this queue broke the protocol, it says.
  void OnRefused(const std::string& why) {
    if (!FromNode()) return;
    Disconnect("it ended the session: " + why);
  }

  void OnDown(const caf::down_msg& down) {
    if (down.source != node_.address()) return;
    MayHaveStarted();
    self_->quit(down.reason);
  }

 private:
  void OnStarted(uint64_t id) {
    QueuedTask* task = lease_.Find(id);
    if (task == nullptr || started_.count(id) > 0) {
      return Disconnect("it sent a start for a task it was not sent");
    }
    started_.insert(id);
    TaskControl* control = task->control.get();
    if (!context_->lifecycle->Start(control, endpoint_, Now(*control))) {
      // Cancelled or expired meanwhile: the node runs it all the same, and
      // its answer only frees the place in the window.
      skipped_.insert(id);
      return;
    }
    // Started: a lost node now means a lost attempt (Scheduler::
    // EndpointLost tells the two apart by this).
    Attempt unused = std::move(task->attempt);
  }

  void OnResult(uint64_t id, std::string_view result) {
    QueuedTask* task = Answered(id);
    if (task == nullptr) return;
    TaskControl* control = task->control.get();
    try {
      control->remote->complete(result);
    } catch (...) {
      // The result did not decode as the task's: the attempt failed.
      Failed(*task, TaskFailure::FromCurrentException());
      return Settle(id);
    }
    context_->lifecycle->Complete(control, endpoint_, Now(*control));
    Settle(id);
  }

  void OnError(uint64_t id, std::string type, std::string message) {
    QueuedTask* task = Answered(id);
    if (task == nullptr) return;
    std::string description = type + ": " + message;
    Failed(*task,
           TaskFailure{.exception = std::make_exception_ptr(RemoteTaskError(
                           std::move(type), std::move(message))),
                       .description = std::move(description)});
    Settle(id);
  }

  bool FromNode() const { return self_->current_sender() == node_.address(); }

  Clock::time_point Now(const TaskControl& control) const {
    return context_->record_timings || control.options.deadline
               ? Clock::now()
               : Clock::time_point();
  }

  // The task a result or error is for: started, not yet answered. Null
  // (and answered for the window) when it was skipped; null and
  // disconnected for a report that breaks the protocol.
  QueuedTask* Answered(uint64_t id) {
    if (started_.erase(id) == 0) {
      Disconnect("it sent an answer for a task that had not started");
      return nullptr;
    }
    if (skipped_.erase(id) > 0) {
      Settle(id);
      return nullptr;
    }
    return lease_.Find(id);
  }

  void Failed(QueuedTask& task, TaskFailure failure) {
    TaskControl* control = task.control.get();
    if (context_->lifecycle->AttemptFailed(control, endpoint_,
                                           std::move(failure), Now(*control))) {
      TsanMessageSent(supervisor_);
      self_->send(supervisor_, retry_atom::value, task.control, task.epoch);
    }
  }

  // Its place in the window is free; Pump refills it.
  void Settle(uint64_t id) { lease_.Finish(id); }

  // Sends what the window has room for, in frames, then reports finished
  // batches.
  void Pump() {
    FrameBuilder frames(context_->frame_bytes);
    while (std::optional<NodeLease::Sent> next = lease_.Next()) {
      if (next->task->ended_unrun()) {  // Cancelled since it was handed out.
        lease_.Finish(next->id);
        continue;
      }
      const RemoteCall& call = *next->task->control->remote;
      frames.AddOffer(next->id, call.name, call.arguments);
    }
    for (std::vector<char>& frame : frames.Take()) {
      self_->send(node_, tasks_atom::value, std::move(frame));
    }
    for (NodeLease::Done done : lease_.TakeDone()) {
      TsanMessageSent(supervisor_);
      self_->send(supervisor_, done_atom::value, endpoint_, done.sequence,
                  uint64_t{done.claimed});
    }
  }

  // A lost node's last reports are lost with it, a start among them: every
  // task it was sent may have begun. Started here, then, so that the
  // scheduler counts each lost with the node (an at-most-once one fails,
  // the rest run again and count toward max_node_losses) instead of giving
  // it out again as never run. A task that kills its node at once would
  // otherwise go round the fleet for ever. A node that leaves has
  // reported every start first, so this is for lost nodes only.
  void MayHaveStarted() {
    for (uint64_t id : lease_.InFlight()) {
      if (started_.count(id) > 0) continue;
      QueuedTask* task = lease_.Find(id);
      TaskControl* control = task->control.get();
      if (context_->lifecycle->Start(control, endpoint_, Now(*control))) {
        Attempt unused = std::move(task->attempt);
      }
    }
  }

  // Drops the node as a lost one, saying why: a node that breaks the
  // protocol is a bug or an attack, and either should be seen.
  void Disconnect(const std::string& why) {
    std::fprintf(stderr, "taskqueue: worker node of endpoint %d dropped: %s\n",
                 static_cast<int>(endpoint_), why.c_str());
    disconnected_ = true;
    MayHaveStarted();
    self_->quit(caf::make_error(caf::sec::unexpected_message,
                                "worker node dropped: " + why));
  }

  caf::event_based_actor* const self_;
  const int32_t endpoint_;
  const caf::actor node_;
  const std::shared_ptr<const NodeProxyContext> context_;
  const caf::actor supervisor_;
  NodeLease lease_;
  // Tasks whose start the node reported and whose answer it has not.
  absl::flat_hash_set<uint64_t> started_;
  // Of them, those that ended before they started here.
  absl::flat_hash_set<uint64_t> skipped_;
  // Set by Disconnect: the rest of a frame is not read.
  bool disconnected_ = false;
};

NodeProxyState::NodeProxyState() = default;
NodeProxyState::~NodeProxyState() = default;

caf::behavior node_proxy_actor(caf::stateful_actor<NodeProxyState>* self,
                               int32_t endpoint, caf::actor node, size_t slots,
                               size_t prefetch,
                               std::shared_ptr<const NodeProxyContext> context,
                               caf::actor supervisor) {
  ReleaseFromRegistryOnExit(self);
  self->state.proxy = std::make_unique<NodeProxy>(
      self, endpoint, std::move(node), slots, prefetch, std::move(context),
      std::move(supervisor));
  NodeProxy* proxy = self->state.proxy.get();
  proxy->Start();
  self->set_down_handler([self, proxy](caf::down_msg& down) {
    TsanMessageReceived(self);
    proxy->OnDown(down);
  });
  return {
      [self, proxy](run_atom, TaskBatchPtr& batch) {
        TsanMessageReceived(self);
        proxy->OnBatch(std::move(batch));
      },
      [proxy](reports_atom, const std::vector<char>& frame) {
        proxy->OnReports(frame);
      },
      [proxy](leave_atom) { proxy->OnLeave(); },
      [proxy](refuse_atom, const std::string& why) { proxy->OnRefused(why); },
  };
}

}  // namespace taskqueue::internal
