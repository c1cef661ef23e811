// Files for tests: a fresh directory per test, reading a file back whole,
// listing a directory, and a stream to capture output in.
#ifndef TASKQUEUE_TESTS_SCRATCH_FILES_H_
#define TASKQUEUE_TESTS_SCRATCH_FILES_H_

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

namespace taskqueue_testing {

// An empty directory under the test's temporary directory, named `name` or,
// when `name` is empty, after the running test (suite and name). Removes what
// an earlier run left there.
std::filesystem::path FreshTestDir(const std::string& name = "");

// The whole content of `path`; empty if it cannot be read.
std::string ReadWholeFile(const std::filesystem::path& path);

// The names of the entries of `dir` (not their paths), sorted.
std::set<std::string> FileNamesIn(const std::filesystem::path& dir);

// A stream backed by a temporary file, for code that writes to a FILE*, read
// back whole. Not thread-safe.
class CapturedStream {
 public:
  CapturedStream();
  ~CapturedStream();
  CapturedStream(const CapturedStream&) = delete;
  CapturedStream& operator=(const CapturedStream&) = delete;

  // Null if no temporary file could be made.
  std::FILE* get() const { return file_; }
  // Everything written so far.
  std::string Read() const;

 private:
  std::FILE* file_;
};

}  // namespace taskqueue_testing

#endif  // TASKQUEUE_TESTS_SCRATCH_FILES_H_
