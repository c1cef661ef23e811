// QueueClient over CAF: one actor system with a middleman, the server's
// front actor as a remote actor, and each request sent by an event-based
// actor spawned for it (only scheduled actors talk to the network: a
// blocking one that waits on a remote reply can hang CAF 0.17.6), whose
// answer reaches the caller through a promise.
#include "taskqueue/queue_client.h"

#include <algorithm>
#include <future>
#include <string>
#include <utility>
#include <variant>

#include "absl/synchronization/mutex.h"
#include "actors/remote/connection_watch.h"
#include "actors/remote/transport_security.h"
#include "actors/server/client_protocol.h"
#include "actors/sleeping_scheduler.h"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/remote_actor.hpp"
#include "taskqueue/errors.h"
#include "taskqueue/task_control.h"

namespace taskqueue {

using internal::tqs_add_n_atom;
using internal::tqs_hello_atom;
using internal::tqs_list_atom;
using internal::tqs_pause_atom;
using internal::tqs_purge_atom;
using internal::tqs_resume_atom;
using internal::tqs_retry_atom;
using internal::tqs_show_atom;
using internal::tqs_status_atom;
using internal::tqs_submit_atom;
using internal::tqs_wait_atom;
using internal::tqs_wait_n_atom;

class QueueClient::Connection {
 public:
  explicit Connection(const ClientOptions& options) : options_(options) {
    internal::TransportSecurity transport(
        "ClientOptions", options.host, options.tls,
        options.allow_insecure_remote, 64 << 20);
    transport.Configure(config_);
    internal::ConfigureConnectionWatch(config_, "ClientOptions",
                                       options.heartbeat_interval,
                                       options.connection_timeout);
    internal::UseSleepingScheduler(config_);
    system_.emplace(config_);
    std::string target = options.host + ":" + std::to_string(options.port);
    caf::expected<caf::actor> server =
        transport.tls()
            ? caf::openssl::remote_actor(*system_, options.host, options.port)
            : system_->middleman().remote_actor(options.host, options.port);
    if (!server) {
      throw ServerUnavailableError("taskqueue client: cannot reach " + target +
                                   ": " + system_->render(server.error()));
    }
    server_ = *server;
    try {
      Ask<uint32_t>(caf::make_message(tqs_hello_atom::value,
                                      internal::kClientProtocolVersion));
    } catch (const ServerRefusedError& e) {  // Another protocol version.
      throw ServerUnavailableError(e.what());
    }
  }

  template <class... Ts>
  std::tuple<Ts...> Ask(caf::message request, bool wait = false) {
    // The answer as data: the exception is made and thrown on this thread,
    // not shared with the actor's (exception_ptr's reference count lives in
    // uninstrumented libstdc++, where ThreadSanitizer cannot see it).
    using Answer = std::variant<std::tuple<Ts...>, Failure>;
    auto answer = std::make_shared<std::promise<Answer>>();
    std::future<Answer> answered = answer->get_future();
    caf::duration timeout =
        wait ? caf::duration(caf::infinite)
             : caf::duration(
                   std::chrono::duration_cast<caf::timespan>(options_.timeout));
    // `answer` goes in as a spawn argument, not a capture: CAF 0.17 keeps a
    // null argument tuple for an actor function spawned without arguments and
    // dereferences it, which UndefinedBehaviorSanitizer reports.
    system_->spawn(
        [server = server_, request = std::move(request), timeout, this](
            caf::event_based_actor* self,
            std::shared_ptr<std::promise<Answer>> answer) {
          self->request(server, timeout, std::move(request))
              .then(
                  [answer](Ts&... values) {
                    answer->set_value(std::make_tuple(std::move(values)...));
                  },
                  [answer, this](caf::error& error) {
                    answer->set_value(FailureOf(error));
                  });
        },
        answer);
    Answer reply = answered.get();
    if (auto* failure = std::get_if<Failure>(&reply)) {
      if (failure->refused) throw ServerRefusedError(failure->what);
      throw ServerUnavailableError(failure->what);
    }
    return std::get<std::tuple<Ts...>>(std::move(reply));
  }

  // Tasks added (0: refused, skipped), in order.
  void Added(const std::vector<uint64_t>& ids) {
    absl::MutexLock lock(&mu_);
    for (uint64_t id : ids) {
      if (id != 0) added_.push_back(id);
    }
  }

  // For a join: the tasks it waits for (all added since the first not
  // known to have ended) and, from `counted_from` on, those whose outcomes
  // it counts (no concurrent join counted them).
  struct JoinRange {
    size_t from = 0;
    std::vector<uint64_t> ids;
    size_t counted_from = 0;
  };
  JoinRange StartJoin() {
    absl::MutexLock lock(&mu_);
    JoinRange range{
        .from = ended_,
        .ids = std::vector<uint64_t>(added_.begin() + ended_, added_.end()),
        .counted_from = counted_ - ended_};
    counted_ = added_.size();
    return range;
  }
  // The tasks of `range` have all ended.
  void EndJoin(const JoinRange& range) {
    absl::MutexLock lock(&mu_);
    ended_ = std::max(ended_, range.from + range.ids.size());
  }
  // The join of `range` failed: the tasks it was to count are left to the
  // next, unless a join started since (and counts them itself).
  void AbandonJoin(const JoinRange& range) {
    absl::MutexLock lock(&mu_);
    if (counted_ == range.from + range.ids.size()) {
      counted_ = range.from + range.counted_from;
    }
  }

 private:
  struct Failure {
    bool refused = false;  // By the server; otherwise the transport failed.
    std::string what;
  };
  Failure FailureOf(const caf::error& error) {
    if (error.category() == internal::kRefusalCategory &&
        error.context().match_elements<std::string>()) {
      return {true, error.context().get_as<std::string>(0)};
    }
    return {false, "taskqueue client: " + system_->render(error)};
  }

  const ClientOptions options_;
  caf::actor_system_config config_;
  std::optional<caf::actor_system> system_;
  caf::actor server_;
  absl::Mutex mu_;
  // Every task added, in order; those before ended_ are known to have
  // ended, those before counted_ were counted by a join.
  std::vector<uint64_t> added_ ABSL_GUARDED_BY(mu_);
  size_t ended_ ABSL_GUARDED_BY(mu_) = 0;
  size_t counted_ ABSL_GUARDED_BY(mu_) = 0;
};

QueueClient::QueueClient(ClientOptions options)
    : connection_(std::make_unique<Connection>(options)) {}

QueueClient::~QueueClient() = default;

uint64_t QueueClient::add_encoded(const ClientTaskOptions& options,
                                  std::string_view name,
                                  std::vector<char> arguments) {
  auto [id, created] = connection_->Ask<int64_t, bool>(caf::make_message(
      tqs_submit_atom::value, std::string(name),
      std::string(arguments.begin(), arguments.end()), options.label,
      options.idempotency_key, int32_t{options.priority},
      int32_t{options.max_attempts}));
  connection_->Added({static_cast<uint64_t>(id)});
  return static_cast<uint64_t>(id);
}

TaskOutcome QueueClient::wait(uint64_t id) {
  auto [state, result, error_type, error_message, attempts] =
      connection_->Ask<int32_t, std::string, std::string, std::string, int32_t>(
          caf::make_message(tqs_wait_atom::value, static_cast<int64_t>(id)),
          /*wait=*/true);
  return TaskOutcome{
      .id = id,
      .state = static_cast<TaskState>(state),
      .attempts = attempts,
      .result = std::vector<char>(result.begin(), result.end()),
      .error_type = std::move(error_type),
      .error_message = std::move(error_message),
  };
}

namespace {

template <class T>
T FromWire(const std::string& bytes) {
  T value{};
  try {
    internal::Decode(bytes, value);
  } catch (const WireFormatError& e) {
    throw ServerUnavailableError(
        std::string("taskqueue client: the server's answer does not decode: ") +
        e.what());
  }
  return value;
}

// A request's share of a batch: tasks go in one until their fields reach
// this many bytes, so that it stays far below any server's message bound.
constexpr size_t kBatchRequestBytes = 1 << 20;
// Ids per tqs_wait_n request of a join (8 bytes each at most).
constexpr size_t kJoinRequestIds = 65536;

}  // namespace

std::vector<uint64_t> QueueClient::add_batch(const TaskBatch& batch) {
  std::vector<uint64_t> ids;
  std::vector<std::string> refusals;
  ids.reserve(batch.size());
  size_t refused = 0;
  std::string first_refusal;
  for (size_t begin = 0; begin < batch.size();) {
    std::vector<internal::WireNewTask> request;
    size_t bytes = 0;
    for (size_t i = begin;
         i < batch.size() && (request.empty() || bytes < kBatchRequestBytes);
         ++i) {
      const TaskBatch::Task& task = batch.tasks_[i];
      bytes += task.name.size() + task.arguments.size() +
               task.options.label.size() + task.options.idempotency_key.size();
      request.push_back(
          internal::WireNewTask{.name = task.name,
                                .args = task.arguments,
                                .label = task.options.label,
                                .idempotency_key = task.options.idempotency_key,
                                .priority = task.options.priority,
                                .max_attempts = task.options.max_attempts});
    }
    auto [encoded] = connection_->Ask<std::string>(caf::make_message(
        tqs_add_n_atom::value, internal::WireString(request)));
    auto added = FromWire<std::vector<internal::WireAdded>>(encoded);
    if (added.size() != request.size()) {
      throw ServerUnavailableError("taskqueue client: the server answered " +
                                   std::to_string(added.size()) + " of " +
                                   std::to_string(request.size()) + " tasks");
    }
    std::vector<uint64_t> these;
    for (internal::WireAdded& task : added) {
      bool ok = task.refusal_code == 0;
      these.push_back(ok ? static_cast<uint64_t>(task.id) : 0);
      if (!ok && refused++ == 0) first_refusal = task.refusal;
      refusals.push_back(ok ? std::string() : std::move(task.refusal));
    }
    connection_->Added(these);
    ids.insert(ids.end(), these.begin(), these.end());
    begin += request.size();
  }
  if (refused > 0) {
    throw BatchRefusedError(std::to_string(refused) + " of " +
                                std::to_string(batch.size()) +
                                " tasks refused, the first: " + first_refusal,
                            std::move(ids), std::move(refusals));
  }
  return ids;
}

JoinResult QueueClient::join() {
  Connection::JoinRange range = connection_->StartJoin();
  JoinResult joined;
  try {
    for (size_t begin = 0; begin < range.ids.size(); begin += kJoinRequestIds) {
      size_t end = std::min(range.ids.size(), begin + kJoinRequestIds);
      std::vector<int64_t> ids(range.ids.begin() + begin,
                               range.ids.begin() + end);
      auto [encoded] = connection_->Ask<std::string>(
          caf::make_message(tqs_wait_n_atom::value, internal::WireString(ids)),
          /*wait=*/true);
      auto states = FromWire<std::vector<int32_t>>(encoded);
      if (states.size() != ids.size()) {
        throw ServerUnavailableError("taskqueue client: the server answered " +
                                     std::to_string(states.size()) + " of " +
                                     std::to_string(ids.size()) + " waits");
      }
      for (size_t i = 0; i < states.size(); ++i) {
        if (begin + i >= range.counted_from &&
            static_cast<TaskState>(states[i]) != TaskState::kCompleted) {
          ++joined.failed;
        }
      }
    }
  } catch (...) {
    connection_->AbandonJoin(range);
    throw;
  }
  connection_->EndJoin(range);
  return joined;
}

ServerStatus QueueClient::status() {
  auto [encoded] =
      connection_->Ask<std::string>(caf::make_message(tqs_status_atom::value));
  return FromWire<ServerStatus>(encoded);
}

std::vector<TaskInfo> QueueClient::list(const TaskFilter& filter) {
  auto [encoded] = connection_->Ask<std::string>(caf::make_message(
      tqs_list_atom::value,
      filter.state.has_value() ? static_cast<int32_t>(*filter.state)
                               : int32_t{-1},
      filter.label.value_or(""), static_cast<int64_t>(filter.after_id),
      int32_t{filter.limit}));
  return FromWire<std::vector<TaskInfo>>(encoded);
}

TaskInfo QueueClient::show(uint64_t id) {
  auto [encoded] = connection_->Ask<std::string>(
      caf::make_message(tqs_show_atom::value, static_cast<int64_t>(id)));
  return FromWire<TaskInfo>(encoded);
}

void QueueClient::retry(uint64_t id) {
  connection_->Ask<bool>(
      caf::make_message(tqs_retry_atom::value, static_cast<int64_t>(id)));
}

int64_t QueueClient::purge(std::chrono::milliseconds age) {
  auto [deleted] = connection_->Ask<int64_t>(
      caf::make_message(tqs_purge_atom::value, int64_t{age.count()}));
  return deleted;
}

void QueueClient::pause() {
  connection_->Ask<bool>(caf::make_message(tqs_pause_atom::value));
}

void QueueClient::resume() {
  connection_->Ask<bool>(caf::make_message(tqs_resume_atom::value));
}

void QueueClient::ThrowUnlessCompleted(const TaskOutcome& outcome) {
  switch (outcome.state) {
    case TaskState::kCompleted:
      return;
    case TaskState::kFailed:
      throw RemoteTaskError(outcome.error_type, outcome.error_message);
    default:
      std::rethrow_exception(internal::NotRunError(outcome.state));
  }
}

}  // namespace taskqueue
