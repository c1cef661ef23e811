#include "actors/pages/json_reply.h"

#include <utility>

#include "actors/server/task_json.h"

namespace taskqueue::internal {

HttpResponse JsonReply(int status, std::string body) {
  return {.status = status,
          .content_type = "application/json",
          .body = std::move(body) + "\n"};
}

HttpResponse ErrorReply(int status, const std::string& why) {
  return JsonReply(status, "{\"error\":" + JsonString(why) + "}");
}

}  // namespace taskqueue::internal
