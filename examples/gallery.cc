#include "examples/gallery.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "examples/text_file.h"
#include "examples/xml_escape.h"

namespace gradient_descent {
namespace {

constexpr absl::string_view kStyle = R"(<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
#controls { margin: 0.8em 0; }
#controls button { font-size: 1em; min-width: 5em; }
#slider { width: 28em; vertical-align: middle; }
#label { margin-left: 1em; font-weight: bold; }
#frame { max-width: 100%; border: 1px solid #ccc; }
#plots { columns: 4; }
</style>
)";

// The viewer: the list of links below is the single source of truth; the
// script only moves through it. No `<` or `&` in here: the page must stay
// well-formed XML (see gallery.h).
constexpr absl::string_view kScript = R"(<script>
(function () {
  var links = document.querySelectorAll('#plots a');
  var n = links.length;
  if (n === 0) return;
  var frame = document.getElementById('frame');
  var slider = document.getElementById('slider');
  var label = document.getElementById('label');
  var play = document.getElementById('play');
  var current = n - 1;
  var timer = null;
  function show(k) {
    current = Math.max(0, Math.min(n - 1, k));
    frame.src = links[current].getAttribute('href');
    frame.alt = links[current].textContent;
    slider.value = String(current);
    label.textContent =
        links[current].textContent + ' (' + (current + 1) + ' of ' + n + ')';
  }
  function stop() {
    if (timer === null) return;
    clearInterval(timer);
    timer = null;
    play.textContent = 'Play';
  }
  function start() {
    if (current === n - 1) show(0);
    play.textContent = 'Pause';
    timer = setInterval(function () {
      if (current === n - 1) {
        stop();
      } else {
        show(current + 1);
      }
    }, 300);
  }
  function stepTo(k) {
    stop();
    show(k);
  }
  document.getElementById('first').onclick = function () { stepTo(0); };
  document.getElementById('previous').onclick = function () {
    stepTo(current - 1);
  };
  document.getElementById('next').onclick = function () {
    stepTo(current + 1);
  };
  document.getElementById('last').onclick = function () { stepTo(n - 1); };
  play.onclick = function () {
    if (timer === null) {
      start();
    } else {
      stop();
    }
  };
  slider.oninput = function () { stepTo(Number(slider.value)); };
  document.onkeydown = function (event) {
    if (event.key === 'ArrowLeft') stepTo(current - 1);
    if (event.key === 'ArrowRight') stepTo(current + 1);
    if (event.key === 'Home') stepTo(0);
    if (event.key === 'End') stepTo(n - 1);
  };
  Array.prototype.forEach.call(links, function (link, k) {
    link.onclick = function (event) {
      event.preventDefault();
      stepTo(k);
      window.scrollTo(0, 0);
    };
  });
  show(n - 1);
})();
</script>
)";

}  // namespace

std::string RenderGallery(absl::string_view title,
                          std::vector<WrittenPlot> plots,
                          absl::string_view href_prefix) {
  std::sort(plots.begin(), plots.end(),
            [](const WrittenPlot& a, const WrittenPlot& b) {
              return a.iteration < b.iteration;
            });
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
      "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>",
      XmlEscape(title), "</title>\n", kStyle, "</head>\n<body>\n<h1>",
      XmlEscape(title), "</h1>\n");
  if (plots.empty()) {
    absl::StrAppend(&html, "<p>No plots were written.</p>\n");
  } else {
    std::string last =
        XmlEscape(absl::StrCat(href_prefix, plots.back().file_name));
    absl::StrAppend(
        &html, "<p>", plots.size(),
        " plots in training order. Step through them with the slider, the "
        "buttons or the arrow keys; Play runs through them all.</p>\n",
        "<div id=\"controls\">\n",
        "<button id=\"first\" type=\"button\">First</button>\n",
        "<button id=\"previous\" type=\"button\">Previous</button>\n",
        "<button id=\"play\" type=\"button\">Play</button>\n",
        "<button id=\"next\" type=\"button\">Next</button>\n",
        "<button id=\"last\" type=\"button\">Last</button>\n",
        "<input id=\"slider\" type=\"range\" min=\"0\" max=\"",
        plots.size() - 1, "\" value=\"", plots.size() - 1, "\"/>\n",
        "<span id=\"label\"></span>\n</div>\n", "<div><img id=\"frame\" src=\"",
        last, "\" alt=\"iteration ", plots.back().iteration, "\"/></div>\n");
  }
  absl::StrAppend(&html, "<h2>All plots</h2>\n<ol id=\"plots\">\n");
  for (const WrittenPlot& plot : plots) {
    absl::StrAppend(&html, "<li><a href=\"",
                    XmlEscape(absl::StrCat(href_prefix, plot.file_name)),
                    "\">iteration ", plot.iteration, "</a></li>\n");
  }
  absl::StrAppend(&html, "</ol>\n", kScript, "</body>\n</html>\n");
  return html;
}

absl::Status WriteGallery(const std::filesystem::path& path,
                          absl::string_view title,
                          std::vector<WrittenPlot> plots,
                          absl::string_view href_prefix) {
  return WriteTextFile(path,
                       RenderGallery(title, std::move(plots), href_prefix));
}

}  // namespace gradient_descent
