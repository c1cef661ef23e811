#include "bench/run_self.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace taskqueue_bench {

bool RunSelf(const std::vector<std::string>& args, std::string* output) {
  output->clear();
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    *output = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);

  std::string self = "/proc/self/exe";
  std::vector<char*> argv;
  argv.push_back(self.data());
  std::vector<std::string> owned(args);
  for (auto& arg : owned) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid;
  int spawned =
      posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    *output = std::string("posix_spawn: ") + std::strerror(spawned);
    return false;
  }
  char buffer[4096];
  for (;;) {
    ssize_t n = read(pipe_fds[0], buffer, sizeof(buffer));
    if (n > 0) {
      output->append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace taskqueue_bench
