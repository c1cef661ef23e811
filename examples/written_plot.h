// WrittenPlot: the record of one plot file that made it to disk, what the
// gallery lists and the run report counts.
#ifndef TASKQUEUE_EXAMPLES_WRITTEN_PLOT_H_
#define TASKQUEUE_EXAMPLES_WRITTEN_PLOT_H_

#include <set>
#include <string>
#include <vector>

namespace gradient_descent {

struct WrittenPlot {
  // The snapshot's iteration: gradient steps taken before it was plotted.
  int iteration = 0;
  // The file's name inside the directory it was written to.
  std::string file_name;
};

// The plots' file names, as a set: what a listing of their directory shows.
inline std::set<std::string> FileNamesOf(
    const std::vector<WrittenPlot>& plots) {
  std::set<std::string> names;
  for (const WrittenPlot& plot : plots) names.insert(plot.file_name);
  return names;
}

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_WRITTEN_PLOT_H_
