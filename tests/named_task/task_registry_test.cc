// Named tasks run by name from encoded arguments, as a worker node runs them,
// and registries that disagree say where.
#include "taskqueue/task_registry.h"

#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "taskqueue/named_task.h"

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

double Sum(std::vector<double> xs, double scale) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum * scale;
}
std::string Repeat(const std::string& s, int32_t n) {
  std::string out;
  for (int32_t i = 0; i < n; ++i) out += s;
  return out;
}
void Fail(std::string why) { throw std::runtime_error(why); }
double Identity(double x) { return x; }
int64_t SumAsInt(std::vector<double> xs, double scale) {
  return static_cast<int64_t>(Sum(std::move(xs), scale));
}

constexpr taskqueue::NamedTask<&Sum> kSum{"math.sum"};
constexpr taskqueue::NamedTask<&Repeat> kRepeat{"text.repeat"};
constexpr taskqueue::NamedTask<&Fail> kFail{"fail"};
constexpr taskqueue::NamedTask<&Identity> kIdentity{"identity"};
constexpr taskqueue::NamedTask<&SumAsInt> kSumAsInt{"math.sum"};
constexpr auto kTwice =
    taskqueue::NamedTask<+[](int32_t x) { return 2 * x; }>{"twice"};

TEST(NamedTaskTest, Signatures) {
  EXPECT_EQ(kSum.signature(), "math.sum(vector<f64>,f64)->f64");
  EXPECT_EQ(kRepeat.signature(), "text.repeat(string,i32)->string");
  EXPECT_EQ(kFail.signature(), "fail(string)->void");
  EXPECT_EQ(kTwice.signature(), "twice(i32)->i32");
}

TEST(TaskRegistryTest, RunsByNameFromEncodedArguments) {
  taskqueue::TaskRegistry registry;
  registry.Add(kSum).Add(kRepeat).Add(kTwice);
  std::vector<char> args =
      taskqueue::internal::Encode(std::vector<double>{1, 2, 3.5}, 2.0);
  std::vector<char> result =
      registry.Run("math.sum", std::string_view(args.data(), args.size()));
  double sum = 0;
  taskqueue::internal::Decode(std::string_view(result.data(), result.size()),
                              sum);
  EXPECT_EQ(sum, 13.0);

  args = taskqueue::internal::Encode(std::string("ab"), int32_t{3});
  result = registry.Run("text.repeat", {args.data(), args.size()});
  std::string repeated;
  taskqueue::internal::Decode({result.data(), result.size()}, repeated);
  EXPECT_EQ(repeated, "ababab");
}

TEST(TaskRegistryTest, NanAndInfinityRoundTrip) {
  taskqueue::TaskRegistry registry;
  registry.Add(kIdentity);
  for (double x : {std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(),
                   std::bit_cast<double>(uint64_t{0xfff0000000000001})}) {
    std::vector<char> args = taskqueue::internal::Encode(x);
    std::vector<char> result =
        registry.Run("identity", {args.data(), args.size()});
    double back = 0;
    taskqueue::internal::Decode({result.data(), result.size()}, back);
    EXPECT_EQ(std::bit_cast<uint64_t>(back), std::bit_cast<uint64_t>(x));
  }
}

TEST(TaskRegistryTest, BadInputGivesClearErrors) {
  taskqueue::TaskRegistry registry;
  registry.Add(kSum).Add(kFail);
  EXPECT_THROW(registry.Run("no.such.task", ""), taskqueue::UnknownTaskError);
  // Arguments of another task, truncated ones, and extra bytes.
  std::vector<char> wrong = taskqueue::internal::Encode(std::string("x"));
  EXPECT_THROW(registry.Run("math.sum", {wrong.data(), wrong.size()}),
               taskqueue::WireFormatError);
  std::vector<char> args =
      taskqueue::internal::Encode(std::vector<double>{1}, 1.0);
  EXPECT_THROW(registry.Run("math.sum", {args.data(), args.size() - 1}),
               taskqueue::WireFormatError);
  args.push_back(0);
  EXPECT_THROW(registry.Run("math.sum", {args.data(), args.size()}),
               taskqueue::WireFormatError);
  // The task's own exception comes through as it is.
  std::vector<char> why = taskqueue::internal::Encode(std::string("boom"));
  try {
    registry.Run("fail", {why.data(), why.size()});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
}

TEST(TaskRegistryTest, NamesAreUniqueAndPlain) {
  taskqueue::TaskRegistry registry;
  registry.Add(kSum);
  try {
    registry.Add(kSumAsInt);
    FAIL() << "a second task named math.sum was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("math.sum(vector<f64>,f64)->f64"));
    EXPECT_THAT(e.what(), HasSubstr("math.sum(vector<f64>,f64)->i64"));
  }
  constexpr taskqueue::NamedTask<&Sum> kBadName{"has space"};
  constexpr taskqueue::NamedTask<&Sum> kEmpty{""};
  EXPECT_THROW(registry.Add(kBadName), std::invalid_argument);
  EXPECT_THROW(registry.Add(kEmpty), std::invalid_argument);
}

TEST(TaskRegistryTest, MismatchesNameTheTaskAndBothSignatures) {
  taskqueue::TaskRegistry ours;
  ours.Add(kSum).Add(kRepeat);
  taskqueue::TaskRegistry theirs;
  theirs.Add(kSumAsInt).Add(kTwice);
  EXPECT_THAT(
      taskqueue::TaskRegistry::Mismatches(ours.signatures(),
                                          theirs.signatures()),
      ElementsAre("task \"math.sum\" is math.sum(vector<f64>,f64)->f64 here "
                  "but math.sum(vector<f64>,f64)->i64 there"));
  EXPECT_THAT(
      taskqueue::TaskRegistry::Mismatches(ours.signatures(), ours.signatures()),
      ::testing::IsEmpty());
}

TEST(TaskRegistryTest, MissingNamesWhatTheOtherSideLacks) {
  taskqueue::TaskRegistry ours;
  ours.Add(kSum).Add(kRepeat);
  taskqueue::TaskRegistry theirs;
  theirs.Add(kSum).Add(kTwice);
  EXPECT_THAT(
      taskqueue::TaskRegistry::Missing(ours.signatures(), theirs.signatures()),
      ElementsAre(::testing::StartsWith("task \"text.repeat\" (")));
  // A side may know more than the other needs.
  taskqueue::TaskRegistry fewer;
  fewer.Add(kSum);
  EXPECT_THAT(
      taskqueue::TaskRegistry::Missing(fewer.signatures(), ours.signatures()),
      ::testing::IsEmpty());
}

}  // namespace
