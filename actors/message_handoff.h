// Makes the memory a CAF message hands from one actor to another visible to
// ThreadSanitizer.
//
// CAF's mailboxes synchronize inside Debian's uninstrumented libcaf_core.so,
// so TSan sees no order between what a sender wrote before sending (a task
// batch, the message itself) and what the receiver reads, and reports races
// that cannot happen. Every send of ours calls TsanMessageSent(receiver) and
// every handler starts with TsanMessageReceived(self): a release and an acquire
// on the receiver's address, the edge the mailbox really provides. Being per
// receiver, it adds no order that the mailbox does not, so real races still
// show. Compiles to nothing outside TSan builds.
#ifndef TASKQUEUE_ACTORS_MESSAGE_HANDOFF_H_
#define TASKQUEUE_ACTORS_MESSAGE_HANDOFF_H_

#include "caf/actor_cast.hpp"
#include "caf/actor_control_block.hpp"
#include "caf/local_actor.hpp"

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace taskqueue::internal {

template <class Handle>
inline void TsanMessageSent([[maybe_unused]] const Handle& receiver) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(caf::actor_cast<caf::actor_control_block*>(receiver));
#endif
}

inline void TsanMessageReceived([[maybe_unused]] caf::local_actor* self) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(self->ctrl());
#endif
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_MESSAGE_HANDOFF_H_
