// A task on its way through the queue, tagged with the join epoch it was
// added in (see task_inbox.h).
#ifndef TASKQUEUE_ACTORS_QUEUED_TASK_H_
#define TASKQUEUE_ACTORS_QUEUED_TASK_H_

#include <cstdint>

#include "taskqueue/task.h"

namespace taskqueue::internal {

struct QueuedTask {
  Task task;
  uint64_t epoch = 0;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_QUEUED_TASK_H_
