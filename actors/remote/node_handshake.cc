#include "actors/remote/node_handshake.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iterator>

#include "taskqueue/task_registry.h"

namespace taskqueue::internal {
namespace {

bool PrintableName(const std::string& name) {
  return !name.empty() && name.size() <= 200 &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

void Append(std::vector<std::string>& to, std::vector<std::string> lines) {
  std::move(lines.begin(), lines.end(), std::back_inserter(to));
}

}  // namespace

std::vector<std::string> QueueRefusals(const NodeHello& hello,
                                       const SignatureMap& queue_tasks) {
  std::vector<std::string> why;
  if (hello.version != kNodeProtocolVersion) {
    why.push_back("the node speaks protocol version " +
                  std::to_string(hello.version) + ", this queue version " +
                  std::to_string(kNodeProtocolVersion));
    return why;  // The rest may mean something else in another version.
  }
  if (hello.slots < 1 || hello.slots > kMaxNodeSlots) {
    why.push_back("a node offers 1 to " + std::to_string(kMaxNodeSlots) +
                  " slots, this one " + std::to_string(hello.slots));
  }
  if (!PrintableName(hello.name)) {
    why.push_back(
        "a node's name is 1 to 200 printable ASCII characters without "
        "spaces");
  }
  Append(why, TaskRegistry::Mismatches(queue_tasks, hello.tasks));
  Append(why, TaskRegistry::Missing(queue_tasks, hello.tasks));
  return why;
}

std::vector<std::string> NodeRefusals(const SignatureMap& node_tasks,
                                      const SignatureMap& queue_tasks) {
  std::vector<std::string> why =
      TaskRegistry::Mismatches(node_tasks, queue_tasks);
  // Lines from the node's point of view: "there" is the queue.
  for (const auto& [name, types] : queue_tasks) {
    if (node_tasks.count(name) == 0) {
      why.push_back("task \"" + name + "\" (" + name + types +
                    ") is there but not here");
    }
  }
  return why;
}

void ReportRefusal(const RefusalHook& hook, const std::string& node,
                   const std::string& why) {
  // The name came off the network: shown, not trusted.
  std::string shown = node.substr(0, 200);
  for (char& c : shown) {
    if (c < ' ' || c >= 0x7f) c = '?';
  }
  if (hook) {
    // A hook that throws must not take the gateway (and every later node's
    // admission) down with it.
    try {
      hook(shown, why);
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "taskqueue: ListenOptions::on_refused threw: %s\n",
                   e.what());
    } catch (...) {
      std::fprintf(stderr, "taskqueue: ListenOptions::on_refused threw\n");
    }
  }
  std::fprintf(stderr, "taskqueue: refused worker node \"%s\": %s\n",
               shown.c_str(), why.c_str());
}

}  // namespace taskqueue::internal
