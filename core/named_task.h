// NamedTask: a task that can run on any worker, in this process or on a
// worker node in another one: a plain function under a stable name, whose
// arguments and result cross the wire by CAF type inspection (`inspect`).
//
// Declare it once, in a header that the program and its worker nodes both
// link, and register it where a node is built (task_registry.h):
//
//   double Loss(std::vector<double> weights, Batch batch);  // Batch: inspect()
//   inline constexpr taskqueue::NamedTask<&Loss> kLoss{"train.loss"};
//
//   q.add_task(kLoss, weights, batch);              // any worker
//   taskqueue::TaskFuture<double> f = q.submit(kLoss, weights, batch);
//
// The arguments are converted to the function's parameter types (decayed)
// when the task is added, so a call that does not fit fails to compile, and
// they are encoded then (wire_writer.h): a named task costs an encoding more
// than a closure, and never captures anything. A lambda that captures cannot
// be a NamedTask at all (it is no constant); one that captures nothing can,
// through `+[](int x) {...}`. Parameters and result must be wire types
// (wire_type_name.h); a function that does not qualify fails to compile with
// a message that says why.
//
// The name and the types make the task's signature, e.g.
// "train.loss(vector<f64>,batch{vector<f64>,i32})->f64": a node whose
// registry disagrees with the queue's on a signature is refused when it
// connects.
//
// Thread-safety: immutable; use one from any thread.
#ifndef TASKQUEUE_CORE_NAMED_TASK_H_
#define TASKQUEUE_CORE_NAMED_TASK_H_

#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "caf/error.hpp"
#include "taskqueue/named_task_errors.h"
#include "taskqueue/named_task_fwd.h"
#include "taskqueue/remote_call.h"
#include "taskqueue/task.h"
#include "taskqueue/wire_reader.h"
#include "taskqueue/wire_type_name.h"
#include "taskqueue/wire_writer.h"

namespace taskqueue {
namespace internal {

template <class Fn>
struct FunctionParts;
template <class R, class... Params>
struct FunctionParts<R (*)(Params...)> {
  using Result = R;
  using Arguments = std::tuple<std::decay_t<Params>...>;
};
template <class R, class... Params>
struct FunctionParts<R (*)(Params...) noexcept>
    : FunctionParts<R (*)(Params...)> {};

template <class T>
inline constexpr bool kIsWireResult = std::is_void_v<T> || IsWireType<T>;

template <class Tuple>
inline constexpr bool kAllWireTypes = false;
template <class... Ts>
inline constexpr bool kAllWireTypes<std::tuple<Ts...>> = (IsWireType<Ts> &&
                                                          ...);

template <class Tuple>
struct ArgumentNames;
template <class... Ts>
struct ArgumentNames<std::tuple<Ts...>> {
  static std::string Get() { return JoinedNames<Ts...>(); }
};

// Encodes `values`, all of them, or throws WireFormatError.
template <class... Ts>
std::vector<char> Encode(const Ts&... values) {
  std::vector<char> bytes;
  WireWriter writer(bytes);
  if (caf::error e = writer(values...)) {
    throw WireFormatError("cannot encode: " + caf::to_string(e));
  }
  return bytes;
}

// Decodes all of `bytes` into `values`, or throws WireFormatError.
template <class... Ts>
void Decode(std::string_view bytes, Ts&... values) {
  WireReader reader(bytes);
  caf::error e = reader(values...);
  if (!e && !reader.at_end()) {
    throw WireFormatError(std::to_string(reader.remaining()) +
                          " bytes left over after decoding");
  }
  if (e) throw WireFormatError("cannot decode: " + caf::to_string(e));
}

}  // namespace internal

template <auto Fn>
class NamedTask {
  static_assert(std::is_pointer_v<decltype(Fn)> &&
                    std::is_function_v<std::remove_pointer_t<decltype(Fn)>>,
                "taskqueue: a NamedTask is a pointer to a function (a lambda "
                "that captures nothing converts to one with a unary +)");

 public:
  using Parts = internal::FunctionParts<decltype(Fn)>;
  // What the function returns (may be void).
  using Result = typename Parts::Result;
  // Its parameters, decayed: what a task stores and sends.
  using Arguments = typename Parts::Arguments;

  static_assert(internal::kAllWireTypes<Arguments>,
                "taskqueue: every parameter of a named task must be a wire "
                "type (see wire_type_name.h)");
  static_assert(internal::kIsWireResult<Result>,
                "taskqueue: a named task must return void or a wire type (see "
                "wire_type_name.h)");

  // `name` must be a string literal or outlive every use of the task.
  constexpr explicit NamedTask(std::string_view name) : name_(name) {}

  std::string_view name() const { return name_; }

  // "name(arg types)->result type".
  std::string signature() const { return std::string(name_) + types(); }
  // "(arg types)->result type": what the signature says of the function.
  static const std::string& types() {
    static const std::string types =
        "(" + internal::ArgumentNames<Arguments>::Get() + ")->" + ResultName();
    return types;
  }

  // Runs the function here, on arguments a task has stored.
  Result operator()(Arguments arguments) const {
    return std::apply(Fn, std::move(arguments));
  }

  // As a worker node runs it: decodes `arguments`, runs the function and
  // returns its result encoded. Throws WireFormatError when the bytes do not
  // decode, and whatever the function throws.
  std::vector<char> RunEncoded(std::string_view arguments) const {
    Arguments decoded;
    std::apply([&](auto&... a) { internal::Decode(arguments, a...); }, decoded);
    if constexpr (std::is_void_v<Result>) {
      (*this)(std::move(decoded));
      return {};
    } else {
      return internal::Encode((*this)(std::move(decoded)));
    }
  }

 private:
  static std::string ResultName() {
    if constexpr (std::is_void_v<Result>) {
      return "void";
    } else {
      return WireTypeName<Result>();
    }
  }

  std::string_view name_;
};

namespace internal {

// `args` converted to the parameters of `Fn`'s NamedTask; arguments that do
// not convert fail to compile, with a message that says so.
template <auto Fn, class... Args>
typename NamedTask<Fn>::Arguments ConvertArguments(Args&&... args) {
  using Arguments = typename NamedTask<Fn>::Arguments;
  static_assert(std::is_constructible_v<Arguments, Args&&...>,
                "taskqueue: these arguments do not convert to the named "
                "task's parameters");
  return Arguments(std::forward<Args>(args)...);
}

// A task's arguments in the wire format, or WireFormatError.
template <class Tuple>
std::vector<char> EncodeArguments(const Tuple& args) {
  return std::apply([](const auto&... a) { return Encode(a...); }, args);
}

template <auto Fn, class Sink>
std::unique_ptr<RemoteCall> MakeRemoteCall(
    const NamedTask<Fn>& task, const typename NamedTask<Fn>::Arguments& args,
    Sink sink) {
  constexpr bool kDiscard = std::is_same_v<Sink, DiscardResult>;
  using Result = typename NamedTask<Fn>::Result;
  auto call = std::make_unique<RemoteCall>();
  call->name = task.name();
  call->types = &NamedTask<Fn>::types();
  call->arguments = EncodeArguments(args);
  // Decoded also when discarded: bytes that do not fit fail the task.
  call->complete = [sink = std::move(sink)](std::string_view result) {
    if constexpr (std::is_void_v<Result>) {
      Decode(result);
      if constexpr (!kDiscard) sink->set_value();
    } else {
      Result value{};
      Decode(result, value);
      if constexpr (!kDiscard) sink->set_value(std::move(value));
    }
  };
  return call;
}

}  // namespace internal
}  // namespace taskqueue

#endif  // TASKQUEUE_CORE_NAMED_TASK_H_
