#include "actors/server/queue_server.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "actors/server/journaled_task.h"
#include "taskqueue/errors.h"

namespace taskqueue::internal {
namespace {

absl::Status Stopped() {
  return absl::UnavailableError(
      "taskqueue server: stopped before the task ended");
}

}  // namespace

absl::StatusOr<std::unique_ptr<QueueServer>> QueueServer::Start(
    ServerOptions options) {
  if (options.registry == nullptr) {
    return absl::InvalidArgumentError(
        "taskqueue server: ServerOptions::registry is required");
  }
  if (options.num_workers < 0 ||
      options.num_workers > QueueOptions::kMaxWorkers) {
    return absl::InvalidArgumentError(absl::StrCat(
        "taskqueue server: num_workers must be in [0, ",
        QueueOptions::kMaxWorkers, "], not ", options.num_workers));
  }
  if (options.num_workers == 0 && !options.nodes.has_value()) {
    return absl::InvalidArgumentError(
        "taskqueue server: no workers and no worker nodes: nothing would "
        "ever run");
  }
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open(options.journal);
  if (!journal.ok()) return journal.status();
  absl::StatusOr<std::vector<JournalTask>> unfinished =
      (*journal)->Recover(absl::Now());
  if (!unfinished.ok()) return unfinished.status();

  std::unique_ptr<QueueServer> server;
  try {
    server.reset(new QueueServer(std::move(options), *std::move(journal)));
  } catch (const std::exception& e) {  // The queue refused its options.
    return absl::InvalidArgumentError(
        absl::StrCat("taskqueue server: ", e.what()));
  }
  for (const JournalTask& task : *unfinished) {
    server->Enqueue(task.id, task.task, task.attempts, task.attempt_budget);
  }
  server->recovered_ = static_cast<int64_t>(unfinished->size());
  return server;
}

QueueServer::QueueServer(ServerOptions options,
                         std::unique_ptr<Journal> journal)
    : options_(std::move(options)), journal_(std::move(journal)) {
  commits_ = std::make_unique<GroupCommit>(*journal_, options_.commits);
  QueueOptions queue;
  queue.num_workers = options_.num_workers;
  // The latency histograms of /metrics; a clock read per attempt.
  queue.record_timings = true;
  queue.listen = options_.nodes;
  if (queue.listen.has_value() && queue.listen->registry == nullptr) {
    queue.listen->registry = options_.registry;
  }
  queue_ = std::make_unique<TaskQueue>(std::move(queue));
  if (options_.retention != absl::InfiniteDuration()) {
    compactor_ = std::thread([this] { CompactLoop(); });
  }
}

void QueueServer::CompactLoop() {
  const absl::Duration every =
      std::clamp(options_.retention / 10, absl::Seconds(1), absl::Hours(1));
  while (!stop_compacting_.WaitForNotificationWithTimeout(every)) {
    commits_->Read([retention = options_.retention](Journal& journal) {
      absl::StatusOr<int64_t> deleted =
          journal.Compact(absl::Now() - retention);
      if (!deleted.ok()) {
        std::fprintf(stderr, "taskqueue server: compaction: %s\n",
                     std::string(deleted.status().message()).c_str());
      }
    });
  }
}

QueueServer::~QueueServer() { Stop(); }

void QueueServer::Submit(NewTask task, Accepted accepted) {
  if (stopping_.load()) {
    std::move(accepted)(
        absl::UnavailableError("taskqueue server: stopping, not accepting"));
    return;
  }
  if (!options_.registry->Contains(task.name)) {
    std::move(accepted)(absl::NotFoundError(
        absl::StrCat("taskqueue server: no task named \"", task.name,
                     "\" in the server's registry")));
    return;
  }
  if (task.max_attempts < 1) {
    std::move(accepted)(absl::InvalidArgumentError(
        absl::StrCat("taskqueue server: max_attempts must be >= 1, not ",
                     task.max_attempts)));
    return;
  }
  NewTask copy = task;
  commits_->Submit(
      AcceptTask{std::move(task)},
      [this, copy = std::move(copy), accepted = std::move(accepted)](
          absl::StatusOr<OpOutcome> outcome) mutable {
        if (outcome.ok() && outcome->created) {
          Enqueue(outcome->id, copy, /*attempts=*/0, copy.max_attempts);
        }
        std::move(accepted)(std::move(outcome));
      });
}

void QueueServer::Enqueue(int64_t id, const NewTask& task, int attempts,
                          int attempt_budget) {
  TaskOptions options;
  options.name = task.name;
  options.priority = task.priority;
  // A task that used up its budget in lost attempts still gets the one
  // that finishes it: the journal has it queued.
  options.max_attempts = std::max(1, attempt_budget - attempts);
  auto journaled = std::make_shared<JournaledTask>(*commits_, stopping_, ended_,
                                                   worker_names_, id, attempts);
  absl::MutexLock lock(&enqueue_mu_);
  // Stop clears the queue once: nothing may join it after that.
  if (stopping_.load()) return;
  try {
    queue_->add_encoded(std::move(options), options_.registry, task.name,
                        std::vector<char>(task.args.begin(), task.args.end()),
                        std::move(journaled));
  } catch (const UnknownTaskError& e) {
    // Recovered from a server whose registry had it.
    std::fprintf(stderr,
                 "taskqueue server: task %lld stays queued in the journal: "
                 "%s\n",
                 static_cast<long long>(id), e.what());
  }
}

void QueueServer::WhenEnded(int64_t id, Found found) {
  commits_->Read([this, id,
                  found = std::move(found)](Journal& journal) mutable {
    absl::StatusOr<std::optional<JournalTask>> task = journal.Find(id);
    if (!task.ok()) {
      std::move(found)(task.status());
    } else if (!task->has_value()) {
      std::move(found)(
          absl::NotFoundError(absl::StrCat("taskqueue server: no task ", id)));
    } else if ((*task)->state != TaskState::kQueued &&
               (*task)->state != TaskState::kRunning) {
      std::move(found)(**std::move(task));
    } else if (stopped_) {
      std::move(found)(Stopped());
    } else {
      waiters_[id].push_back(std::move(found));
    }
  });
}

void QueueServer::Ended(int64_t id) {
  commits_->Read([this, id](Journal& journal) {
    auto it = waiters_.find(id);
    if (it == waiters_.end()) return;
    std::vector<Found> waiting = std::move(it->second);
    waiters_.erase(it);
    absl::StatusOr<std::optional<JournalTask>> task = journal.Find(id);
    for (Found& found : waiting) {
      if (!task.ok()) {
        std::move(found)(task.status());
      } else {
        std::move(found)(**task);  // Found: it just ended.
      }
    }
  });
}

void QueueServer::Retry(int64_t id,
                        absl::AnyInvocable<void(absl::Status) &&> done) {
  commits_->Read([this, id, done = std::move(done)](Journal& journal) mutable {
    absl::StatusOr<std::optional<JournalTask>> found = journal.Find(id);
    if (!found.ok() || !found->has_value()) {
      std::move(done)(!found.ok() ? found.status()
                                  : absl::NotFoundError(absl::StrCat(
                                        "taskqueue server: no task ", id)));
      return;
    }
    JournalTask task = **std::move(found);
    commits_->Submit(RetryTask{.id = id},
                     [this, task = std::move(task), done = std::move(done)](
                         absl::StatusOr<OpOutcome> retried) mutable {
                       if (retried.ok()) {
                         Enqueue(task.id, task.task, task.attempts,
                                 task.attempts + task.task.max_attempts);
                       }
                       std::move(done)(retried.status());
                     });
  });
}

void QueueServer::Flush() {
  absl::Notification done;
  commits_->Read([&done](Journal&) { done.Notify(); });
  done.WaitForNotification();
}

void QueueServer::Stop() {
  {
    absl::MutexLock lock(&enqueue_mu_);
    if (stopping_.exchange(true)) return;
  }
  stop_compacting_.Notify();
  if (compactor_.joinable()) compactor_.join();
  // Cancelled here, their ends unrecorded: they stay queued in the journal.
  queue_->pause();
  queue_->clear();
  queue_->shutdown();
  // Its last ends are queued by now: the waiters of the rest give up.
  commits_->Read([this](Journal&) {
    stopped_ = true;
    for (auto& [id, waiting] : waiters_) {
      for (Found& found : waiting) std::move(found)(Stopped());
    }
    waiters_.clear();
  });
}

}  // namespace taskqueue::internal
