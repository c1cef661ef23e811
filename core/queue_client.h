// QueueClient: a producer's connection to a queue server in another process
// (tools/queue_server). Tasks it adds are named tasks (named_task.h) that
// the server's registry knows; each is durable in the server's journal
// before add_task returns, so the program may exit at once: the server runs
// the task, also after a crash and restart of its own, and keeps the result
// until it is read or compacted. Any client can wait for any task by id.
//
//   taskqueue::QueueClient client({.port = 7070});
//   uint64_t id = client.add_task(kWritePlot, x, y);  // durable now
//   std::future<double> loss = client.submit(kLoss, weights);
//   std::vector<uint64_t> ids = client.add_batch(batch);  // many at once
//   ...
//   client.join();                              // this client's tasks
//   double loss = client.result(kLoss, other_id);  // anyone's, by id
//
// Contract. Thread-safe: any thread may call any method at once. Every call
// blocks for a round trip to the server; wait, result and join block until
// the tasks end. Errors: the constructor throws std::invalid_argument for
// options that are unsafe or inconsistent (plain TCP off loopback, TLS files
// that do not load, a heartbeat not below the timeout), and
// ServerUnavailableError when the server cannot be reached or speaks
// another protocol version (the message says which); calls throw
// ServerUnavailableError when the connection is lost or a request times out
// (ClientOptions::timeout; not for waits, which have none), and
// ServerRefusedError for what the server refused (an unknown task name, an
// idempotency key reused for another task, a full disk): the task was not
// added. result() throws the task's error as RemoteTaskError (type and
// message), TaskNotRunError subclasses for tasks that ended unrun,
// WireFormatError when the result does not decode as the task's type.
//
// Adding again after a lost connection may add a task twice, unless it
// carries an idempotency key (ClientTaskOptions): then the server returns
// the first one's id.
#ifndef TASKQUEUE_CORE_QUEUE_CLIENT_H_
#define TASKQUEUE_CORE_QUEUE_CLIENT_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "taskqueue/join_result.h"
#include "taskqueue/named_task.h"
#include "taskqueue/task_state.h"
#include "taskqueue/tls_options.h"

namespace taskqueue {

struct ClientOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7070;
  // Mutual TLS with the server (tls_options.h). Unset: plain TCP, which
  // only a loopback host allows unless allow_insecure_remote.
  std::optional<TlsOptions> tls;
  bool allow_insecure_remote = false;
  // How long a request (but a wait for a task) may take.
  std::chrono::milliseconds timeout{10000};
  // CAF's heartbeat, and the silence after which the server counts as
  // lost (a connect that gets no answer, say a plain client at a TLS
  // server, ends then too); as the server's FrontOptions, which drops a
  // client as silent. heartbeat_interval < connection_timeout; both > 0.
  std::chrono::milliseconds heartbeat_interval{250};
  std::chrono::milliseconds connection_timeout{3000};
};

// What one added task asks of the server.
struct ClientTaskOptions {
  // A batch label, to find the task by (taskqueue_ctl list --label).
  std::string label;
  // Non-empty: adding again with the same key (and the same task) returns
  // the first task's id instead of adding another.
  std::string idempotency_key;
  int priority = 0;
  // Runs before it is dead-lettered (kFailed, retryable with
  // taskqueue_ctl retry). >= 1.
  int max_attempts = 1;
};

// A task as it ended on the server.
struct TaskOutcome {
  uint64_t id = 0;
  TaskState state = TaskState::kCompleted;
  int attempts = 0;
  std::vector<char> result;  // Encoded (WireWriter); kCompleted only.
  std::string error_type;    // kFailed: the last attempt's error.
  std::string error_message;
};

// One attempt of a task, as the server's journal recorded it. Times are
// milliseconds since the Unix epoch; 0: not yet.
struct AttemptInfo {
  int number = 0;
  std::string worker;  // "local/2", "node/<name>" (TaskQueue::worker_name).
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  // "completed", "failed", "lost" (the server stopped or died while it
  // ran), or empty while it runs.
  std::string outcome;
  std::string error_type;
  std::string error_message;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, AttemptInfo& x) {
  return f(caf::meta::type_name("AttemptInfo"), x.number, x.worker,
           x.started_ms, x.ended_ms, x.outcome, x.error_type, x.error_message);
}

// A task as the server's journal holds it (taskqueue_ctl show).
struct TaskInfo {
  uint64_t id = 0;
  std::string name;
  TaskState state = TaskState::kQueued;
  std::string label;
  std::string idempotency_key;
  int priority = 0;
  int attempts = 0;
  // Attempts allowed before it is dead-lettered (grows with each retry).
  int attempt_budget = 0;
  int64_t accepted_ms = 0;
  int64_t ended_ms = 0;
  std::vector<char> arguments;  // Encoded (WireWriter).
  std::vector<char> result;     // Encoded; kCompleted only.
  std::string error_type;       // kFailed: the last attempt's error.
  std::string error_message;
  std::vector<AttemptInfo> history;  // From show() only.
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, TaskInfo& x) {
  return f(caf::meta::type_name("TaskInfo"), x.id, x.name, x.state, x.label,
           x.idempotency_key, x.priority, x.attempts, x.attempt_budget,
           x.accepted_ms, x.ended_ms, x.arguments, x.result, x.error_type,
           x.error_message, x.history);
}

// A worker node of the server's queue.
struct NodeInfo {
  std::string name;
  int slots = 0;
  bool connected = false;
  uint64_t started = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, NodeInfo& x) {
  return f(caf::meta::type_name("NodeInfo"), x.name, x.slots, x.connected,
           x.started, x.completed, x.failed);
}

// The server as a whole (taskqueue_ctl status).
struct ServerStatus {
  // Tasks in the journal, indexed by TaskState.
  std::vector<int64_t> tasks_by_state;
  int workers = 0;
  bool paused = false;
  // Since the server started: attempts completed and how long it has run,
  // their ratio its average throughput.
  uint64_t completed = 0;
  int64_t uptime_ms = 0;
  std::vector<NodeInfo> nodes;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ServerStatus& x) {
  return f(caf::meta::type_name("ServerStatus"), x.tasks_by_state, x.workers,
           x.paused, x.completed, x.uptime_ms, x.nodes);
}

// Which tasks list() returns: those with an id above `after_id`, in id
// order, at most `limit`; only in `state` and with `label` when set.
struct TaskFilter {
  std::optional<TaskState> state;
  std::optional<std::string> label;
  uint64_t after_id = 0;
  int limit = 100;
};

class ServerUnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class ServerRefusedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// add_batch's refusal of some of a batch's tasks: the others are durable
// (and joined by join()). ids()[i] is task i's id, 0 where it was refused;
// refusals()[i] why, empty where it was added. what() counts the refused
// and names the first reason.
class BatchRefusedError : public ServerRefusedError {
 public:
  BatchRefusedError(const std::string& what, std::vector<uint64_t> ids,
                    std::vector<std::string> refusals)
      : ServerRefusedError(what),
        ids_(std::move(ids)),
        refusals_(std::move(refusals)) {}
  const std::vector<uint64_t>& ids() const { return ids_; }
  const std::vector<std::string>& refusals() const { return refusals_; }

 private:
  std::vector<uint64_t> ids_;
  std::vector<std::string> refusals_;
};

// Tasks to add at once (QueueClient::add_batch): a plain list, encoded as
// it is filled; not thread-safe.
//
//   taskqueue::TaskBatch batch;
//   for (int step = 0; step < 1000; ++step) batch.add(kWritePlot, x[step]);
//   std::vector<uint64_t> ids = client.add_batch(batch);  // all durable
class TaskBatch {
 public:
  template <auto Fn, class... Args>
  TaskBatch& add(const NamedTask<Fn>& task, Args&&... args) {
    return add(ClientTaskOptions(), task, std::forward<Args>(args)...);
  }
  template <auto Fn, class... Args>
  TaskBatch& add(const ClientTaskOptions& options, const NamedTask<Fn>& task,
                 Args&&... args) {
    return add_encoded(options, task.name(),
                       internal::EncodeArguments(internal::ConvertArguments<Fn>(
                           std::forward<Args>(args)...)));
  }
  TaskBatch& add_encoded(const ClientTaskOptions& options,
                         std::string_view name, std::vector<char> arguments) {
    tasks_.push_back(Task{options, std::string(name),
                          std::string(arguments.begin(), arguments.end())});
    return *this;
  }

  size_t size() const { return tasks_.size(); }
  bool empty() const { return tasks_.empty(); }
  void clear() { tasks_.clear(); }

 private:
  friend class QueueClient;
  struct Task {
    ClientTaskOptions options;
    std::string name;
    std::string arguments;
  };
  std::vector<Task> tasks_;
};

class QueueClient {
 public:
  explicit QueueClient(ClientOptions options = {});
  ~QueueClient();

  QueueClient(const QueueClient&) = delete;
  QueueClient& operator=(const QueueClient&) = delete;

  // Adds task(args...): its id, once it is durable.
  template <auto Fn, class... Args>
  uint64_t add_task(const NamedTask<Fn>& task, Args&&... args) {
    return add_task(ClientTaskOptions(), task, std::forward<Args>(args)...);
  }
  template <auto Fn, class... Args>
  uint64_t add_task(const ClientTaskOptions& options, const NamedTask<Fn>& task,
                    Args&&... args) {
    return add_encoded(options, task.name(),
                       internal::EncodeArguments(internal::ConvertArguments<Fn>(
                           std::forward<Args>(args)...)));
  }
  // Adds task(args...) as add_task does (durable on return; the same
  // errors) and returns its result to come. The future is deferred: get()
  // and wait() block on the calling thread as result() does (the value, or
  // the task's error thrown), and wait_for() says future_status::deferred,
  // since the server is asked only then (it keeps the result until asked,
  // see retention). No thread waits meanwhile. Call get() while the client
  // lives.
  template <auto Fn, class... Args>
  std::future<typename NamedTask<Fn>::Result> submit(const NamedTask<Fn>& task,
                                                     Args&&... args) {
    return submit(ClientTaskOptions(), task, std::forward<Args>(args)...);
  }
  template <auto Fn, class... Args>
  std::future<typename NamedTask<Fn>::Result> submit(
      const ClientTaskOptions& options, const NamedTask<Fn>& task,
      Args&&... args) {
    uint64_t id = add_task(options, task, std::forward<Args>(args)...);
    return std::async(std::launch::deferred,
                      [this, task, id] { return result(task, id); });
  }
  // The same, for arguments encoded already.
  uint64_t add_encoded(const ClientTaskOptions& options, std::string_view name,
                       std::vector<char> arguments);
  // Adds every task of `batch`, in few requests (as many tasks as fit in
  // about 1 MiB each) instead of one per task: their ids, in the batch's
  // order, once all are durable. The fast way to add many: the server
  // commits a request's tasks together. Each task is added or refused on
  // its own (an idempotency key, say, may name one added before); when any
  // is refused, throws BatchRefusedError after the others were added.
  // ServerUnavailableError as add_task: then a part of the batch may have
  // been added (keys make adding it again safe).
  std::vector<uint64_t> add_batch(const TaskBatch& batch);

  // Blocks until task `id` has ended; how it ended. Throws
  // ServerRefusedError for an id the server does not know.
  TaskOutcome wait(uint64_t id);
  // Blocks until task `id` has ended; what it returned, decoded as `task`'s
  // result, or its error thrown (see the contract above).
  template <auto Fn>
  typename NamedTask<Fn>::Result result(const NamedTask<Fn>& task,
                                        uint64_t id) {
    TaskOutcome outcome = wait(id);
    ThrowUnlessCompleted(outcome);
    using R = typename NamedTask<Fn>::Result;
    if constexpr (!std::is_void_v<R>) {
      R value{};
      internal::Decode(
          std::string_view(outcome.result.data(), outcome.result.size()),
          value);
      return value;
    }
  }

  // Blocks until every task this client added before the call has ended;
  // counts those that did not complete and no join counted before. One
  // request per 65,536 of them, not one per task. When it throws, its
  // tasks stay to be counted by the next join.
  JoinResult join();

  // For operators (taskqueue_ctl). The journal's view: what it holds now.
  ServerStatus status();
  std::vector<TaskInfo> list(const TaskFilter& filter);
  // Task `id` with its attempts; ServerRefusedError if there is none.
  TaskInfo show(uint64_t id);
  // Queues a dead-lettered (kFailed) task again with its attempt budget
  // renewed; ServerRefusedError for a task in another state.
  void retry(uint64_t id);
  // Deletes the tasks that ended at least `age` ago, with their results;
  // how many.
  int64_t purge(std::chrono::milliseconds age);
  // Stops / restarts giving out tasks; running ones finish. Not kept
  // across a restart of the server, which starts running.
  void pause();
  void resume();

 private:
  class Connection;
  static void ThrowUnlessCompleted(const TaskOutcome& outcome);

  std::unique_ptr<Connection> connection_;
};

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_QUEUE_CLIENT_H_
