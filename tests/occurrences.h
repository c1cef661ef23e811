// How often a piece of text occurs in another (a log, an HTTP answer): what
// tests count to say "connected once" or "three events".
#ifndef TASKQUEUE_TESTS_OCCURRENCES_H_
#define TASKQUEUE_TESTS_OCCURRENCES_H_

#include <string>

namespace taskqueue_testing {

// Occurrences of `what` in `text`, overlapping ones included.
inline int Occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace taskqueue_testing

#endif  // TASKQUEUE_TESTS_OCCURRENCES_H_
