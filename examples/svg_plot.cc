#include "examples/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "examples/dataset.h"
#include "examples/mlp.h"
#include "examples/xml_escape.h"

namespace gradient_descent {
namespace {

constexpr int kWidth = 960;
constexpr int kHeight = 450;
// Both panels start here; the data panel's size follows the data's aspect
// ratio (one unit is as long on both axes, or the moons would look squashed).
constexpr double kPanelTop = 92;
constexpr double kDataLeft = 70;
constexpr double kDataMaxWidth = 420;
constexpr double kDataMaxHeight = 280;
constexpr double kCurveLeft = 600;
constexpr double kCurveWidth = 300;
// Decision regions are drawn as square cells of this side, in data units.
constexpr double kCellSize = 0.1;
constexpr int kMaxCellsPerAxis = 200;
// The curves are drawn with at most this many vertices each.
constexpr int kMaxCurvePoints = 300;

constexpr absl::string_view kClassColor[2] = {"#1f77b4", "#ff7f0e"};
constexpr absl::string_view kLossColor = "#d62728";
constexpr absl::string_view kAccuracyColor = "#2ca02c";

struct Rgb {
  double r, g, b;
};
// Light versions of the class colours, for the decision regions.
constexpr Rgb kRegionColor[2] = {{198, 219, 239}, {253, 208, 162}};

// Maps a rectangle of data coordinates onto a rectangle of the picture (SVG's
// y axis points down).
struct Frame {
  double left, top, width, height;
  double x_min, x_max, y_min, y_max;

  double X(double x) const {
    return left + (x - x_min) / (x_max - x_min) * width;
  }
  double Y(double y) const {
    return top + (y_max - y) / (y_max - y_min) * height;
  }
  double bottom() const { return top + height; }
  double right() const { return left + width; }
};

// Pixel coordinates: a tenth of a pixel is finer than any screen shows.
std::string Px(double v) { return absl::StrFormat("%.1f", v); }

// A tick label: "-0.5", "0", "100".
std::string Number(double v) {
  if (std::abs(v) < 1e-9) v = 0;  // no "-0"
  return absl::StrFormat("%g", v);
}

void Text(std::string& svg, double x, double y, absl::string_view anchor,
          absl::string_view text, absl::string_view extra = "") {
  absl::StrAppend(&svg, "<text x=\"", Px(x), "\" y=\"", Px(y),
                  "\" text-anchor=\"", anchor, "\"", extra, ">",
                  XmlEscape(text), "</text>\n");
}

void Line(std::string& svg, double x1, double y1, double x2, double y2,
          absl::string_view stroke, absl::string_view extra = "") {
  absl::StrAppend(&svg, "<line x1=\"", Px(x1), "\" y1=\"", Px(y1), "\" x2=\"",
                  Px(x2), "\" y2=\"", Px(y2), "\" stroke=\"", stroke, "\"",
                  extra, "/>\n");
}

// A round tick spacing (1, 2 or 5 times a power of ten) giving at most
// `max_ticks` intervals over `span`.
double TickStep(double span, int max_ticks) {
  double raw = span / max_ticks;
  double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

std::vector<double> Ticks(double min, double max, double step) {
  std::vector<double> ticks;
  for (double t = std::ceil(min / step - 1e-9) * step; t <= max + 1e-9 * step;
       t += step) {
    ticks.push_back(t);
  }
  return ticks;
}

std::string RegionColor(double p) {
  // White where the network is unsure (p = 0.5), the class's light colour
  // where it is sure.
  int cls = p >= 0.5 ? 1 : 0;
  double t = std::abs(2 * p - 1);
  auto mix = [t](double c) { return static_cast<int>(255 + (c - 255) * t); };
  const Rgb& c = kRegionColor[cls];
  return absl::StrFormat("#%02x%02x%02x", mix(c.r), mix(c.g), mix(c.b));
}

// The segments where the sampled probability crosses 0.5, by marching
// squares, as one SVG path.
std::string BoundaryPath(const ProbabilityGrid& grid, const Frame& frame) {
  const Extent& e = grid.extent;
  auto x_at = [&](double column) {
    return frame.X(e.x1_min +
                   column * (e.x1_max - e.x1_min) / (grid.columns - 1));
  };
  auto y_at = [&](double row) {
    return frame.Y(e.x2_min + row * (e.x2_max - e.x2_min) / (grid.rows - 1));
  };
  std::string d;
  struct Point {
    double x, y;
  };
  for (int r = 0; r + 1 < grid.rows; ++r) {
    for (int c = 0; c + 1 < grid.columns; ++c) {
      double v00 = grid.at(c, r) - 0.5, v10 = grid.at(c + 1, r) - 0.5;
      double v01 = grid.at(c, r + 1) - 0.5, v11 = grid.at(c + 1, r + 1) - 0.5;
      // Where the boundary crosses each edge of the cell, in the order
      // bottom (row r), right, top (row r + 1), left.
      std::vector<Point> crossings;
      auto edge = [&](double a, double b, double c0, double r0, double c1,
                      double r1) {
        if ((a >= 0) == (b >= 0)) return;
        double t = a / (a - b);
        crossings.push_back(
            {x_at(c0 + t * (c1 - c0)), y_at(r0 + t * (r1 - r0))});
      };
      edge(v00, v10, c, r, c + 1, r);
      edge(v10, v11, c + 1, r, c + 1, r + 1);
      edge(v01, v11, c, r + 1, c + 1, r + 1);
      edge(v00, v01, c, r, c, r + 1);
      auto segment = [&](const Point& a, const Point& b) {
        absl::StrAppend(&d, "M", Px(a.x), " ", Px(a.y), "L", Px(b.x), " ",
                        Px(b.y));
      };
      if (crossings.size() == 2) {
        segment(crossings[0], crossings[1]);
      } else if (crossings.size() == 4) {
        // A saddle: the cell's centre decides which corners connect.
        bool centre_above = (v00 + v10 + v01 + v11) >= 0;
        if (centre_above == (v00 >= 0)) {
          segment(crossings[0], crossings[1]);
          segment(crossings[2], crossings[3]);
        } else {
          segment(crossings[0], crossings[3]);
          segment(crossings[1], crossings[2]);
        }
      }
    }
  }
  return d;
}

// `frame` shows `e`, the data's PlotExtent().
void DataPanel(std::string& svg, const TrainingSnapshot& snapshot,
               const Extent& e, const Frame& frame) {
  int columns = std::clamp(
      static_cast<int>(std::lround((e.x1_max - e.x1_min) / kCellSize)) + 1, 2,
      kMaxCellsPerAxis);
  int rows = std::clamp(
      static_cast<int>(std::lround((e.x2_max - e.x2_min) / kCellSize)) + 1, 2,
      kMaxCellsPerAxis);
  ProbabilityGrid grid = snapshot.model.Grid(e, columns, rows);

  // Decision regions: each cell shaded by the mean of its corners.
  double cell_w = frame.width / (columns - 1);
  double cell_h = frame.height / (rows - 1);
  absl::StrAppend(&svg, "<g shape-rendering=\"crispEdges\">\n");
  for (int r = 0; r + 1 < rows; ++r) {
    for (int c = 0; c + 1 < columns; ++c) {
      double p = (grid.at(c, r) + grid.at(c + 1, r) + grid.at(c, r + 1) +
                  grid.at(c + 1, r + 1)) /
                 4;
      // Cells overlap by a fraction of a pixel so no seams show between them.
      absl::StrAppend(&svg, "<rect x=\"", Px(frame.left + c * cell_w),
                      "\" y=\"", Px(frame.bottom() - (r + 1) * cell_h),
                      "\" width=\"", Px(cell_w + 0.5), "\" height=\"",
                      Px(cell_h + 0.5), "\" fill=\"", RegionColor(p), "\"/>\n");
    }
  }
  absl::StrAppend(&svg, "</g>\n");

  // Grid lines and ticks every 0.5 (the extent is a multiple of 0.5).
  constexpr double kTick = 0.5;
  absl::StrAppend(&svg, "<g font-size=\"11\" fill=\"#333\">\n");
  for (double t : Ticks(e.x1_min, e.x1_max, kTick)) {
    Line(svg, frame.X(t), frame.top, frame.X(t), frame.bottom(), "#ffffff",
         " stroke-opacity=\"0.6\"");
    Line(svg, frame.X(t), frame.bottom(), frame.X(t), frame.bottom() + 5,
         "#333");
    Text(svg, frame.X(t), frame.bottom() + 17, "middle", Number(t));
  }
  for (double t : Ticks(e.x2_min, e.x2_max, kTick)) {
    Line(svg, frame.left, frame.Y(t), frame.right(), frame.Y(t), "#ffffff",
         " stroke-opacity=\"0.6\"");
    Line(svg, frame.left - 5, frame.Y(t), frame.left, frame.Y(t), "#333");
    Text(svg, frame.left - 8, frame.Y(t) + 4, "end", Number(t));
  }
  absl::StrAppend(&svg, "</g>\n");

  // The boundary, then the points on top of everything.
  std::string boundary = BoundaryPath(grid, frame);
  if (!boundary.empty()) {
    absl::StrAppend(&svg, "<path id=\"decision-boundary\" d=\"", boundary,
                    "\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\" "
                    "stroke-linecap=\"round\"/>\n");
  }
  std::string ringed;
  for (int cls : {0, 1}) {
    absl::StrAppend(&svg, "<g class=\"points\" fill=\"", kClassColor[cls],
                    "\" stroke=\"#fff\" stroke-width=\"0.5\">\n");
    for (const LabeledPoint& p : snapshot.data->points) {
      if (p.label != cls) continue;
      std::string centre = absl::StrCat("cx=\"", Px(frame.X(p.x1)), "\" cy=\"",
                                        Px(frame.Y(p.x2)), "\"");
      if (snapshot.model.Classify(p.x1, p.x2) == cls) {
        absl::StrAppend(&svg, "<circle ", centre, " r=\"2.5\"/>\n");
      } else {
        // Ringed in black, in a group of its own drawn last.
        absl::StrAppend(&ringed, "<circle ", centre, " r=\"2.5\" fill=\"",
                        kClassColor[cls], "\"/>\n");
      }
    }
    absl::StrAppend(&svg, "</g>\n");
  }
  absl::StrAppend(&svg,
                  "<g class=\"points misclassified\" stroke=\"#000\" "
                  "stroke-width=\"1.2\">\n",
                  ringed, "</g>\n");

  absl::StrAppend(&svg, "<rect x=\"", Px(frame.left), "\" y=\"", Px(frame.top),
                  "\" width=\"", Px(frame.width), "\" height=\"",
                  Px(frame.height), "\" fill=\"none\" stroke=\"#333\"/>\n");
  Text(svg, frame.left + frame.width / 2, frame.top - 10, "middle",
       "Data and decision boundary", " font-weight=\"bold\"");
  Text(svg, frame.left + frame.width / 2, frame.bottom() + 36, "middle",
       "feature x1");
  Text(svg, frame.left - 40, frame.top + frame.height / 2, "middle",
       "feature x2",
       absl::StrCat(" transform=\"rotate(-90 ", Px(frame.left - 40), " ",
                    Px(frame.top + frame.height / 2), ")\""));
}

// At most kMaxCurvePoints vertices of (i, values[i]), the last one included.
std::string Polyline(const std::vector<double>& values, const Frame& frame) {
  std::string points;
  int n = static_cast<int>(values.size());
  int stride = std::max(1, (n + kMaxCurvePoints - 1) / kMaxCurvePoints);
  for (int i = 0; i < n; i += stride) {
    absl::StrAppend(&points, Px(frame.X(i)), ",", Px(frame.Y(values[i])), " ");
  }
  if (n > 0 && (n - 1) % stride != 0) {
    absl::StrAppend(&points, Px(frame.X(n - 1)), ",",
                    Px(frame.Y(values[n - 1])));
  }
  return points;
}

void CurvePanel(std::string& svg, const TrainingSnapshot& snapshot,
                const Mlp::Evaluation& now, double top, double height) {
  // The curves so far, ending at the model's current values.
  std::vector<double> loss = snapshot.loss_history;
  loss.push_back(now.loss);
  std::vector<double> accuracy = snapshot.accuracy_history;
  accuracy.push_back(now.accuracy);

  double x_max = std::max({1, snapshot.total_iterations, snapshot.iteration});
  // The loss axis reaches the highest loss so far (usually the first), so it
  // stays put from frame to frame.
  double highest = *std::max_element(loss.begin(), loss.end());
  double loss_step = TickStep(std::max(highest, 0.1), 5);
  double loss_max = std::ceil(highest / loss_step - 1e-9) * loss_step;
  if (loss_max <= 0) loss_max = loss_step;
  Frame loss_frame{kCurveLeft, top, kCurveWidth, height, 0, x_max, 0, loss_max};
  Frame accuracy_frame = loss_frame;
  accuracy_frame.y_min = 0;
  accuracy_frame.y_max = 1;

  absl::StrAppend(&svg, "<g font-size=\"11\" fill=\"#333\">\n");
  for (double t : Ticks(0, loss_max, loss_step)) {
    Line(svg, loss_frame.left, loss_frame.Y(t), loss_frame.right(),
         loss_frame.Y(t), "#e5e5e5");
    Line(svg, loss_frame.left - 5, loss_frame.Y(t), loss_frame.left,
         loss_frame.Y(t), "#333");
    Text(svg, loss_frame.left - 8, loss_frame.Y(t) + 4, "end", Number(t));
  }
  for (double t : Ticks(0, 1, 0.2)) {
    Line(svg, loss_frame.right(), accuracy_frame.Y(t), loss_frame.right() + 5,
         accuracy_frame.Y(t), "#333");
    Text(svg, loss_frame.right() + 8, accuracy_frame.Y(t) + 4, "start",
         absl::StrCat(Number(100 * t), "%"));
  }
  for (double t : Ticks(0, x_max, TickStep(x_max, 6))) {
    Line(svg, loss_frame.X(t), loss_frame.bottom(), loss_frame.X(t),
         loss_frame.bottom() + 5, "#333");
    Text(svg, loss_frame.X(t), loss_frame.bottom() + 17, "middle", Number(t));
  }
  absl::StrAppend(&svg, "</g>\n");

  absl::StrAppend(&svg,
                  "<polyline id=\"accuracy-curve\" fill=\"none\" stroke=\"",
                  kAccuracyColor,
                  "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" points=\"",
                  Polyline(accuracy, accuracy_frame), "\"/>\n");
  absl::StrAppend(&svg, "<polyline id=\"loss-curve\" fill=\"none\" stroke=\"",
                  kLossColor, "\" stroke-width=\"2\" points=\"",
                  Polyline(loss, loss_frame), "\"/>\n");
  double x = loss_frame.X(snapshot.iteration);
  absl::StrAppend(&svg, "<circle cx=\"", Px(x), "\" cy=\"",
                  Px(loss_frame.Y(now.loss)), "\" r=\"3.5\" fill=\"",
                  kLossColor, "\"/>\n");
  absl::StrAppend(&svg, "<circle cx=\"", Px(x), "\" cy=\"",
                  Px(accuracy_frame.Y(now.accuracy)), "\" r=\"3.5\" fill=\"",
                  kAccuracyColor, "\"/>\n");

  absl::StrAppend(&svg, "<rect x=\"", Px(loss_frame.left), "\" y=\"",
                  Px(loss_frame.top), "\" width=\"", Px(loss_frame.width),
                  "\" height=\"", Px(loss_frame.height),
                  "\" fill=\"none\" stroke=\"#333\"/>\n");
  Text(svg, loss_frame.left + loss_frame.width / 2, top - 10, "middle",
       "Training curves", " font-weight=\"bold\"");
  Text(svg, loss_frame.left + loss_frame.width / 2, loss_frame.bottom() + 36,
       "middle", "iteration (full-batch gradient steps)");
  double mid = top + height / 2;
  Text(svg, loss_frame.left - 45, mid, "middle", "loss (cross-entropy)",
       absl::StrCat(" fill=\"", kLossColor, "\" transform=\"rotate(-90 ",
                    Px(loss_frame.left - 45), " ", Px(mid), ")\""));
  Text(svg, loss_frame.right() + 48, mid, "middle", "accuracy",
       absl::StrCat(" fill=\"", kAccuracyColor, "\" transform=\"rotate(90 ",
                    Px(loss_frame.right() + 48), " ", Px(mid), ")\""));
}

void Legend(std::string& svg, double y) {
  absl::StrAppend(&svg, "<g font-size=\"12\" fill=\"#333\">\n");
  double x = kDataLeft;
  for (int cls : {0, 1}) {
    absl::StrAppend(&svg, "<circle cx=\"", Px(x + 4), "\" cy=\"", Px(y - 4),
                    "\" r=\"4\" fill=\"", kClassColor[cls], "\"/>\n");
    Text(svg, x + 13, y, "start", cls == 0 ? "class 0" : "class 1");
    x += 70;
  }
  absl::StrAppend(&svg, "<circle cx=\"", Px(x + 4), "\" cy=\"", Px(y - 4),
                  "\" r=\"4\" fill=\"#ccc\" stroke=\"#000\" "
                  "stroke-width=\"1.2\"/>\n");
  Text(svg, x + 13, y, "start", "misclassified");
  x += 105;
  Line(svg, x, y - 4, x + 20, y - 4, "#000", " stroke-width=\"2\"");
  Text(svg, x + 25, y, "start", "boundary P(class 1) = 0.5");

  x = kCurveLeft;
  Line(svg, x, y - 4, x + 20, y - 4, kLossColor, " stroke-width=\"2\"");
  Text(svg, x + 25, y, "start", "loss");
  x += 70;
  Line(svg, x, y - 4, x + 20, y - 4, kAccuracyColor,
       " stroke-width=\"1.5\" stroke-dasharray=\"5 3\"");
  Text(svg, x + 25, y, "start", "accuracy on the training set");
  absl::StrAppend(&svg, "</g>\n");
}

}  // namespace

std::string RenderSvgPlot(const TrainingSnapshot& snapshot) {
  const Dataset& data = *snapshot.data;
  Mlp::Evaluation now = snapshot.model.Evaluate(data);
  Extent e = PlotExtent(data);
  double scale = std::min(kDataMaxWidth / (e.x1_max - e.x1_min),
                          kDataMaxHeight / (e.x2_max - e.x2_min));
  Frame data_frame{kDataLeft,
                   kPanelTop,
                   scale * (e.x1_max - e.x1_min),
                   scale * (e.x2_max - e.x2_min),
                   e.x1_min,
                   e.x1_max,
                   e.x2_min,
                   e.x2_max};

  std::string svg = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"",
      kWidth, "\" height=\"", kHeight, "\" viewBox=\"0 0 ", kWidth, " ",
      kHeight,
      "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n");
  std::string title = absl::StrFormat(
      "Two moons, iteration %d of %d: loss %.4f, accuracy %.1f%%",
      snapshot.iteration, snapshot.total_iterations, now.loss,
      100 * now.accuracy);
  absl::StrAppend(&svg, "<title>", XmlEscape(title), "</title>\n");
  absl::StrAppend(&svg,
                  "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
  Text(svg, kWidth / 2.0, 30, "middle", title,
       " font-size=\"18\" font-weight=\"bold\"");
  Text(svg, kWidth / 2.0, 52, "middle",
       absl::StrFormat("%d points; network 2-%d-1, tanh hidden layer, "
                       "sigmoid output",
                       static_cast<int>(data.points.size()),
                       snapshot.model.hidden_units()),
       " fill=\"#555\"");
  DataPanel(svg, snapshot, e, data_frame);
  CurvePanel(svg, snapshot, now, data_frame.top, data_frame.height);
  Legend(svg, data_frame.bottom() + 68);
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace gradient_descent
