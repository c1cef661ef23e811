// main() of the worker-node tests: the first argument is test_node's path.
#include <cstdio>

#include "gtest/gtest.h"
#include "tests/remote/remote_fixture.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s TEST_NODE_BINARY [gtest flags]\n", argv[0]);
    return 2;
  }
  taskqueue_test::SetNodeBinary(argv[1]);
  return RUN_ALL_TESTS();
}
