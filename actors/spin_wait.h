// SpinUntil: polls a condition for a short, bounded time before the caller
// blocks.
//
// Blocking on a futex and being woken costs each side a system call and the
// woken thread a trip through the kernel's scheduler: on a small machine,
// tens of microseconds. When the condition usually comes true sooner (a join
// right after adding a no-op task), polling first is cheaper. The bound keeps
// an idle queue at no CPU: nobody polls for longer than `until`.
//
//   bool done = SpinUntil([&] { return ready.load(); },
//                         Clock::now() + kSpinFor);
//   if (!done) BlockUntilReady();
//
// Thread-safe if `done` is. Returns whether `done()` returned true.
#ifndef TASKQUEUE_ACTORS_SPIN_WAIT_H_
#define TASKQUEUE_ACTORS_SPIN_WAIT_H_

#include <chrono>

namespace taskqueue::internal {

// Tells the CPU this is a spin loop: lets the sibling hyperthread run and
// saves the pipeline flush on exit.
inline void SpinPause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

template <class Done>
bool SpinUntil(Done done, std::chrono::steady_clock::time_point until) {
  // Reading the clock costs about as much as a few dozen pauses.
  constexpr int kPollsPerClockRead = 32;
  for (;;) {
    for (int i = 0; i < kPollsPerClockRead; ++i) {
      if (done()) return true;
      SpinPause();
    }
    if (std::chrono::steady_clock::now() >= until) return done();
  }
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SPIN_WAIT_H_
