#include "actors/remote/node_slots.h"

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "taskqueue/task_failure.h"

namespace taskqueue::internal {

NodeSlots::NodeSlots(int slots, std::shared_ptr<const TaskRegistry> registry,
                     std::function<void()> on_reports)
    : registry_(std::move(registry)), on_reports_(std::move(on_reports)) {
  threads_.reserve(slots);
  for (int i = 0; i < slots; ++i) threads_.emplace_back([this] { RunSlot(); });
}

NodeSlots::~NodeSlots() { Stop(); }

void NodeSlots::Offer(uint64_t session, std::vector<TaskOffer> offers) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  for (TaskOffer& task : offers) {
    offered_.push_back(Offered{session, std::move(task)});
  }
}

size_t NodeSlots::DropOffered() {
  absl::MutexLock lock(&mu_);
  return std::exchange(offered_, {}).size();
}

std::vector<SlotReport> NodeSlots::TakeReports() {
  absl::MutexLock lock(&mu_);
  return std::exchange(reports_, {});
}

bool NodeSlots::Idle() const {
  absl::MutexLock lock(&mu_);
  return busy_ == 0 && reports_.empty();
}

void NodeSlots::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    offered_.clear();
  }
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

bool NodeSlots::AddReport(uint64_t session, NodeReport report) {
  reports_.push_back(SlotReport{session, std::move(report)});
  return reports_.size() == 1 && !stopping_;
}

void NodeSlots::RunSlot() {
  auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !offered_.empty();
  };
  for (;;) {
    Offered next;
    bool tell = false;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&has_work));
      if (stopping_) return;
      next = std::move(offered_.front());
      offered_.pop_front();
      ++busy_;
      // Reported under the lock that took it: once DropOffered returns, no
      // task it missed can still begin unreported.
      tell = AddReport(
          next.session,
          NodeReport{.kind = NodeReport::Kind::kStarted, .id = next.task.id});
    }
    if (tell) on_reports_();

    NodeReport answer{.kind = NodeReport::Kind::kResult, .id = next.task.id};
    try {
      const std::vector<char>& arguments = next.task.arguments;
      answer.result = registry_->Run(
          next.task.name, std::string_view(arguments.data(), arguments.size()));
    } catch (const std::exception& e) {
      answer.kind = NodeReport::Kind::kError;
      answer.type = CurrentExceptionTypeName();
      answer.message = e.what();
    } catch (...) {
      answer.kind = NodeReport::Kind::kError;
      answer.type = CurrentExceptionTypeName();
      answer.message = "(not a std::exception)";
    }
    {
      absl::MutexLock lock(&mu_);
      --busy_;
      tell = AddReport(next.session, std::move(answer));
    }
    if (tell) on_reports_();
  }
}

}  // namespace taskqueue::internal
