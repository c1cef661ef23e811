// TaskRegistry: the named tasks (named_task.h) a program can run by name,
// as a worker node does with the tasks it is sent.
//
// Build it in code that the queue's program and its worker nodes both link,
// so that both know the same tasks:
//
//   taskqueue::TaskRegistry TrainingTasks() {
//     taskqueue::TaskRegistry registry;
//     registry.Add(kLoss).Add(kWritePlot);
//     return registry;
//   }
//
// When a node connects, the two sides compare registries: a task both know
// under different types (Mismatches), or a task of the queue's that the node
// lacks (Missing), refuses the node. A node may know more tasks.
//
// Thread-safety: Add is not thread-safe; everything else is const and may
// be called from any thread once the registry is built.
#ifndef TASKQUEUE_CORE_TASK_REGISTRY_H_
#define TASKQUEUE_CORE_TASK_REGISTRY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "taskqueue/named_task.h"

namespace taskqueue {

class TaskRegistry {
 public:
  // Task name -> the types of its signature, "(i32,f64)->string". A plain
  // string map: CAF sends it as it is when a node connects.
  using Signatures = std::map<std::string, std::string>;

  // Registers `task`. Throws std::invalid_argument when another task has
  // that name, or the name is empty or has characters other than letters,
  // digits and "._-:/".
  template <auto Fn>
  TaskRegistry& Add(const NamedTask<Fn>& task) {
    Insert(task.name(), NamedTask<Fn>::types(),
           [task](std::string_view arguments) {
             return task.RunEncoded(arguments);
           });
    return *this;
  }

  bool Contains(std::string_view name) const;

  // Task `name` as registered: its name and its signature's types, both
  // valid as long as the registry is; nullopt when there is no such task.
  struct Known {
    std::string_view name;
    const std::string* types = nullptr;
  };
  std::optional<Known> Find(std::string_view name) const;

  // Runs task `name` on encoded arguments and returns its encoded result.
  // Throws UnknownTaskError, WireFormatError when the arguments do not
  // decode as the task's, and whatever the task throws.
  std::vector<char> Run(std::string_view name,
                        std::string_view arguments) const;

  Signatures signatures() const;

  // For each task that both `ours` and `theirs` know with different types,
  // one line naming the task and both signatures. Empty when they agree.
  static std::vector<std::string> Mismatches(const Signatures& ours,
                                             const Signatures& theirs);
  // For each task of `ours` that `theirs` lacks, one line naming it.
  static std::vector<std::string> Missing(const Signatures& ours,
                                          const Signatures& theirs);

 private:
  using Runner = absl::AnyInvocable<std::vector<char>(std::string_view) const>;
  struct Entry {
    std::string types;
    Runner run;
  };

  void Insert(std::string_view name, const std::string& types, Runner run);

  std::map<std::string, Entry, std::less<>> tasks_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_TASK_REGISTRY_H_
