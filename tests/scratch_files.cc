#include "tests/scratch_files.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace taskqueue_testing {

std::filesystem::path FreshTestDir(const std::string& name) {
  std::string dir_name = name;
  if (dir_name.empty()) {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    dir_name = std::string(info->test_suite_name()) + "." + info->name();
    // Parameterized tests have a '/' in their names.
    for (char& c : dir_name) {
      if (c == '/') c = '_';
    }
  }
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / dir_name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::set<std::string> FileNamesIn(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

CapturedStream::CapturedStream() : file_(std::tmpfile()) {}

CapturedStream::~CapturedStream() {
  if (file_ != nullptr) std::fclose(file_);
}

std::string CapturedStream::Read() const {
  std::fflush(file_);
  std::rewind(file_);
  std::string content;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) {
    content.append(buffer, n);
  }
  return content;
}

}  // namespace taskqueue_testing
