// Gallery: the index.html beside the plots that lets a person step through a
// training run as pictures (a slider, buttons, the arrow keys, a Play button,
// and the full list of plots as links).
//
// Plain HTML with a small inline script and no external assets, so it works
// opened straight from disk; without JavaScript it still shows the last plot
// and links to every one. The page is also well-formed XML (XHTML syntax, a
// script with no `<` or `&`), which lets tests check it with an XML parser.
//
//   absl::Status s = WriteGallery(dir / "index.html", "Queued run", plots);
#ifndef TASKQUEUE_EXAMPLES_GALLERY_H_
#define TASKQUEUE_EXAMPLES_GALLERY_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "examples/written_plot.h"

namespace gradient_descent {

// The page, listing `plots` in iteration order (whatever order they come in:
// the queue's workers finish them in any order). Each link is `href_prefix`
// followed by the plot's file name, so a page may live in a parent directory
// of the plots (prefix "queued/").
std::string RenderGallery(absl::string_view title,
                          std::vector<WrittenPlot> plots,
                          absl::string_view href_prefix = "");

// Writes RenderGallery(...) to `path`. Fails as WriteTextFile (text_file.h)
// does, naming the path, when the file cannot be written.
absl::Status WriteGallery(const std::filesystem::path& path,
                          absl::string_view title,
                          std::vector<WrittenPlot> plots,
                          absl::string_view href_prefix = "");

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_GALLERY_H_
