#include "tools/host_port/host_port.h"

#include "absl/strings/numbers.h"

namespace taskqueue_tools {

bool ParseHostPort(std::string_view text, std::string* host, uint16_t* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view name = text.substr(0, colon);
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  std::string_view digits = text.substr(colon + 1);
  uint32_t value = 0;
  // Debian's Abseil has a string_view of its own, not std::string_view.
  if (!absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()),
                        &value) ||
      value == 0 || value > 65535) {
    return false;
  }
  *host = std::string(name);
  *port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace taskqueue_tools
