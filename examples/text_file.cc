#include "examples/text_file.h"

#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace gradient_descent {
namespace {

absl::Status WriteError(const std::filesystem::path& path, int error) {
  // A failed stdio call that left errno unset still failed.
  if (error == 0) error = EIO;
  return absl::ErrnoToStatus(error,
                             absl::StrCat("cannot write ", path.string()));
}

}  // namespace

absl::Status WriteTextFile(const std::filesystem::path& path,
                           absl::string_view content) {
  errno = 0;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return WriteError(path, errno);
  bool written =
      std::fwrite(content.data(), 1, content.size(), file) == content.size();
  int error = written ? 0 : errno;
  // fclose flushes: a full disk may show only here.
  if (std::fclose(file) != 0 && written) {
    written = false;
    error = errno;
  }
  if (!written) return WriteError(path, error);
  return absl::OkStatus();
}

}  // namespace gradient_descent
