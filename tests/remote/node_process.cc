#include "tests/remote/node_process.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace taskqueue_test {
namespace {

taskqueue_tools::ChildOptions NodeCommand(
    const std::string& binary, uint16_t port, int slots,
    const std::string& name, const std::string& log_path,
    const std::map<std::string, std::string>& env, const std::string& flags) {
  taskqueue_tools::ChildOptions options{
      .argv = {binary, "--connect=127.0.0.1:" + std::to_string(port),
               "--slots=" + std::to_string(slots), "--name=" + name},
      .stderr_path = log_path,
      .env = env,
  };
  std::istringstream extra(flags);
  for (std::string flag; extra >> flag;) options.argv.push_back(flag);
  return options;
}

}  // namespace

NodeProcess::NodeProcess(const std::string& binary, uint16_t port, int slots,
                         const std::string& name, const std::string& log_path,
                         const std::map<std::string, std::string>& env,
                         const std::string& flags)
    : log_path_(log_path),
      process_(NodeCommand(binary, port, slots, name, log_path, env, flags)) {}

std::string NodeProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace taskqueue_test
