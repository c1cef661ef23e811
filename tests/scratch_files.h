// Files for tests: a fresh directory per test, reading a file back whole, and
// listing a directory.
#ifndef TASKQUEUE_TESTS_SCRATCH_FILES_H_
#define TASKQUEUE_TESTS_SCRATCH_FILES_H_

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

}  // namespace taskqueue_testing

#endif  // TASKQUEUE_TESTS_SCRATCH_FILES_H_
