#include "tests/remote/test_tasks.h"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace taskqueue_test {

int64_t Square(int64_t i, int32_t micros) {
  if (micros > 0) {
    std::this_thread::sleep_for(std::chrono::microseconds(micros));
  }
  return i * i + 1;
}

int32_t Fail(std::string why) { throw std::invalid_argument(why); }

double Echo(double x) { return x; }

int32_t Abort(int32_t code) { std::_Exit(code); }

std::string Repeat(std::string text, int32_t times) {
  std::string all;
  for (int32_t i = 0; i < times; ++i) all += text;
  return all;
}

std::shared_ptr<taskqueue::TaskRegistry> TestRegistry() {
  auto registry = std::make_shared<taskqueue::TaskRegistry>();
  registry->Add(kSquare).Add(kFail).Add(kEcho).Add(kAbort).Add(kRepeat);
  return registry;
}

}  // namespace taskqueue_test
