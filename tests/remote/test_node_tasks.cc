// test_node's registry: the tests' tasks, or on purpose a wrong one, chosen
// by the environment variable TEST_NODE_REGISTRY ("mismatch": test.square
// with other types; "missing": without test.echo).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tests/remote/test_tasks.h"
#include "tools/worker_node/worker_node_main.h"

namespace {

int32_t SquareOfInt(int32_t i) { return i * i; }
constexpr taskqueue::NamedTask<&SquareOfInt> kWrongSquare{"test.square"};

}  // namespace

void taskqueue::RegisterNodeTasks(taskqueue::TaskRegistry& registry) {
  const char* variant = std::getenv("TEST_NODE_REGISTRY");
  std::string which = variant != nullptr ? variant : "";
  if (which == "mismatch") {
    registry.Add(kWrongSquare)
        .Add(taskqueue_test::kFail)
        .Add(taskqueue_test::kEcho)
        .Add(taskqueue_test::kAbort)
        .Add(taskqueue_test::kRepeat);
  } else if (which == "missing") {
    registry.Add(taskqueue_test::kSquare)
        .Add(taskqueue_test::kFail)
        .Add(taskqueue_test::kAbort)
        .Add(taskqueue_test::kRepeat);
  } else {
    registry.Add(taskqueue_test::kSquare)
        .Add(taskqueue_test::kFail)
        .Add(taskqueue_test::kEcho)
        .Add(taskqueue_test::kAbort)
        .Add(taskqueue_test::kRepeat);
  }
}
