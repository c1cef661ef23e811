// ThreadSanitizer annotations for Debian's Abseil synchronization primitives.
//
// Debian's libabsl_synchronization.so is not built with -fsanitize=thread, so
// TSan cannot see absl::Mutex, absl::CondVar, absl::Notification,
// absl::BlockingCounter or absl::Barrier synchronize anything: data guarded by
// an absl::Mutex shows up as a data race. Linked into a -fsanitize=thread
// binary (the select() on @abseil-cpp//absl/synchronization does that), this
// file defines those classes' out-of-line member functions in the binary,
// which takes precedence over the shared library's definitions (ELF symbol
// interposition, also for the library's own calls between them). Each
// definition calls the library's function (found with dlsym(RTLD_NEXT, ...))
// and tells TSan the happens-before edge it creates: __tsan_release before
// giving something up (unlock, notify, ...), __tsan_acquire after taking it.
//
// absl::Condition predicates run inside the library with the mutex held, in
// the waiting thread or in the thread that unlocks; each Condition is wrapped
// so that its evaluation acquires and releases the mutex for TSan too. This
// file itself is compiled without -fsanitize=thread (BUILD): the library hands
// the wrappers between threads in ways TSan cannot see.
// Notification::HasBeenNotified() is inline; Notify() releases the flag it
// reads. Lock-order (deadlock) checking does not see these mutexes.

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

static_assert(ABSL_OPTION_USE_INLINE_NAMESPACE == 1,
              "the mangled names below assume Abseil's inline namespace");

namespace {

#define TQ_STRINGIFY_INNER(x) #x
#define TQ_STRINGIFY(x) TQ_STRINGIFY_INNER(x)

// The shared library's definition of a function, by its mangled name with '@'
// standing for Abseil's inline namespace (e.g. "lts_20220623", Debian's
// "debian3"). Aborts if the library does not have it.
template <typename Fn>
Fn Real(const char* mangled) {
  const std::string ns = TQ_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  std::string name;
  for (const char* p = mangled; *p != '\0'; ++p) {
    if (*p == '@') {
      name += std::to_string(ns.size()) + ns;
    } else {
      name += *p;
    }
  }
  void* symbol = dlsym(RTLD_NEXT, name.c_str());
  if (symbol == nullptr) {
    std::fprintf(stderr, "absl_tsan_annotations: %s not found: %s\n",
                 name.c_str(), dlerror());
    std::abort();
  }
  return reinterpret_cast<Fn>(symbol);
}

// Notification's members, to find the flag HasBeenNotified() reads.
struct NotificationLayout {
  absl::Mutex mutex;
  std::atomic<bool> notified_yet;
};
static_assert(sizeof(NotificationLayout) == sizeof(absl::Notification),
              "absl::Notification's layout changed");

// A Condition that evaluates `cond` as TSan's view of holding `mu`. It may be
// evaluated in another thread: that thread first acquires what the waiting
// thread did before it started to wait (such as constructing `cond`).
class AnnotatedCondition {
 public:
  AnnotatedCondition(const absl::Condition& cond, absl::Mutex* mu)
      : cond_(&cond), mu_(mu) {
    __tsan_release(this);
  }

  absl::Condition condition() { return absl::Condition(&Eval, this); }

 private:
  static bool Eval(AnnotatedCondition* self) {
    __tsan_acquire(self);
    __tsan_acquire(self->mu_);
    const bool result = self->cond_->Eval();
    __tsan_release(self->mu_);
    return result;
  }

  const absl::Condition* cond_;
  absl::Mutex* mu_;
};

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

// -- Mutex -------------------------------------------------------------------

void Mutex::Lock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN4absl@5Mutex4LockEv");
  real(this);
  __tsan_acquire(this);
}

void Mutex::ReaderLock() {
  static const auto real =
      Real<void (*)(Mutex*)>("_ZN4absl@5Mutex10ReaderLockEv");
  real(this);
  __tsan_acquire(this);
}

bool Mutex::TryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN4absl@5Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static const auto real =
      Real<bool (*)(Mutex*)>("_ZN4absl@5Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::Unlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN4absl@5Mutex6UnlockEv");
  __tsan_release(this);
  real(this);
}

void Mutex::ReaderUnlock() {
  static const auto real =
      Real<void (*)(Mutex*)>("_ZN4absl@5Mutex12ReaderUnlockEv");
  __tsan_release(this);
  real(this);
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real = Real<void (*)(Mutex*, const Condition&)>(
      "_ZN4absl@5Mutex8LockWhenERKNS0_9ConditionE");
  AnnotatedCondition annotated(cond, this);
  real(this, annotated.condition());
  __tsan_acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real = Real<void (*)(Mutex*, const Condition&)>(
      "_ZN4absl@5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  AnnotatedCondition annotated(cond, this);
  real(this, annotated.condition());
  __tsan_acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN4absl@5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AnnotatedCondition annotated(cond, this);
  const bool result = real(this, annotated.condition(), timeout);
  __tsan_acquire(this);  // Holds the lock either way.
  return result;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN4absl@5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_"
      "8DurationE");
  AnnotatedCondition annotated(cond, this);
  const bool result = real(this, annotated.condition(), timeout);
  __tsan_acquire(this);
  return result;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN4absl@5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  AnnotatedCondition annotated(cond, this);
  const bool result = real(this, annotated.condition(), deadline);
  __tsan_acquire(this);
  return result;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN4absl@5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_"
      "4TimeE");
  AnnotatedCondition annotated(cond, this);
  const bool result = real(this, annotated.condition(), deadline);
  __tsan_acquire(this);
  return result;
}

// Await releases the mutex while it waits and holds it again when it returns.
void Mutex::Await(const Condition& cond) {
  static const auto real = Real<void (*)(Mutex*, const Condition&)>(
      "_ZN4absl@5Mutex5AwaitERKNS0_9ConditionE");
  __tsan_release(this);
  AnnotatedCondition annotated(cond, this);
  real(this, annotated.condition());
  __tsan_acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Duration)>(
      "_ZN4absl@5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  __tsan_release(this);
  AnnotatedCondition annotated(cond, this);
  const bool result = real(this, annotated.condition(), timeout);
  __tsan_acquire(this);
  return result;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, Time)>(
      "_ZN4absl@5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  __tsan_release(this);
  AnnotatedCondition annotated(cond, this);
  const bool result = real(this, annotated.condition(), deadline);
  __tsan_acquire(this);
  return result;
}

// -- CondVar: waiting releases the mutex and takes it again
// --------------------

void CondVar::Wait(Mutex* mu) {
  static const auto real =
      Real<void (*)(CondVar*, Mutex*)>("_ZN4absl@7CondVar4WaitEPNS0_5MutexE");
  __tsan_release(mu);
  real(this, mu);
  __tsan_acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Duration)>(
      "_ZN4absl@7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  __tsan_release(mu);
  const bool result = real(this, mu, timeout);
  __tsan_acquire(mu);
  return result;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Time)>(
      "_ZN4absl@7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  __tsan_release(mu);
  const bool result = real(this, mu, deadline);
  __tsan_acquire(mu);
  return result;
}

// -- Notification
// --------------------------------------------------------------

void Notification::Notify() {
  static const auto real =
      Real<void (*)(Notification*)>("_ZN4absl@12Notification6NotifyEv");
  __tsan_release(this);
  // The inline HasBeenNotified() acquire-loads this flag; TSan pairs that
  // load with a release on the same address.
  __tsan_release(reinterpret_cast<char*>(this) +
                 offsetof(NotificationLayout, notified_yet));
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real = Real<void (*)(const Notification*)>(
      "_ZNK4absl@12Notification19WaitForNotificationEv");
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static const auto real = Real<bool (*)(const Notification*, Duration)>(
      "_ZNK4absl@12Notification30WaitForNotificationWithTimeoutENS0_"
      "8DurationE");
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static const auto real = Real<bool (*)(const Notification*, Time)>(
      "_ZNK4absl@12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

// -- BlockingCounter and Barrier
// -------------------------------------------------

bool BlockingCounter::DecrementCount() {
  static const auto real = Real<bool (*)(BlockingCounter*)>(
      "_ZN4absl@15BlockingCounter14DecrementCountEv");
  __tsan_release(this);
  return real(this);
}

void BlockingCounter::Wait() {
  static const auto real =
      Real<void (*)(BlockingCounter*)>("_ZN4absl@15BlockingCounter4WaitEv");
  real(this);
  __tsan_acquire(this);
}

bool Barrier::Block() {
  static const auto real =
      Real<bool (*)(Barrier*)>("_ZN4absl@7Barrier5BlockEv");
  __tsan_release(this);
  const bool result = real(this);
  __tsan_acquire(this);
  return result;
}

ABSL_NAMESPACE_END
}  // namespace absl
