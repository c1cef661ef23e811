// SIGTERM and SIGINT, the signals that ask taskqueue's binaries to stop, as
// a set to sigwait() for on one thread.
//
//   sigset_t stop = BlockStopSignals();  // first, before any thread starts
//   ... start the server ...
//   int signal = 0;
//   sigwait(&stop, &signal);             // then stop it cleanly
#ifndef TASKQUEUE_TOOLS_STOP_SIGNALS_STOP_SIGNALS_H_
#define TASKQUEUE_TOOLS_STOP_SIGNALS_STOP_SIGNALS_H_

#include <pthread.h>
#include <signal.h>

namespace taskqueue_tools {

// Blocks the stop signals on the calling thread and returns their set.
// Called before any thread starts, every thread inherits the mask, so the
// signals reach only the thread that waits for them, never one of CAF's or
// a task's.
inline sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace taskqueue_tools

#endif  // TASKQUEUE_TOOLS_STOP_SIGNALS_STOP_SIGNALS_H_
