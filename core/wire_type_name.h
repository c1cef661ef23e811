// WireTypeName<T>(): how a type that crosses the wire is written in a named
// task's signature, e.g. "f64", "vector<string>", "point{f64,f64}".
//
// A worker node and the queue compare the signatures of their named tasks
// when the node connects (task_registry.h): two programs that disagree on a
// task's types refuse each other with both signatures in the error, instead
// of decoding garbage. So the name is made of what decides the bytes:
// fixed-size integers and floats by size ("i32", "u8", "f64"), strings,
// sequences, maps, tuples, and for a type with `inspect` the name it gives
// with caf::meta::type_name and the names of its fields, in order.
//
// IsWireType<T>: whether WireTypeName<T>, WireWriter and WireReader accept T.
// A pointer, a reference wrapper or a `long double` is not a wire type.
#ifndef TASKQUEUE_CORE_WIRE_TYPE_NAME_H_
#define TASKQUEUE_CORE_WIRE_TYPE_NAME_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "caf/meta/annotation.hpp"
#include "caf/meta/type_name.hpp"

namespace taskqueue {
namespace internal {

template <class T>
concept WireSequence = requires(T& x) {
  typename T::value_type;
  x.begin();
  x.end();
  x.size();
}
&&!std::is_same_v<T, std::string>;

template <class T>
concept WireMap = WireSequence<T> && requires {
  typename T::mapped_type;
};

template <class T>
concept WireTuple = requires {
  std::tuple_size<T>::value;
}
&&!WireSequence<T>;

class FieldNames;

template <class T>
concept WireInspectable =
    std::is_class_v<T> && !WireSequence<T> && !WireTuple<T> &&
    std::is_default_constructible_v<T> && requires(FieldNames & f, T& x) {
  inspect(f, x);
};

}  // namespace internal

template <class T>
std::string WireTypeName();

template <class T>
inline constexpr bool IsWireType = [] {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<U, bool> || std::is_same_v<U, std::string>) {
    return true;
  } else if constexpr (std::is_floating_point_v<U>) {
    return !std::is_same_v<U, long double>;
  } else if constexpr (std::is_integral_v<U> || std::is_enum_v<U>) {
    return true;
  } else if constexpr (internal::WireMap<U>) {
    return IsWireType<typename U::key_type> &&
           IsWireType<typename U::mapped_type>;
  } else if constexpr (internal::WireSequence<U>) {
    return IsWireType<typename U::value_type>;
  } else if constexpr (internal::WireTuple<U>) {
    return []<size_t... I>(std::index_sequence<I...>) {
      return (IsWireType<std::tuple_element_t<I, U>> && ...);
    }
    (std::make_index_sequence<std::tuple_size_v<U>>());
  } else {
    return internal::WireInspectable<U>;
  }
}();

namespace internal {

// The inspector WireTypeName runs a default-constructed value through: it
// records the caf::meta::type_name annotation and each field's WireTypeName.
class FieldNames {
 public:
  using result_type = void;
  static constexpr bool reads_state = true;
  static constexpr bool writes_state = false;

  template <class... Ts>
  void operator()(Ts&&... xs) {
    (Add(xs), ...);
  }

  std::string Joined() const { return type_name_ + "{" + fields_ + "}"; }

 private:
  template <class T>
  void Add(const T& x) {
    if constexpr (std::is_same_v<T, caf::meta::type_name_t>) {
      type_name_ = x.value;
    } else if constexpr (std::is_base_of_v<caf::meta::annotation, T>) {
      // Other annotations (hex_formatted, omittable...) change no bytes.
    } else {
      if (!fields_.empty()) fields_ += ",";
      fields_ += WireTypeName<std::remove_cv_t<T>>();
    }
  }

  std::string type_name_;
  std::string fields_;
};

// Types whose name is being written on this thread: a type that contains
// itself (a tree node holding a vector of nodes) is named "^" the second
// time, instead of recursing for ever.
inline thread_local std::vector<const std::type_info*> types_being_named;

template <class... Ts>
std::string JoinedNames() {
  std::string names;
  ((names += (names.empty() ? "" : ",") + WireTypeName<Ts>()), ...);
  return names;
}

template <class T, size_t... I>
std::string TupleNames(std::index_sequence<I...>) {
  return JoinedNames<std::tuple_element_t<I, T>...>();
}

}  // namespace internal

template <class T>
std::string WireTypeName() {
  using U = std::remove_cv_t<T>;
  static_assert(IsWireType<U>,
                "taskqueue: this type cannot cross the wire: give it an "
                "inspect() overload (CAF type inspection), or use integers, "
                "float/double, bool, std::string, containers and tuples of "
                "them");
  if constexpr (std::is_same_v<U, bool>) {
    return "bool";
  } else if constexpr (std::is_same_v<U, std::string>) {
    return "string";
  } else if constexpr (std::is_floating_point_v<U>) {
    return "f" + std::to_string(8 * sizeof(U));
  } else if constexpr (std::is_enum_v<U>) {
    return "enum:" + WireTypeName<std::underlying_type_t<U>>();
  } else if constexpr (std::is_integral_v<U>) {
    return (std::is_signed_v<U> ? "i" : "u") + std::to_string(8 * sizeof(U));
  } else if constexpr (internal::WireMap<U>) {
    return "map<" +
           internal::JoinedNames<typename U::key_type,
                                 typename U::mapped_type>() +
           ">";
  } else if constexpr (internal::WireSequence<U>) {
    return "vector<" + WireTypeName<typename U::value_type>() + ">";
  } else if constexpr (internal::WireTuple<U>) {
    return "tuple<" +
           internal::TupleNames<U>(
               std::make_index_sequence<std::tuple_size_v<U>>()) +
           ">";
  } else {
    auto& stack = internal::types_being_named;
    for (const std::type_info* t : stack) {
      if (*t == typeid(U)) return "^";
    }
    stack.push_back(&typeid(U));
    U value{};
    internal::FieldNames names;
    inspect(names, value);
    stack.pop_back();
    return names.Joined();
  }
}

}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_WIRE_TYPE_NAME_H_
