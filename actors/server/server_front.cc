#include "actors/server/server_front.h"

#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "actors/remote/transport_security.h"
#include "actors/server/client_protocol.h"
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

std::string WireString(const std::vector<int64_t>& values) {
  std::vector<char> bytes = Encode(values);
  return std::string(bytes.begin(), bytes.end());
}

caf::message Refusal(const absl::Status& status) {
  return caf::make_message(RefusalError(static_cast<int>(status.code()),
                                        std::string(status.message())));
}

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
        self->state.server->Read([id = id, front = front](Journal& journal) {
          absl::StatusOr<std::array<int64_t, 8>> counts =
              journal.CountByState();
          if (!counts.ok()) {
            Answer(front, id, Refusal(counts.status()));
            return;
          }
          Answer(front, id,
                 caf::make_message(WireString(
                     std::vector<int64_t>(counts->begin(), counts->end()))));
        });
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
  config_->set("scheduler.max-threads", size_t{1});
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
