// The named tasks of the worker-node tests, linked into the test (the
// queue's side) and into test_node (the node's side).
#ifndef TASKQUEUE_TESTS_REMOTE_TEST_TASKS_H_
#define TASKQUEUE_TESTS_REMOTE_TEST_TASKS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "taskqueue/named_task.h"
#include "taskqueue/task_registry.h"

namespace taskqueue_test {

// i * i + 1, after sleeping `micros` (0: none).
int64_t Square(int64_t i, int32_t micros);
// Throws std::invalid_argument(why).
int32_t Fail(std::string why);
// Returns x as it is: NaN payloads, infinities and -0 must survive.
double Echo(double x);
// Kills the node process running it.
int32_t Abort(int32_t code);
// `text`, `times` times over: a result as large as a test needs.
std::string Repeat(std::string text, int32_t times);

inline constexpr taskqueue::NamedTask<&Square> kSquare{"test.square"};
inline constexpr taskqueue::NamedTask<&Fail> kFail{"test.fail"};
inline constexpr taskqueue::NamedTask<&Echo> kEcho{"test.echo"};
inline constexpr taskqueue::NamedTask<&Abort> kAbort{"test.abort"};
inline constexpr taskqueue::NamedTask<&Repeat> kRepeat{"test.repeat"};

// All of them: the queue's registry.
std::shared_ptr<taskqueue::TaskRegistry> TestRegistry();

}  // namespace taskqueue_test

#endif  // TASKQUEUE_TESTS_REMOTE_TEST_TASKS_H_
