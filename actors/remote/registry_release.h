// ReleaseFromRegistryOnExit: makes an actor that talks to another process
// drop CAF's registry entry for it once it exits.
//
// CAF 0.17.6's middleman puts every local actor it sends a message for in
// the actor system's registry, which holds a strong reference until the
// remote side says it has dropped its proxy. A peer that dies or hangs
// never says so, and the actor, though it has exited, is never destroyed
// while the actor system lives: one per lost peer, for a queue that runs
// for months. Dropping the entry at exit covers that. It cannot cover a
// message of the actor's still on its way out, which puts it back; so an
// actor that talks to the network must not be detached where its process
// destroys the actor system (~actor_system waits for each detached actor's
// thread until its actor is destroyed, before it releases the registry:
// the worker node hung on exit about one time in five).
//
//   caf::behavior proxy_actor(caf::event_based_actor* self) {
//     ReleaseFromRegistryOnExit(self);
//     ...
//   }
//
// Messages that arrive for the actor afterwards are dropped, as they would
// be for any actor that has exited.
#ifndef TASKQUEUE_ACTORS_REMOTE_REGISTRY_RELEASE_H_
#define TASKQUEUE_ACTORS_REMOTE_REGISTRY_RELEASE_H_

#include "caf/actor_registry.hpp"
#include "caf/actor_system.hpp"
#include "caf/local_actor.hpp"

namespace taskqueue::internal {

inline void ReleaseFromRegistryOnExit(caf::local_actor* self) {
  self->attach_functor([system = &self->system(), id = self->id()] {
    system->registry().erase(id);
  });
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_REMOTE_REGISTRY_RELEASE_H_
