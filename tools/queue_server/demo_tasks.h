// The demo tasks of the stock queue server, its demo worker node and demo
// producer: to try the server, its clients and nodes without writing a task.
// A user's own server links their tasks instead (queue_server_main.h).
//
//   taskqueue::QueueClient client;
//   uint64_t id = client.add_task(taskqueue_demo::kSleepMs, 200);
#ifndef TASKQUEUE_TOOLS_QUEUE_SERVER_DEMO_TASKS_H_
#define TASKQUEUE_TOOLS_QUEUE_SERVER_DEMO_TASKS_H_

#include <cstdint>
#include <string>

#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"

namespace taskqueue_demo {

int64_t Square(int64_t x);
// Sleeps `ms` milliseconds (a stand-in for slow work); returns `ms`.
int64_t SleepMs(int64_t ms);
// Throws std::runtime_error(why): a task that always fails.
std::string Fail(std::string why);
// A call to a service that is down until `down_until_unix_ms`: throws if it
// runs before then, returns its argument after, so a task that failed and is
// retried later completes, on whichever worker or node runs it.
int64_t Flaky(int64_t down_until_unix_ms);
// Now, in the milliseconds since the Unix epoch that Flaky's argument counts.
int64_t UnixMillisNow();

inline constexpr taskqueue::NamedTask<&Square> kSquare{"demo.square"};
inline constexpr taskqueue::NamedTask<&SleepMs> kSleepMs{"demo.sleep_ms"};
inline constexpr taskqueue::NamedTask<&Fail> kFail{"demo.fail"};
inline constexpr taskqueue::NamedTask<&Flaky> kFlaky{"demo.flaky"};

// Adds the four to `registry`.
void AddDemoTasks(taskqueue::TaskRegistry& registry);

}  // namespace taskqueue_demo

#endif  // TASKQUEUE_TOOLS_QUEUE_SERVER_DEMO_TASKS_H_
