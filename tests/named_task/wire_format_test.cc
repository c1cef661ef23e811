// The wire format of named tasks' arguments and results: values come back
// bit for bit, and bytes from elsewhere never crash the reader.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "caf/meta/type_name.hpp"
#include "gtest/gtest.h"
#include "taskqueue/wire_reader.h"
#include "taskqueue/wire_writer.h"

namespace {

struct Sample {
  std::string label;
  std::vector<double> values;
  std::map<std::string, int32_t> counts;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Sample& x) {
  return f(caf::meta::type_name("sample"), x.label, x.values, x.counts);
}

template <class... Ts>
std::vector<char> Write(Ts... values) {
  std::vector<char> bytes;
  taskqueue::WireWriter writer(bytes);
  caf::error e = writer(values...);
  EXPECT_FALSE(e) << caf::to_string(e);
  return bytes;
}

template <class T>
T RoundTrip(T value) {
  std::vector<char> bytes = Write(value);
  taskqueue::WireReader reader(bytes);
  T back{};
  caf::error e = reader(back);
  EXPECT_FALSE(e) << caf::to_string(e);
  EXPECT_TRUE(reader.at_end());
  return back;
}

TEST(WireFormatTest, FloatsComeBackBitForBit) {
  const std::vector<double> doubles = {
      std::numeric_limits<double>::quiet_NaN(),
      -std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::signaling_NaN(),
      std::bit_cast<double>(uint64_t{0x7ff0000000000abc}),  // NaN payload.
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(),
      -0.0,
      0.0,
      std::numeric_limits<double>::denorm_min(),
      std::numeric_limits<double>::max(),
      0.1,
  };
  for (double d : doubles) {
    EXPECT_EQ(std::bit_cast<uint64_t>(RoundTrip(d)), std::bit_cast<uint64_t>(d))
        << d;
  }
  const std::vector<float> floats = {std::numeric_limits<float>::quiet_NaN(),
                                     std::bit_cast<float>(uint32_t{0xffc00123}),
                                     -std::numeric_limits<float>::infinity(),
                                     -0.0f, 1.5f};
  for (float f : floats) {
    EXPECT_EQ(std::bit_cast<uint32_t>(RoundTrip(f)), std::bit_cast<uint32_t>(f))
        << f;
  }
  std::vector<double> back = RoundTrip(doubles);
  ASSERT_EQ(back.size(), doubles.size());
  for (size_t i = 0; i < doubles.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(back[i]),
              std::bit_cast<uint64_t>(doubles[i]));
  }
}

TEST(WireFormatTest, IntegersStringsAndContainers) {
  EXPECT_EQ(RoundTrip(std::numeric_limits<int64_t>::min()),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(RoundTrip(int8_t{-1}), -1);
  EXPECT_EQ(RoundTrip(std::numeric_limits<uint64_t>::max()),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(RoundTrip(true), true);
  EXPECT_EQ(RoundTrip(std::string("a\0b", 3)), std::string("a\0b", 3));
  EXPECT_EQ(RoundTrip(std::u32string(U"\U0001F600x")), U"\U0001F600x");
  std::string big(300000, 'x');  // A size that takes three varint bytes.
  EXPECT_EQ(RoundTrip(big), big);
  auto nested = std::vector<std::vector<std::string>>{{"a", ""}, {}, {"b"}};
  EXPECT_EQ(RoundTrip(nested), nested);
  auto pair = std::make_tuple(int32_t{7}, std::string("seven"), 7.0);
  EXPECT_EQ(RoundTrip(pair), pair);
}

TEST(WireFormatTest, InspectableTypes) {
  Sample s{"loss", {1.0, std::nan("")}, {{"a", 1}, {"b", -2}}};
  Sample back = RoundTrip(s);
  EXPECT_EQ(back.label, s.label);
  EXPECT_EQ(back.counts, s.counts);
  ASSERT_EQ(back.values.size(), 2u);
  EXPECT_EQ(back.values[0], 1.0);
  EXPECT_TRUE(std::isnan(back.values[1]));
}

TEST(WireFormatTest, IntegersAreBigEndian) {
  std::vector<char> bytes = Write(uint32_t{0x01020304});
  EXPECT_EQ(bytes, (std::vector<char>{1, 2, 3, 4}));
}

TEST(WireFormatTest, LongDoubleIsRefused) {
  std::vector<char> bytes;
  taskqueue::WireWriter writer(bytes);
  long double x = 1;
  EXPECT_TRUE(writer(x));
}

TEST(WireFormatTest, EveryTruncationIsAnErrorNotACrash) {
  Sample s{"truncate me", {1, 2, 3}, {{"k", 9}}};
  std::vector<char> bytes = Write(s);
  for (size_t n = 0; n < bytes.size(); ++n) {
    taskqueue::WireReader reader(std::string_view(bytes.data(), n));
    Sample back;
    EXPECT_TRUE(reader(back)) << "accepted " << n << " of " << bytes.size();
  }
}

TEST(WireFormatTest, ForgedSizesAreRefusedBeforeAllocating) {
  // A sequence claiming 2^62 elements, with a few bytes behind it.
  std::vector<char> huge = {'\x80', '\x80', '\x80', '\x80', '\x80', '\x80',
                            '\x80', '\x80', '\x40', 'a',    'b'};
  {
    taskqueue::WireReader reader(huge);
    std::vector<double> v;
    EXPECT_TRUE(reader(v));
    EXPECT_TRUE(v.empty());
  }
  {
    taskqueue::WireReader reader(huge);
    std::string s;
    EXPECT_TRUE(reader(s));
  }
  // A varint that never ends, and one longer than 64 bits.
  std::vector<char> endless(20, '\xff');
  taskqueue::WireReader reader(endless);
  std::string s;
  EXPECT_TRUE(reader(s));
}

TEST(WireFormatTest, RandomBytesNeverCrash) {
  uint64_t state = 42;
  for (int round = 0; round < 2000; ++round) {
    std::vector<char> bytes(round % 64);
    for (char& c : bytes) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      c = static_cast<char>(state >> 56);
    }
    taskqueue::WireReader reader(bytes);
    Sample s;
    std::vector<std::string> v;
    (void)reader(s, v);  // Anything but a crash, a hang or a huge allocation.
  }
}

}  // namespace
