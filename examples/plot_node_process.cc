#include "examples/plot_node_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gradient_descent {
namespace {

constexpr absl::Duration kPoll = absl::Milliseconds(10);

}  // namespace

absl::StatusOr<std::unique_ptr<PlotNodeProcess>> PlotNodeProcess::Start(
    const std::string& binary, uint16_t port, int slots) {
  // Checked here, where the error can be returned: after fork, the child
  // could only exit with 127.
  if (access(binary.c_str(), X_OK) != 0) {
    return absl::NotFoundError(
        absl::StrCat("--spawn_plot_node=", binary,
                     " is not an executable file (build it: bazel build "
                     "//examples:plot_node)"));
  }
  std::vector<std::string> args = {binary,
                                   absl::StrCat("--connect=127.0.0.1:", port),
                                   absl::StrCat("--slots=", slots)};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    return absl::ErrnoToStatus(errno, "cannot start the plot node: fork");
  }
  if (pid == 0) {
    // SIGTERM, not SIGKILL: a node that outlives us drains and exits.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    // The parent may have died before prctl took effect.
    if (getppid() != parent) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return std::unique_ptr<PlotNodeProcess>(new PlotNodeProcess(pid));
}

PlotNodeProcess::PlotNodeProcess(pid_t pid) : pid_(pid) {}

PlotNodeProcess::~PlotNodeProcess() { Stop().IgnoreError(); }

bool PlotNodeProcess::Reap(absl::Duration timeout) {
  if (exit_status_ || exit_signal_) return true;
  absl::Time give_up = absl::Now() + timeout;
  for (;;) {
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      if (WIFEXITED(status)) {
        exit_status_ = WEXITSTATUS(status);
      } else {
        exit_signal_ = WTERMSIG(status);
      }
      return true;
    }
    // ECHILD cannot happen to a child we have not reaped; treat it as gone
    // rather than loop.
    if (done < 0 && errno != EINTR) {
      exit_signal_ = 0;
      return true;
    }
    if (absl::Now() >= give_up) return false;
    absl::SleepFor(kPoll);
  }
}

absl::Status PlotNodeProcess::CheckRunning() {
  if (!Reap(absl::ZeroDuration())) return absl::OkStatus();
  if (exit_status_) {
    return absl::AbortedError(
        absl::StrCat("the plot node process exited with status ", *exit_status_,
                     *exit_status_ == 127 ? " (it could not be started)" : ""));
  }
  return absl::AbortedError(absl::StrCat(
      "the plot node process was killed by signal ", exit_signal_.value_or(0)));
}

absl::Status PlotNodeProcess::Stop(absl::Duration grace) {
  if (stopped_) return *stopped_;
  bool exited_by_itself = Reap(absl::ZeroDuration());
  if (!exited_by_itself) {
    kill(pid_, SIGTERM);
    if (!Reap(grace)) {
      kill(pid_, SIGKILL);
      // SIGKILL cannot be ignored: this wait ends.
      Reap(absl::InfiniteDuration());
      stopped_ = absl::DeadlineExceededError(absl::StrCat(
          "the plot node did not stop within ", absl::FormatDuration(grace),
          " of SIGTERM and was killed"));
      return *stopped_;
    }
  }
  if (exit_status_ == 0) {
    stopped_ = absl::OkStatus();
  } else {
    stopped_ = CheckRunning();
  }
  return *stopped_;
}

}  // namespace gradient_descent
