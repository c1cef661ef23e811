// WriteToken: the secret that the pages' writes (retry, pause, resume,
// purge) need, so that a page anyone on the host can read cannot be used to
// change the queue.
//
//   WriteToken token(options.token.empty() ? WriteToken::Random() :
//   options.token); HttpResponse refusal; if (!token.Allows(request, &refusal))
//   return refusal;
//
// A request carries it as `Authorization: Bearer TOKEN` or
// `X-Taskqueue-Token: TOKEN`. Allows refuses 401 without one and 403 with
// another, in time that does not depend on where they differ. Immutable:
// thread-safe. The constructor throws std::invalid_argument for an empty
// token; Random() throws std::runtime_error if /dev/urandom cannot be read.
#ifndef TASKQUEUE_ACTORS_PAGES_WRITE_TOKEN_H_
#define TASKQUEUE_ACTORS_PAGES_WRITE_TOKEN_H_

#include <string>

#include "actors/http/http_server.h"

namespace taskqueue::internal {

class WriteToken {
 public:
  explicit WriteToken(std::string token);

  // 128 random bits in hex.
  static std::string Random();

  // Whether `request` carries the token; if not, `refusal` says why.
  bool Allows(const HttpRequest& request, HttpResponse* refusal) const;

  const std::string& value() const { return token_; }

 private:
  const std::string token_;
};

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_PAGES_WRITE_TOKEN_H_
