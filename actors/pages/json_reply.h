// JSON answers of the HTTP pages (http_server.h): a body, or an error whose
// body says why, so every page answers alike.
//
//   if (!found) return ErrorReply(404, "no task " + id);
//   return JsonReply(200, TaskJson(task));
//   return IfMethodAllowed(method == "GET", request, path, [] { ... });
#ifndef TASKQUEUE_ACTORS_PAGES_JSON_REPLY_H_
#define TASKQUEUE_ACTORS_PAGES_JSON_REPLY_H_

#include <string>

#include "actors/http/http_server.h"

namespace taskqueue::internal {

// `body` (JSON) as application/json, with a final newline.
HttpResponse JsonReply(int status, std::string body);
// {"error": why}.
HttpResponse ErrorReply(int status, const std::string& why);

// answer() when `allowed` (the request's method is one `path` takes), else
// 405 naming the method and the path.
template <class Answer>
HttpResponse IfMethodAllowed(bool allowed, const HttpRequest& request,
                             const std::string& path, Answer answer) {
  if (allowed) return answer();
  return ErrorReply(405, request.method + " is not allowed on " + path);
}

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_PAGES_JSON_REPLY_H_
