// The dashboard page (dashboard.html), compiled into the binary: one
// self-contained HTML file whose script reads the pages' JSON API
// (server_pages.h, queue_pages.h) and their event stream; no asset is
// fetched from elsewhere.
#ifndef TASKQUEUE_ACTORS_PAGES_DASHBOARD_HTML_H_
#define TASKQUEUE_ACTORS_PAGES_DASHBOARD_HTML_H_

namespace taskqueue::internal {

extern const char kDashboardHtml[];

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_PAGES_DASHBOARD_HTML_H_
