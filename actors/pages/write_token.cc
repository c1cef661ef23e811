#include "actors/pages/write_token.h"

#include <fstream>
#include <stdexcept>
#include <utility>

#include "actors/pages/json_reply.h"

namespace taskqueue::internal {
namespace {

// Equal without saying where they differ, by how long it took.
bool SameToken(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char differ = 0;
  for (size_t i = 0; i < a.size(); ++i) differ |= a[i] ^ b[i];
  return differ == 0;
}

}  // namespace

WriteToken::WriteToken(std::string token) : token_(std::move(token)) {
  if (token_.empty()) {
    throw std::invalid_argument(
        "taskqueue: the HTTP pages need a token for writes");
  }
}

std::string WriteToken::Random() {
  std::ifstream random("/dev/urandom", std::ios::binary);
  unsigned char bytes[16] = {};
  random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
  if (!random) throw std::runtime_error("cannot read /dev/urandom");
  std::string token;
  for (unsigned char b : bytes) {
    const char* digits = "0123456789abcdef";
    token += digits[b >> 4];
    token += digits[b & 15];
  }
  return token;
}

bool WriteToken::Allows(const HttpRequest& request,
                        HttpResponse* refusal) const {
  std::string given;
  if (auto it = request.headers.find("x-taskqueue-token");
      it != request.headers.end()) {
    given = it->second;
  } else if (auto auth = request.headers.find("authorization");
             auth != request.headers.end() &&
             auth->second.rfind("Bearer ", 0) == 0) {
    given = auth->second.substr(7);
  }
  if (given.empty()) {
    *refusal = ErrorReply(401,
                          "writes need the token (Authorization: Bearer "
                          "TOKEN) printed when the pages started");
    return false;
  }
  if (!SameToken(given, token_)) {
    *refusal = ErrorReply(403, "not the token these pages were started with");
    return false;
  }
  return true;
}

}  // namespace taskqueue::internal
