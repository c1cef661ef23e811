// A program whose in-process TaskQueue serves its dashboard, for the
// browser test: writes the dashboard's port to the file named by argv[1],
// then keeps two workers busy with tasks of 20 to 200 ms (one in ten throws)
// for argv[2] seconds, and exits.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "taskqueue/taskqueue.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: in_process_queue PORT_FILE SECONDS\n");
    return 2;
  }
  taskqueue::TaskQueue q(
      {.num_workers = 2,
       .on_error = [](const taskqueue::TaskFailure&) {},
       .dashboard = taskqueue::DashboardOptions{.token = "test-token"}});
  const std::string port_file = argv[1];
  std::ofstream(port_file + ".partial") << q.dashboard_port() << "\n";
  std::filesystem::rename(port_file + ".partial", port_file);
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::seconds(std::atoi(argv[2]));
  for (int i = 0; std::chrono::steady_clock::now() < end; ++i) {
    q.add_task([i] {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(20 + (i * 37) % 180));
      if (i % 10 == 9) throw std::runtime_error("one in ten fails");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  }
  q.join();
  return 0;
}
