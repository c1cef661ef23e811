#include "examples/output_dir.h"

#include <string>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;

absl::Status FromErrorCode(const std::error_code& error,
                           absl::string_view doing) {
  return absl::ErrnoToStatus(error.value(), doing);
}

// Creates `dir` and its parents unless it is a directory already; `name` is
// how messages call it.
absl::Status MakeDirectory(const fs::path& dir, absl::string_view name) {
  std::error_code error;
  bool exists = fs::exists(dir, error);
  if (error) return FromErrorCode(error, absl::StrCat("cannot check ", name));
  if (exists && !fs::is_directory(dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is not a directory"));
  }
  if (!exists) {
    fs::create_directories(dir, error);
    if (error) {
      return FromErrorCode(error, absl::StrCat("cannot create ", name));
    }
  }
  return absl::OkStatus();
}

// Named as PlotWriter::FileName() names plots: plot_<6 digits>.svg.
bool IsPlotFileName(absl::string_view name) {
  constexpr absl::string_view kPrefix = "plot_";
  constexpr absl::string_view kSuffix = ".svg";
  if (!absl::StartsWith(name, kPrefix) || !absl::EndsWith(name, kSuffix)) {
    return false;
  }
  absl::string_view digits = name.substr(
      kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (digits.size() != 6) return false;
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<fs::path> PrepareOutDir(absl::string_view flag,
                                       absl::string_view working_dir) {
  fs::path dir{std::string(flag)};
  if (dir.is_relative()) {
    std::error_code error;
    fs::path base = working_dir.empty() ? fs::current_path(error)
                                        : fs::path(std::string(working_dir));
    if (error) {
      return FromErrorCode(error, "cannot find the current directory");
    }
    dir = base / dir;
  }
  dir = dir.lexically_normal();
  if (absl::Status made =
          MakeDirectory(dir, absl::StrCat("--out_dir=", dir.string()));
      !made.ok()) {
    return made;
  }
  return dir;
}

absl::StatusOr<fs::path> PreparePlotDir(const fs::path& out_dir,
                                        absl::string_view run_name) {
  fs::path dir = out_dir / std::string(run_name);
  if (absl::Status made = MakeDirectory(dir, dir.string()); !made.ok()) {
    return made;
  }
  std::error_code error;
  fs::directory_iterator it(dir, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    if (IsPlotFileName(it->path().filename().string()) &&
        it->is_regular_file(error)) {
      fs::remove(it->path(), error);
    }
  }
  if (error) {
    return FromErrorCode(
        error, absl::StrCat("cannot remove old plots from ", dir.string()));
  }
  return dir;
}

}  // namespace gradient_descent
