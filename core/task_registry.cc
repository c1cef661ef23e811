#include "taskqueue/task_registry.h"

#include <stdexcept>
#include <utility>

#include "absl/strings/ascii.h"

namespace taskqueue {
namespace {

// Names travel in messages and log lines and are typed on command lines:
// nothing that needs quoting.
bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("._-:/").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

void TaskRegistry::Insert(std::string_view name, const std::string& types,
                          Runner run) {
  if (!IsValidName(name)) {
    throw std::invalid_argument("taskqueue: invalid task name \"" +
                                std::string(name) +
                                "\" (1-200 letters, digits and ._-:/)");
  }
  auto [it, inserted] =
      tasks_.try_emplace(std::string(name), Entry{types, std::move(run)});
  if (!inserted) {
    std::string n(name);
    throw std::invalid_argument("taskqueue: two tasks are named \"" + n +
                                "\": " + n + it->second.types + " and " + n +
                                types);
  }
}

bool TaskRegistry::Contains(std::string_view name) const {
  return tasks_.find(name) != tasks_.end();
}

std::optional<TaskRegistry::Known> TaskRegistry::Find(
    std::string_view name) const {
  auto it = tasks_.find(name);
  if (it == tasks_.end()) return std::nullopt;
  return Known{.name = it->first, .types = &it->second.types};
}

std::vector<char> TaskRegistry::Run(std::string_view name,
                                    std::string_view arguments) const {
  auto it = tasks_.find(name);
  if (it == tasks_.end()) throw UnknownTaskError(name);
  return it->second.run(arguments);
}

TaskRegistry::Signatures TaskRegistry::signatures() const {
  Signatures signatures;
  for (const auto& [name, entry] : tasks_)
    signatures.emplace(name, entry.types);
  return signatures;
}

std::vector<std::string> TaskRegistry::Mismatches(const Signatures& ours,
                                                  const Signatures& theirs) {
  std::vector<std::string> mismatches;
  for (const auto& [name, types] : ours) {
    auto it = theirs.find(name);
    if (it == theirs.end() || it->second == types) continue;
    mismatches.push_back("task \"" + name + "\" is " + name + types +
                         " here but " + name + it->second + " there");
  }
  return mismatches;
}

std::vector<std::string> TaskRegistry::Missing(const Signatures& ours,
                                               const Signatures& theirs) {
  std::vector<std::string> missing;
  for (const auto& [name, types] : ours) {
    if (theirs.count(name) > 0) continue;
    missing.push_back("task \"" + name + "\" (" + name + types +
                      ") is here but not there");
  }
  return missing;
}

}  // namespace taskqueue
