#include "actors/server/server_front.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "actors/remote/connection_watch.h"
#include "actors/remote/transport_security.h"
#include "actors/server/client_protocol.h"
#include "actors/server/task_views.h"
#include "actors/sleeping_scheduler.h"
#include "caf/actor_cast.hpp"
#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/publish.hpp"
#include "caf/response_promise.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"
#include "taskqueue/named_task.h"
#include "taskqueue/named_task_errors.h"
#include "taskqueue/queue_client.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {
namespace {

// An answer made on the commit thread, for the front to deliver: a
// response promise is its actor's, not to be fulfilled from elsewhere. A
// type CAF cannot serialize, so no client can forge one.
struct FrontReply {
  uint64_t key = 0;
  caf::message reply;
};
using FrontReplyPtr = std::shared_ptr<const FrontReply>;

}  // namespace
}  // namespace taskqueue::internal

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskqueue::internal::FrontReplyPtr)

namespace taskqueue::internal {
namespace {

caf::message Refusal(const absl::Status& status) {
  return caf::make_message(RefusalError(static_cast<int>(status.code()),
                                        std::string(status.message())));
}

// The answer to one request for many parts (tqs_add_n, tqs_wait_n): each
// part's outcome lands in its slot, from the commit thread or the front's,
// and whichever lands last makes the answer from all of them.
template <class T>
class Gathered {
 public:
  using Done = absl::AnyInvocable<void(std::vector<T>&) &&>;
  // With no parts, done at once.
  Gathered(size_t parts, Done done)
      : slots_(parts), left_(parts), done_(std::move(done)) {
    if (parts == 0) std::move(done_)(slots_);
  }

  void Set(size_t part, T outcome) {
    slots_[part] = std::move(outcome);
    // acq_rel: the last one sees every slot the others wrote.
    if (left_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::move(done_)(slots_);
    }
  }

 private:
  std::vector<T> slots_;
  std::atomic<size_t> left_;
  Done done_;
};

struct FrontState {
  QueueServer* server = nullptr;
  uint64_t next_key = 0;
  std::unordered_map<uint64_t, caf::response_promise> pending;

  // A promise for the current request, and where its answer goes.
  std::pair<uint64_t, caf::actor> Hold(caf::response_promise promise,
                                       caf::actor self) {
    uint64_t key = next_key++;
    pending.emplace(key, std::move(promise));
    return {key, std::move(self)};
  }
};

void Answer(const caf::actor& front, uint64_t key, caf::message reply) {
  caf::anon_send(front, FrontReplyPtr(new FrontReply{key, std::move(reply)}));
}

// The parts of a batch request (a wire-encoded std::vector<T>), or nullopt
// when they do not decode: then the request was refused.
template <class T>
std::optional<std::vector<T>> PartsOf(const std::string& encoded,
                                      const caf::actor& front, uint64_t key) {
  std::vector<T> parts;
  try {
    Decode(encoded, parts);
  } catch (const WireFormatError& e) {
    Answer(front, key,
           Refusal(absl::InvalidArgumentError(absl::StrCat(
               "taskqueue server: the request does not decode: ", e.what()))));
    return std::nullopt;
  }
  return parts;
}

caf::behavior FrontActor(caf::stateful_actor<FrontState>* self,
                         QueueServer* server) {
  self->state.server = server;
  auto me = [self] { return caf::actor_cast<caf::actor>(self); };
  return {
      [](tqs_hello_atom, uint32_t version) -> caf::result<uint32_t> {
        if (version == kClientProtocolVersion) return kClientProtocolVersion;
        return RefusalError(
            static_cast<int>(absl::StatusCode::kFailedPrecondition),
            absl::StrCat("taskqueue server: the client speaks protocol ",
                         version, ", this server ", kClientProtocolVersion));
      },
      [self, me](tqs_submit_atom, std::string& name, std::string& args,
                 std::string& label, std::string& key, int32_t priority,
                 int32_t max_attempts) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        self->state.server->Submit(
            NewTask{.name = std::move(name),
                    .args = std::move(args),
                    .label = std::move(label),
                    .idempotency_key = std::move(key),
                    .priority = priority,
                    .max_attempts = max_attempts},
            [id = id, front = front](absl::StatusOr<OpOutcome> outcome) {
              Answer(front, id,
                     outcome.ok()
                         ? caf::make_message(outcome->id, outcome->created)
                         : Refusal(outcome.status()));
            });
      },
      [self, me](tqs_add_n_atom, const std::string& encoded) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        std::optional<std::vector<WireNewTask>> tasks =
            PartsOf<WireNewTask>(encoded, front, id);
        if (!tasks) return;
        auto added = std::make_shared<Gathered<WireAdded>>(
            tasks->size(),
            [id = id, front = front](std::vector<WireAdded>& all) {
              Answer(front, id, caf::make_message(WireString(all)));
            });
        for (size_t i = 0; i < tasks->size(); ++i) {
          WireNewTask& task = (*tasks)[i];
          self->state.server->Submit(
              NewTask{.name = std::move(task.name),
                      .args = std::move(task.args),
                      .label = std::move(task.label),
                      .idempotency_key = std::move(task.idempotency_key),
                      .priority = task.priority,
                      .max_attempts = task.max_attempts},
              [added, i](absl::StatusOr<OpOutcome> outcome) {
                added->Set(i,
                           outcome.ok()
                               ? WireAdded{.id = outcome->id,
                                           .created = outcome->created}
                               : WireAdded{.refusal_code = static_cast<int32_t>(
                                               outcome.status().code()),
                                           .refusal = std::string(
                                               outcome.status().message())});
              });
        }
      },
      [self, me](tqs_wait_n_atom, const std::string& encoded) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        std::optional<std::vector<int64_t>> tasks =
            PartsOf<int64_t>(encoded, front, id);
        if (!tasks) return;
        auto ended = std::make_shared<Gathered<absl::StatusOr<int32_t>>>(
            tasks->size(), [id = id, front = front](
                               std::vector<absl::StatusOr<int32_t>>& all) {
              std::vector<int32_t> states;
              states.reserve(all.size());
              for (const absl::StatusOr<int32_t>& state : all) {
                if (!state.ok()) {
                  Answer(front, id, Refusal(state.status()));
                  return;
                }
                states.push_back(*state);
              }
              Answer(front, id, caf::make_message(WireString(states)));
            });
        for (size_t i = 0; i < tasks->size(); ++i) {
          self->state.server->WhenEnded(
              (*tasks)[i], [ended, i](absl::StatusOr<JournalTask> task) {
                ended->Set(i, task.ok() ? absl::StatusOr<int32_t>(
                                              static_cast<int32_t>(task->state))
                                        : task.status());
              });
        }
      },
      [self, me](tqs_wait_atom, int64_t task) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        self->state.server->WhenEnded(
            task, [id = id, front = front](absl::StatusOr<JournalTask> ended) {
              if (!ended.ok()) {
                Answer(front, id, Refusal(ended.status()));
                return;
              }
              Answer(front, id,
                     caf::make_message(static_cast<int32_t>(ended->state),
                                       std::move(ended->result),
                                       std::move(ended->error_type),
                                       std::move(ended->error_message),
                                       static_cast<int32_t>(ended->attempts)));
            });
      },
      [self, me](tqs_status_atom) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        QueueServer* server = self->state.server;
        server->Read([server, id = id, front = front](Journal& journal) {
          absl::StatusOr<std::array<int64_t, 8>> counts =
              journal.CountByState();
          Answer(front, id,
                 counts.ok() ? caf::make_message(
                                   WireString(ServerStatusOf(*server, *counts)))
                             : Refusal(counts.status()));
        });
      },
      [self, me](tqs_list_atom, int32_t state, std::string& label,
                 int64_t after_id, int32_t limit) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        TaskQuery query{.after_id = after_id, .limit = limit};
        if (state >= 0) query.state = static_cast<TaskState>(state);
        if (!label.empty()) query.label = std::move(label);
        self->state.server->Read([query, id = id,
                                  front = front](Journal& journal) {
          absl::StatusOr<std::vector<JournalTask>> tasks = journal.List(query);
          if (!tasks.ok()) {
            Answer(front, id, Refusal(tasks.status()));
            return;
          }
          std::vector<TaskInfo> infos;
          for (JournalTask& task : *tasks) {
            infos.push_back(TaskInfoOf(std::move(task)));
          }
          Answer(front, id, caf::make_message(WireString(infos)));
        });
      },
      [self, me](tqs_show_atom, int64_t task) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        self->state.server->Read([task, id = id,
                                  front = front](Journal& journal) {
          absl::StatusOr<std::optional<JournalTask>> found = journal.Find(task);
          if (!found.ok()) {
            Answer(front, id, Refusal(found.status()));
          } else if (!found->has_value()) {
            Answer(front, id,
                   Refusal(absl::NotFoundError(
                       absl::StrCat("taskqueue server: no task ", task))));
          } else {
            Answer(front, id,
                   caf::make_message(WireString(TaskInfoOf(**found))));
          }
        });
      },
      [self, me](tqs_retry_atom, int64_t task) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        self->state.server->Retry(
            task, [id = id, front = front](absl::Status retried) {
              Answer(front, id,
                     retried.ok() ? caf::make_message(true) : Refusal(retried));
            });
      },
      [self, me](tqs_purge_atom, int64_t age_ms) {
        auto [id, front] =
            self->state.Hold(self->make_response_promise(), me());
        self->state.server->Read([age_ms, id = id,
                                  front = front](Journal& journal) {
          absl::StatusOr<int64_t> deleted = journal.Compact(
              absl::Now() - absl::Milliseconds(std::max<int64_t>(0, age_ms)));
          Answer(front, id,
                 deleted.ok() ? caf::make_message(*deleted)
                              : Refusal(deleted.status()));
        });
      },
      [self](tqs_pause_atom) {
        self->state.server->Pause();
        return true;
      },
      [self](tqs_resume_atom) {
        self->state.server->Resume();
        return true;
      },
      [self](const FrontReplyPtr& answer) {
        auto it = self->state.pending.find(answer->key);
        if (it == self->state.pending.end()) return;
        it->second.deliver(answer->reply);
        self->state.pending.erase(it);
      },
  };
}

}  // namespace

ServerFront::ServerFront(QueueServer& server, const FrontOptions& options)
    : config_(std::make_unique<caf::actor_system_config>()), server_(server) {
  TransportSecurity transport("FrontOptions", options.address, options.tls,
                              options.allow_insecure_remote,
                              options.max_message_bytes);
  transport.Configure(*config_);
  ConfigureConnectionWatch(*config_, "FrontOptions", options.heartbeat_interval,
                           options.connection_timeout);
  UseSleepingScheduler(*config_);
  system_ = std::make_unique<caf::actor_system>(*config_);
  front_ = system_->spawn(FrontActor, &server);
  caf::expected<uint16_t> port =
      transport.tls()
          ? caf::openssl::publish(front_, options.port, options.address.c_str(),
                                  /*reuse=*/true)
          : system_->middleman().publish(front_, options.port,
                                         options.address.c_str(),
                                         /*reuse_addr=*/true);
  if (!port) {
    caf::anon_send_exit(front_, caf::exit_reason::user_shutdown);
    throw std::runtime_error("taskqueue server: cannot listen for clients on " +
                             options.address + ":" +
                             std::to_string(options.port) + ": " +
                             system_->render(port.error()));
  }
  port_ = *port;
}

ServerFront::~ServerFront() {
  {
    // Gone first, so that no request reaches the server after Flush.
    caf::scoped_actor self(*system_);
    self->send_exit(front_, caf::exit_reason::user_shutdown);
    self->wait_for(front_);
  }
  server_.Stop();
  server_.Flush();
}

}  // namespace taskqueue::internal
