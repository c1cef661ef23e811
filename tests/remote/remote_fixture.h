// What the worker-node tests share: the test_node binary they start (its
// path is the test's first argument, see BUILD), a listening queue's options
// with short timeouts, and bounded waits for what happens in other
// processes.
#ifndef TASKQUEUE_TESTS_REMOTE_REMOTE_FIXTURE_H_
#define TASKQUEUE_TESTS_REMOTE_REMOTE_FIXTURE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "taskqueue/queue_options.h"
#include "taskqueue/task_observer.h"
#include "taskqueue/taskqueue.h"
#include "tests/occurrences.h"

namespace taskqueue_test {

// Counts, for each task id, how often the queue reported it ended, and
// how: the queue's own word that nothing ended twice and nothing never.
class EndCounter : public taskqueue::TaskObserver {
 public:
  void OnStarted(const taskqueue::TaskEvent& e) override { Count(kStarts, e); }
  void OnCompleted(const taskqueue::TaskEvent& e) override {
    Count(kCompleted, e);
  }
  void OnFailed(const taskqueue::TaskEvent& e) override { Count(kFailed, e); }
  void OnNotRun(const taskqueue::TaskEvent& e) override { Count(kNotRun, e); }

  // "" when each of `ids` completed exactly once and nothing else ended;
  // otherwise what went wrong, for the failure message.
  std::string CheckEachCompletedOnce(const std::vector<uint64_t>& ids) const;
  uint64_t completed() const { return Sum(kCompleted); }
  // Attempts started in all: more than the tasks when nodes were lost.
  uint64_t starts() const { return Sum(kStarts); }

 private:
  enum Kind { kStarts, kCompleted, kFailed, kNotRun, kKinds };
  void Count(Kind kind, const taskqueue::TaskEvent& e) {
    absl::MutexLock lock(&mu_);
    ++counts_[kind][e.id];
  }
  uint64_t Sum(Kind kind) const;

  mutable absl::Mutex mu_;
  // By kind, task id -> times.
  std::map<uint64_t, int> counts_[kKinds] ABSL_GUARDED_BY(mu_);
};

// The test_node binary (remote_test_main.cc sets it).
const std::string& NodeBinary();
void SetNodeBinary(std::string path);

// A pure dispatcher (no local workers) on a free loopback port, with the
// test registry, a 100 ms heartbeat and a 1 s connection timeout.
taskqueue::QueueOptions ListeningOptions(int num_workers = 0);

// Polls `done` every 10 ms until it holds or `limit` passes; whether it
// held.
bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds limit = std::chrono::seconds(20));

// Nodes of `q` connected now.
int ConnectedNodes(taskqueue::TaskQueue& q);

using taskqueue_testing::Occurrences;

// A log file for node `name` under the test's temporary directory.
std::string NodeLog(const std::string& name);

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_REMOTE_FIXTURE_H_
