// Signatures name what decides the bytes, so two programs that would decode
// each other's bytes wrongly see different names.
#include "taskqueue/wire_type_name.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "caf/meta/type_name.hpp"
#include "gtest/gtest.h"

namespace {

struct Point {
  double x = 0;
  double y = 0;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Point& p) {
  return f(caf::meta::type_name("point"), p.x, p.y);
}

struct Tree {
  int32_t value = 0;
  std::vector<Tree> children;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Tree& t) {
  return f(caf::meta::type_name("tree"), t.value, t.children);
}

struct Opaque {
  int* pointer = nullptr;
};

enum class Color : uint8_t { kRed };

using taskqueue::IsWireType;
using taskqueue::WireTypeName;

TEST(WireTypeNameTest, Builtins) {
  EXPECT_EQ(WireTypeName<int32_t>(), "i32");
  EXPECT_EQ(WireTypeName<uint8_t>(), "u8");
  EXPECT_EQ(WireTypeName<double>(), "f64");
  EXPECT_EQ(WireTypeName<float>(), "f32");
  EXPECT_EQ(WireTypeName<bool>(), "bool");
  EXPECT_EQ(WireTypeName<const std::string>(), "string");
  EXPECT_EQ(WireTypeName<Color>(), "enum:u8");
}

TEST(WireTypeNameTest, Containers) {
  EXPECT_EQ(WireTypeName<std::vector<double>>(), "vector<f64>");
  EXPECT_EQ((WireTypeName<std::map<std::string, std::vector<int64_t>>>()),
            "map<string,vector<i64>>");
  EXPECT_EQ((WireTypeName<std::tuple<int16_t, std::string>>()),
            "tuple<i16,string>");
}

TEST(WireTypeNameTest, InspectableTypesNameTheirFields) {
  EXPECT_EQ(WireTypeName<Point>(), "point{f64,f64}");
  EXPECT_EQ(WireTypeName<std::vector<Point>>(), "vector<point{f64,f64}>");
  EXPECT_EQ(WireTypeName<Tree>(), "tree{i32,vector<^>}");
}

TEST(WireTypeNameTest, WhatCannotCrossTheWire) {
  static_assert(IsWireType<Point>);
  static_assert(IsWireType<std::vector<std::map<int, Point>>>);
  static_assert(!IsWireType<int*>);
  static_assert(!IsWireType<long double>);
  static_assert(!IsWireType<Opaque>);
  static_assert(!IsWireType<std::vector<Opaque>>);
}

}  // namespace
