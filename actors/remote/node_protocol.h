// The messages between a listening queue and its worker nodes, which cross
// the network through CAF's middleman (BASP). Every payload is a type CAF
// serializes out of the box (integers, strings, byte vectors, string maps),
// so neither side registers message types, and a task's own arguments and
// result travel as bytes in our wire format (wire_writer.h), never as CAF
// types: CAF 0.17.6 would mangle their floats.
//
// Connecting (the gateway is the one actor the queue publishes):
//   node    -> gateway  (hello_atom, uint32_t version, std::string name,
//                        uint32_t slots, SignatureMap tasks)
//       `tasks`: TaskRegistry::signatures() of the node.
//   gateway -> node     (refuse_atom, std::string why)
//       Not accepted: another version, a registry that does not match (one
//       line per task). The node must be fixed: it does not retry.
//   gateway -> node     (busy_atom, std::string why)
//       Not accepted now: its name is connected (the queue may not yet
//       have noticed that the node's previous process died) or the queue
//       has max_nodes (the supervisor decides; the gateway sends). The
//       node tries again after its backoff.
//   proxy   -> node     (welcome_atom, SignatureMap tasks)
//       Accepted; the sender is the node's proxy, its peer from now on.
//       `tasks` is the queue's registry, which the node checks too.
//
// Running (the proxy is an endpoint of the queue's scheduler for the node;
// it sends at most slots + prefetch tasks the node has not reported done).
// Both directions carry frames (node_frames.h), as many entries as were at
// hand, so that a message's cost is shared by the tasks in it:
//   proxy   -> node     (tasks_atom, std::vector<char> frame)
//       TaskOffers: id, task name, arguments.
//   node    -> proxy    (reports_atom, std::vector<char> frame)
//       NodeReports, in the order they happened: kStarted when a slot
//       begins a task (always before its answer), then kResult with its
//       result or kError with the type and message of what it threw (or
//       why it was refused there).
//   A frame that does not decode, or a report the proxy cannot place (a
//   task it did not send, an answer before the start), breaks the
//   protocol: the proxy drops the node, as it does a lost one.
//   node    -> proxy    (refuse_atom, std::string why)
//       A frame of tasks did not decode there: the node ends the session,
//       and the proxy drops it as it drops a lost node's.
//   node    -> proxy    (leave_atom)
//       Draining: every task it started has been reported; it starts no
//       other. The proxy exits, and what the node was sent and did not
//       start runs elsewhere.
//
// A node is lost when its connection ends or is silent past the timeout:
// its proxy exits, so a report that arrives later (a node that was stopped
// and resumed) finds no receiver and changes nothing.
#ifndef TASKQUEUE_ACTORS_REMOTE_NODE_PROTOCOL_H_
#define TASKQUEUE_ACTORS_REMOTE_NODE_PROTOCOL_H_

#include <cstdint>
#include <map>
#include <string>

#include "caf/atom.hpp"

namespace taskqueue::internal {

// Bumped whenever a message above changes.
inline constexpr uint32_t kNodeProtocolVersion = 2;

// Task name -> signature types, as TaskRegistry::Signatures.
using SignatureMap = std::map<std::string, std::string>;

using hello_atom = caf::atom_constant<caf::atom("tq_hello")>;
using refuse_atom = caf::atom_constant<caf::atom("tq_refuse")>;
using busy_atom = caf::atom_constant<caf::atom("tq_busy")>;
using welcome_atom = caf::atom_constant<caf::atom("tq_welcome")>;
using tasks_atom = caf::atom_constant<caf::atom("tq_tasks")>;
using reports_atom = caf::atom_constant<caf::atom("tq_reports")>;
using leave_atom = caf::atom_constant<caf::atom("tq_leave")>;

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_NODE_PROTOCOL_H_
