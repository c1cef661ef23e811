#include "actors/remote/gateway_actor.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "actors/messages.h"
#include "actors/remote/node_handshake.h"
#include "actors/remote/registry_release.h"
#include "caf/actor_cast.hpp"

namespace taskqueue::internal {

caf::behavior gateway_actor(caf::event_based_actor* self,
                            SignatureMap queue_tasks, RefusalHook on_refused,
                            caf::actor supervisor) {
  ReleaseFromRegistryOnExit(self);
  return {
      [self, queue_tasks = std::move(queue_tasks),
       on_refused = std::move(on_refused),
       supervisor](hello_atom, uint32_t version, std::string& name,
                   uint32_t slots, SignatureMap& tasks) {
        auto node = caf::actor_cast<caf::actor>(self->current_sender());
        if (!node) return;  // An anonymous hello has nobody to answer.
        NodeHello hello{version, std::move(name), slots, std::move(tasks)};
        std::vector<std::string> why = QueueRefusals(hello, queue_tasks);
        if (!why.empty()) {
          std::string lines = absl::StrJoin(why, "\n");
          ReportRefusal(on_refused, hello.name, lines);
          self->send(node, refuse_atom::value, std::move(lines));
          return;
        }
        self->send(supervisor, node_atom::value, node, std::move(hello.name),
                   hello.slots);
      },
      [self, supervisor](busy_atom, const caf::actor& node, std::string& why) {
        // Only the supervisor turns a node away as busy.
        if (self->current_sender() != supervisor.address()) return;
        self->send(node, busy_atom::value, std::move(why));
      },
  };
}

}  // namespace taskqueue::internal
