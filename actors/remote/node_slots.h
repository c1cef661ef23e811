// NodeSlots: a worker node's slots, the threads that run the tasks its queue
// offers, and the reports they leave for the node actor to send.
//
// The node actor offers tasks (Offer); each slot thread takes the next one as
// it becomes free, so a long task never holds others back while a slot is
// free, and reports it started, then its result or error. No message passes
// per task between the node actor and a slot: reports pile up under one
// mutex, and the node actor hears of them once per pile (`on_reports`, called
// by the slot that adds the first report after a TakeReports), then takes
// them all and sends them in frames (node_frames.h).
//
//   NodeSlots slots(4, registry, [node] { caf::anon_send(node, ready); });
//   slots.Offer(session, std::move(offers));
//   ... on `ready`: for (SlotReport& r : slots.TakeReports()) ...
//   slots.Stop();  // After the last task running has finished.
//
// Sessions: every task carries the session it was offered in, and so does
// each of its reports; the node actor drops reports of an ended session (the
// queue has given those tasks to another node).
//
// Thread-safety: every method is thread-safe, but for Stop (and the
// destructor), which one thread calls and which blocks until every slot has
// finished its task. `on_reports` runs on a slot thread, under no lock, and
// must not block (sending a message is what it is for).
#ifndef TASKQUEUE_ACTORS_REMOTE_NODE_SLOTS_H_
#define TASKQUEUE_ACTORS_REMOTE_NODE_SLOTS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "actors/remote/node_frames.h"
#include "taskqueue/task_registry.h"

namespace taskqueue::internal {

struct SlotReport {
  uint64_t session = 0;
  NodeReport report;
};

class NodeSlots {
 public:
  // Starts `slots` threads that run tasks by name from `registry`.
  NodeSlots(int slots, std::shared_ptr<const TaskRegistry> registry,
            std::function<void()> on_reports);
  ~NodeSlots();  // Stop().
  NodeSlots(const NodeSlots&) = delete;
  NodeSlots& operator=(const NodeSlots&) = delete;

  // Tasks to run, in order, for `session`. Dropped after Stop.
  void Offer(uint64_t session, std::vector<TaskOffer> offers);
  // Forgets the tasks not started yet; returns how many.
  size_t DropOffered();
  // The reports since the last call, in the order they happened (a task's
  // start before its answer).
  std::vector<SlotReport> TakeReports();
  // Whether no slot runs a task and no report waits: every task started has
  // been answered and taken.
  bool Idle() const;

  // Lets each slot finish its task and joins the threads; offered tasks not
  // started are dropped and `on_reports` is not called again. Idempotent.
  void Stop();

 private:
  struct Offered {
    uint64_t session;
    TaskOffer task;
  };

  void RunSlot();
  // Appends a report; true if it is the first since the last TakeReports.
  bool AddReport(uint64_t session, NodeReport report)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<const TaskRegistry> registry_;
  std::function<void()> on_reports_;

  mutable absl::Mutex mu_;
  std::deque<Offered> offered_ ABSL_GUARDED_BY(mu_);
  std::vector<SlotReport> reports_ ABSL_GUARDED_BY(mu_);
  // Slots running a task.
  int busy_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  // Written by the constructor and Stop only.
  std::vector<std::thread> threads_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_NODE_SLOTS_H_
