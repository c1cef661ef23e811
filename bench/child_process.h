// ChildProcess: this benchmark binary run again (/proc/self/exe) as the
// other end of a network benchmark (a worker node, a raw CAF echo server),
// so both ends are the same build. The child dies with the parent
// (PR_SET_PDEATHSIG) and is killed and reaped by the destructor: no
// benchmark leaves one running.
#ifndef TASKQUEUE_BENCH_CHILD_PROCESS_H_
#define TASKQUEUE_BENCH_CHILD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace taskqueue_bench {

class ChildProcess {
 public:
  // Starts this binary with `args`; throws std::runtime_error if it cannot.
  explicit ChildProcess(const std::vector<std::string>& args);
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The first line the child writes to stdout (blocks until it does; ""
  // if it exits first).
  std::string ReadLine();
  // CPU time (user + system) the child has used so far, in seconds.
  double CpuSeconds() const;

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
};

}  // namespace taskqueue_bench

#endif  // TASKQUEUE_BENCH_CHILD_PROCESS_H_
