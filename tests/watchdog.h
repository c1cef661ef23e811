// Watchdog: turns a hang into a failure with a message.
//
// A queue that hangs cannot be unwound: its destructor would wait for the hung
// call too. So a Watchdog that is not destroyed within its limit prints what
// hung to stderr and aborts the test binary, which fails the test with that
// message instead of hanging the run until Bazel's timeout.
//
//   {
//     test_support::Watchdog watchdog("shutdown() after pause()");
//     q.shutdown();
//   }  // Disarmed here.
//
// The limit only bounds a hang; no test relies on it for what it asserts.
#ifndef TASKQUEUE_TESTS_WATCHDOG_H_
#define TASKQUEUE_TESTS_WATCHDOG_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace taskqueue::test_support {

// Far longer than anything a watched step needs, even under TSan.
inline constexpr absl::Duration kWatchdogLimit = absl::Seconds(30);

class Watchdog {
 public:
  explicit Watchdog(std::string what, absl::Duration limit = kWatchdogLimit)
      : thread_([this, what = std::move(what), limit] {
          if (disarmed_.WaitForNotificationWithTimeout(limit)) return;
          std::fprintf(stderr,
                       "\nWATCHDOG: %s did not finish within %s: it hangs. "
                       "Aborting the test binary.\n",
                       what.c_str(), absl::FormatDuration(limit).c_str());
          std::fflush(stderr);
          std::abort();
        }) {}
  ~Watchdog() {
    disarmed_.Notify();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  absl::Notification disarmed_;
  std::thread thread_;
};

}  // namespace taskqueue::test_support

#endif  // TASKQUEUE_TESTS_WATCHDOG_H_
