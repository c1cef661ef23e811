// CoalesceIndex: the newest task of each coalesce key, which a newer task of
// that key replaces (latest wins) until it ends.
#include "actors/scheduler/coalesce_index.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

ControlRef Task(uint64_t id, std::string key) {
  ControlRef control = ControlRef::Make();
  control->id = id;
  control->options.coalesce_key = std::move(key);
  return control;
}

TEST(CoalesceIndexTest, FirstOfAKeyReplacesNothing) {
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  EXPECT_FALSE(index.Replace(a));
  EXPECT_EQ(index.size(), 1);
}

TEST(CoalesceIndexTest, ReplaceReturnsTheOlderTask) {
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  ControlRef b = Task(2, "k");
  ControlRef c = Task(3, "k");
  index.Replace(a);
  EXPECT_EQ(index.Replace(b), a);
  // Only the newest is held: c replaces b, not a again.
  EXPECT_EQ(index.Replace(c), b);
  EXPECT_EQ(index.size(), 1);
}

TEST(CoalesceIndexTest, KeysAreIndependent) {
  CoalesceIndex index;
  ControlRef a = Task(1, "x");
  ControlRef b = Task(2, "y");
  EXPECT_FALSE(index.Replace(a));
  EXPECT_FALSE(index.Replace(b));
  EXPECT_EQ(index.size(), 2);
  EXPECT_EQ(index.Replace(Task(3, "x")), a);
}

TEST(CoalesceIndexTest, ForgetForgetsTheNewest) {
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  index.Replace(a);
  index.Forget(*a);
  EXPECT_EQ(index.size(), 0);
  // The key is free: the next task of it replaces nothing.
  EXPECT_FALSE(index.Replace(Task(2, "k")));
}

TEST(CoalesceIndexTest, ForgetIgnoresATaskThatIsNoLongerTheNewest) {
  // A replaced task ends after its replacement arrived; that must not free
  // the key, or the task after would not replace the replacement.
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  ControlRef b = Task(2, "k");
  index.Replace(a);
  index.Replace(b);
  index.Forget(*a);
  EXPECT_EQ(index.size(), 1);
  EXPECT_EQ(index.Replace(Task(3, "k")), b);
}

TEST(CoalesceIndexTest, ForgetIgnoresTasksWithoutAKey) {
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  index.Replace(a);
  ControlRef plain = Task(2, "");
  index.Forget(*plain);
  EXPECT_EQ(index.size(), 1);
}

TEST(CoalesceIndexTest, ReadmitOfAnAbsentKeyRegistersTheTask) {
  // The key was freed while the retry waited (say, the task was forgotten):
  // the retry becomes the newest again, replaceable by later tasks.
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  EXPECT_TRUE(index.Readmit(a));
  EXPECT_EQ(index.size(), 1);
  EXPECT_EQ(index.Replace(Task(2, "k")), a);
}

TEST(CoalesceIndexTest, ReadmitOfTheStillNewestTaskIsTrue) {
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  index.Replace(a);
  EXPECT_TRUE(index.Readmit(a));
  EXPECT_EQ(index.size(), 1);
  EXPECT_EQ(index.Replace(Task(2, "k")), a);
}

TEST(CoalesceIndexTest, ReadmitAfterANewerTaskIsFalseAndKeepsTheNewer) {
  CoalesceIndex index;
  ControlRef a = Task(1, "k");
  ControlRef b = Task(2, "k");
  index.Replace(a);
  index.Replace(b);
  EXPECT_FALSE(index.Readmit(a));
  EXPECT_EQ(index.size(), 1);
  EXPECT_EQ(index.Replace(Task(3, "k")), b);
}

}  // namespace
}  // namespace taskqueue::internal
