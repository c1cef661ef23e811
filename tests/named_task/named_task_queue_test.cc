// Named tasks on a local queue: they mix with closures, return results
// through futures, retry and fail like any other task.
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "taskqueue/encoded_result.h"
#include "taskqueue/errors.h"
#include "taskqueue/named_task.h"
#include "taskqueue/named_task_errors.h"
#include "taskqueue/task_registry.h"
#include "taskqueue/taskqueue.h"

namespace {

std::atomic<int64_t> total{0};
std::atomic<int> flaky_calls{0};

void AddToTotal(int64_t x) { total.fetch_add(x); }
std::string Greet(std::string name) { return "hello " + name; }
double Identity(double x) { return x; }
int32_t FailTwice() {
  if (flaky_calls.fetch_add(1) < 2) throw std::runtime_error("not yet");
  return 42;
}

constexpr taskqueue::NamedTask<&AddToTotal> kAddToTotal{"test.add"};
constexpr taskqueue::NamedTask<&Greet> kGreet{"test.greet"};
constexpr taskqueue::NamedTask<&Identity> kIdentity{"test.identity"};
constexpr taskqueue::NamedTask<&FailTwice> kFailTwice{"test.fail_twice"};

TEST(NamedTaskQueueTest, MixWithClosuresAndCountEveryTask) {
  total = 0;
  std::atomic<int64_t> closures{0};
  {
    taskqueue::TaskQueue q(3);
    for (int i = 1; i <= 1000; ++i) {
      q.add_task(kAddToTotal, i);  // int converts to int64_t.
      q.add_task([&closures, i] { closures.fetch_add(i); });
    }
    q.join();
    EXPECT_EQ(total.load(), 500500);
    EXPECT_EQ(closures.load(), 500500);
    EXPECT_EQ(q.stats().completed, 2000u);
  }
}

TEST(NamedTaskQueueTest, SubmitReturnsTheResult) {
  taskqueue::TaskQueue q(2);
  taskqueue::TaskFuture<std::string> greeting = q.submit(kGreet, "queue");
  EXPECT_EQ(greeting.get(), "hello queue");
  double nan = std::bit_cast<double>(uint64_t{0x7ff8000000000123});
  EXPECT_EQ(std::bit_cast<uint64_t>(q.submit(kIdentity, nan).get()),
            std::bit_cast<uint64_t>(nan));
}

TEST(NamedTaskQueueTest, OptionsApply) {
  flaky_calls = 0;
  taskqueue::TaskQueue q(1);
  taskqueue::TaskFuture<int32_t> f =
      q.submit({.name = "flaky",
                .max_attempts = 3,
                .backoff = {.initial_delay = std::chrono::milliseconds(1)}},
               kFailTwice);
  EXPECT_EQ(f.get(), 42);
  EXPECT_EQ(flaky_calls.load(), 3);

  flaky_calls = 0;
  taskqueue::TaskFuture<int32_t> g = q.submit(kFailTwice);
  EXPECT_THROW(g.get(), std::runtime_error);

  q.pause();
  taskqueue::TaskHandle handle = q.add_task({}, kAddToTotal, 1);
  EXPECT_EQ(handle.cancel(), taskqueue::CancelResult::kCancelled);
  EXPECT_EQ(handle.state(), taskqueue::TaskState::kCancelled);
  q.resume();
  q.join();
}

}  // namespace

// What a queue server does with its clients' tasks: name and encoded
// arguments in, encoded result out, retried like any task.
TEST(NamedTaskQueueTest, SubmitEncodedRunsByNameAndReturnsTheEncodedResult) {
  flaky_calls = 0;
  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  registry->Add(kGreet).Add(kFailTwice);
  taskqueue::TaskQueue q(2);
  std::vector<char> encoded =
      q.submit_encoded({}, registry, "test.greet",
                       taskqueue::internal::Encode(std::string("server")))
          .get();
  std::string greeting;
  taskqueue::internal::Decode(std::string_view(encoded.data(), encoded.size()),
                              greeting);
  EXPECT_EQ(greeting, "hello server");

  std::vector<char> retried =
      q.submit_encoded({.max_attempts = 3}, registry, "test.fail_twice", {})
          .get();
  int32_t answer = 0;
  taskqueue::internal::Decode(std::string_view(retried.data(), retried.size()),
                              answer);
  EXPECT_EQ(answer, 42);
  EXPECT_EQ(flaky_calls.load(), 3);

  EXPECT_THROW(q.submit_encoded({}, registry, "test.nope", {}),
               taskqueue::UnknownTaskError);
  // Bytes that are not a string fail the task where it runs.
  taskqueue::TaskFuture<std::vector<char>> garbage =
      q.submit_encoded({}, registry, "test.greet", {'\x01'});
  EXPECT_THROW(garbage.get(), taskqueue::WireFormatError);
  q.join();
  EXPECT_EQ(q.stats().failed, 1u);
}

// Records what add_encoded reports, and how often.
class RecordedResult : public taskqueue::EncodedResult {
 public:
  void started(int attempt, int worker) override {
    absl::MutexLock lock(&mu_);
    attempts_ += "start " + std::to_string(attempt) + ";";
  }
  void retrying(int attempt, std::exception_ptr error) override {
    absl::MutexLock lock(&mu_);
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      attempts_ += "retry " + std::to_string(attempt) + " " + e.what() + ";";
    }
  }
  void set_value(std::vector<char> result) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    value_ = std::move(result);
  }
  void set_exception(std::exception_ptr error) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    error_ = std::move(error);
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::vector<char> value() const {
    absl::MutexLock lock(&mu_);
    return value_;
  }
  std::exception_ptr error() const {
    absl::MutexLock lock(&mu_);
    return error_;
  }
  // What started and retrying heard, in order.
  std::string attempts() const {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  mutable absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<char> value_ ABSL_GUARDED_BY(mu_);
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);
  std::string attempts_ ABSL_GUARDED_BY(mu_);
};

TEST(NamedTaskQueueTest, AddEncodedReportsEachOutcomeOnce) {
  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  registry->Add(kGreet);
  taskqueue::TaskQueue q(1);
  auto done = std::make_shared<RecordedResult>();
  auto cancelled = std::make_shared<RecordedResult>();
  q.add_encoded({}, registry, "test.greet",
                taskqueue::internal::Encode(std::string("you")), done);
  taskqueue::TaskHandle waiting = q.add_encoded(
      {.run_after = std::chrono::hours(1)}, registry, "test.greet",
      taskqueue::internal::Encode(std::string("never")), cancelled);
  EXPECT_EQ(waiting.cancel(), taskqueue::CancelResult::kCancelled);
  q.join();

  EXPECT_EQ(done->calls(), 1);
  std::vector<char> bytes = done->value();
  std::string greeting;
  taskqueue::internal::Decode(std::string_view(bytes.data(), bytes.size()),
                              greeting);
  EXPECT_EQ(greeting, "hello you");
  EXPECT_EQ(cancelled->calls(), 1);
  EXPECT_THROW(std::rethrow_exception(cancelled->error()),
               taskqueue::TaskCancelledError);
  EXPECT_EQ(done->attempts(), "start 1;");
  EXPECT_EQ(cancelled->attempts(), "");
}

TEST(NamedTaskQueueTest, AddEncodedReportsEachAttempt) {
  flaky_calls = 0;
  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  registry->Add(kFailTwice);
  taskqueue::TaskQueue q(1);
  auto flaky = std::make_shared<RecordedResult>();
  taskqueue::TaskOptions options;
  options.max_attempts = 3;
  options.backoff.initial_delay = std::chrono::milliseconds(1);
  q.add_encoded(options, registry, "test.fail_twice",
                taskqueue::internal::Encode(), flaky);
  q.join();
  EXPECT_EQ(flaky->attempts(),
            "start 1;retry 1 not yet;start 2;retry 2 not yet;start 3;");
  EXPECT_EQ(flaky->calls(), 1);
  EXPECT_EQ(flaky->error(), nullptr);
}
