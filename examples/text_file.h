// WriteTextFile: writes a whole file at once, with an error that names the
// file and the operating system's reason, for the plots and their gallery.
#ifndef TASKQUEUE_EXAMPLES_TEXT_FILE_H_
#define TASKQUEUE_EXAMPLES_TEXT_FILE_H_

#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gradient_descent {

// Creates or replaces `path` with `content`. On failure returns the status for
// the OS error (absl::ErrnoToStatus: kNotFound for a missing directory,
// kPermissionDenied, ...) with the message "cannot write <path>: <reason>".
// Thread-safe for distinct paths.
absl::Status WriteTextFile(const std::filesystem::path& path,
                           absl::string_view content);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_TEXT_FILE_H_
