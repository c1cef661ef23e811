// The client protocol: what a QueueClient (queue_client.h) and a queue
// server's front actor (server_front.h) say to each other over CAF's
// middleman. Only CAF's built-in types travel (integers, strings, vectors
// of them), so neither side needs the other's add_message_type, and a
// message one side does not know is CAF's unexpected_message, not garbage.
//
// Each request gets one answer: its payload, or a caf::error. The server's
// refusals are errors of category "tqs" whose code is an absl::StatusCode
// and whose context is one std::string that says why (RefusalError); any
// other error is the transport's (a timeout, a lost connection, a request
// of another shape: unexpected_message).
//
//   (tqs_hello, uint32_t version) -> (uint32_t server_version)
//       Sent first by the client library, which goes no further when
//       refused: kFailedPrecondition when the versions differ, naming both.
//       The server keeps no sessions.
//   (tqs_submit, name, args, label, idempotency_key, int32_t priority,
//    int32_t max_attempts) -> (int64_t id, bool created)
//       Once the task is durable (committed to the journal).
//   (tqs_add_n, std::string tasks) -> (std::string added)
//       Many adds in one request: `tasks` a std::vector<WireNewTask>,
//       `added` a std::vector<WireAdded>, one per task in order, answered
//       once every task is durable or refused. Each is submitted on its own
//       (as tqs_submit's fields): a refused one does not stop the others.
//       Refused as a whole (kInvalidArgument) when `tasks` does not decode.
//   (tqs_wait_n, std::string ids) -> (std::string states)
//       `ids` a std::vector<int64_t>; once every one has ended, `states` a
//       std::vector<int32_t> (TaskState), in order. Refused as tqs_wait is,
//       for the first id that is.
//   (tqs_wait, int64_t id) -> (int32_t state, std::string result,
//                              std::string error_type,
//                              std::string error_message, int32_t attempts)
//       Once the task has ended (TaskState as int32_t; the result for
//       kCompleted, the last error for kFailed).
//   (tqs_status) -> (std::string status)
//   (tqs_list, int32_t state (-1: any), std::string label (empty: any),
//    int64_t after_id, int32_t limit) -> (std::string tasks)
//   (tqs_show, int64_t id) -> (std::string task)
//       ServerStatus, std::vector<TaskInfo> and TaskInfo (queue_client.h)
//       in the wire format of task arguments (WireWriter), which carries
//       structures and vectors that CAF 0.17.6's messages do not.
//   (tqs_retry, int64_t id) -> (bool)
//   (tqs_purge, int64_t age_ms) -> (int64_t deleted)
//   (tqs_pause) -> (bool), (tqs_resume) -> (bool)
#ifndef TASKQUEUE_ACTORS_SERVER_CLIENT_PROTOCOL_H_
#define TASKQUEUE_ACTORS_SERVER_CLIENT_PROTOCOL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "caf/atom.hpp"
#include "caf/error.hpp"
#include "caf/make_message.hpp"
#include "caf/meta/type_name.hpp"
#include "taskqueue/named_task.h"

namespace taskqueue::internal {

// Raised with any change a client of the previous version cannot follow,
// or that a client of this version needs from the server (2: tqs_add_n,
// tqs_wait_n).
inline constexpr uint32_t kClientProtocolVersion = 2;

using tqs_hello_atom = caf::atom_constant<caf::atom("tqs_hello")>;
using tqs_submit_atom = caf::atom_constant<caf::atom("tqs_submit")>;
using tqs_add_n_atom = caf::atom_constant<caf::atom("tqs_add_n")>;
using tqs_wait_atom = caf::atom_constant<caf::atom("tqs_wait")>;
using tqs_wait_n_atom = caf::atom_constant<caf::atom("tqs_wait_n")>;
using tqs_status_atom = caf::atom_constant<caf::atom("tqs_status")>;
using tqs_list_atom = caf::atom_constant<caf::atom("tqs_list")>;
using tqs_show_atom = caf::atom_constant<caf::atom("tqs_show")>;
using tqs_retry_atom = caf::atom_constant<caf::atom("tqs_retry")>;
using tqs_purge_atom = caf::atom_constant<caf::atom("tqs_purge")>;
using tqs_pause_atom = caf::atom_constant<caf::atom("tqs_pause")>;
using tqs_resume_atom = caf::atom_constant<caf::atom("tqs_resume")>;

// One task of a tqs_add_n request: tqs_submit's fields.
struct WireNewTask {
  std::string name;
  std::string args;
  std::string label;
  std::string idempotency_key;
  int32_t priority = 0;
  int32_t max_attempts = 1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireNewTask& x) {
  return f(caf::meta::type_name("WireNewTask"), x.name, x.args, x.label,
           x.idempotency_key, x.priority, x.max_attempts);
}

// What became of one task of a tqs_add_n request: tqs_submit's answer when
// `refusal_code` is 0 (absl::StatusCode::kOk), else its refusal.
struct WireAdded {
  int64_t id = 0;
  bool created = false;
  int32_t refusal_code = 0;
  std::string refusal;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WireAdded& x) {
  return f(caf::meta::type_name("WireAdded"), x.id, x.created, x.refusal_code,
           x.refusal);
}

// `value` in the wire format (WireWriter), as the std::string a message
// carries: the payloads above that CAF 0.17.6's messages cannot.
template <class T>
std::string WireString(const T& value) {
  std::vector<char> bytes = Encode(value);
  return std::string(bytes.begin(), bytes.end());
}

inline constexpr caf::atom_value kRefusalCategory = caf::atom("tqs");

// A refusal: `code` an absl::StatusCode, `why` for the user.
inline caf::error RefusalError(int code, std::string why) {
  return caf::error(static_cast<uint8_t>(code), kRefusalCategory,
                    caf::make_message(std::move(why)));
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_CLIENT_PROTOCOL_H_
