// The connect-time check, on both sides: what refuses a node, and that the
// reasons name the task and both signatures.
#include "actors/remote/node_handshake.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const SignatureMap kQueue = {{"a.sum", "(i32,i32)->i32"},
                             {"a.echo", "(f64)->f64"}};

NodeHello Hello(SignatureMap tasks) {
  return NodeHello{kNodeProtocolVersion, "node-1", 4, std::move(tasks)};
}

TEST(NodeHandshakeTest, AcceptsTheSameRegistryAndMore) {
  EXPECT_THAT(QueueRefusals(Hello(kQueue), kQueue), IsEmpty());
  SignatureMap more = kQueue;
  more["b.extra"] = "()->void";
  EXPECT_THAT(QueueRefusals(Hello(more), kQueue), IsEmpty());
  EXPECT_THAT(NodeRefusals(more, kQueue), IsEmpty());
}

TEST(NodeHandshakeTest, AMismatchNamesTheTaskAndBothSignatures) {
  SignatureMap other = kQueue;
  other["a.sum"] = "(i64,i64)->i64";
  std::vector<std::string> why = QueueRefusals(Hello(other), kQueue);
  ASSERT_THAT(why, SizeIs(1));
  EXPECT_THAT(why[0], HasSubstr("a.sum(i32,i32)->i32"));
  EXPECT_THAT(why[0], HasSubstr("a.sum(i64,i64)->i64"));
  std::vector<std::string> node_side = NodeRefusals(other, kQueue);
  ASSERT_THAT(node_side, SizeIs(1));
  EXPECT_THAT(node_side[0], HasSubstr("a.sum(i32,i32)->i32"));
  EXPECT_THAT(node_side[0], HasSubstr("a.sum(i64,i64)->i64"));
}

TEST(NodeHandshakeTest, ANodeLackingATaskOfTheQueueIsRefused) {
  SignatureMap fewer = {{"a.sum", "(i32,i32)->i32"}};
  std::vector<std::string> why = QueueRefusals(Hello(fewer), kQueue);
  ASSERT_THAT(why, SizeIs(1));
  EXPECT_THAT(why[0], HasSubstr("a.echo"));
  std::vector<std::string> node_side = NodeRefusals(fewer, kQueue);
  ASSERT_THAT(node_side, SizeIs(1));
  EXPECT_THAT(node_side[0], HasSubstr("a.echo"));
}

TEST(NodeHandshakeTest, AnotherVersionIsRefusedAloneForWhatItIs) {
  NodeHello hello = Hello({});  // Lacks everything, but that is moot.
  hello.version = kNodeProtocolVersion + 1;
  std::vector<std::string> why = QueueRefusals(hello, kQueue);
  ASSERT_THAT(why, SizeIs(1));
  EXPECT_THAT(why[0], HasSubstr("protocol version"));
}

TEST(NodeHandshakeTest, SlotsAndNamesAreChecked) {
  NodeHello none = Hello(kQueue);
  none.slots = 0;
  EXPECT_THAT(QueueRefusals(none, kQueue), ElementsAre(HasSubstr("slots")));
  NodeHello many = Hello(kQueue);
  many.slots = kMaxNodeSlots + 1;
  EXPECT_THAT(QueueRefusals(many, kQueue), ElementsAre(HasSubstr("slots")));
  for (std::string name :
       {std::string(), std::string("has space"), std::string(201, 'x'),
        std::string("tab\there"), std::string("\xff")}) {
    NodeHello bad = Hello(kQueue);
    bad.name = name;
    EXPECT_THAT(QueueRefusals(bad, kQueue), ElementsAre(HasSubstr("name")))
        << name;
  }
  NodeHello longest = Hello(kQueue);
  longest.name = std::string(200, 'x');
  EXPECT_THAT(QueueRefusals(longest, kQueue), IsEmpty());
}

}  // namespace
}  // namespace taskqueue::internal
