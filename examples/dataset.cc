#include "examples/dataset.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gradient_descent {
namespace {

constexpr double kMargin = 0.1;
constexpr double kTickStep = 0.5;

}  // namespace

Extent PlotExtent(const Dataset& data) {
  if (data.points.empty()) return Extent{};
  double inf = std::numeric_limits<double>::infinity();
  Extent e{.x1_min = inf, .x1_max = -inf, .x2_min = inf, .x2_max = -inf};
  for (const LabeledPoint& p : data.points) {
    e.x1_min = std::min(e.x1_min, p.x1);
    e.x1_max = std::max(e.x1_max, p.x1);
    e.x2_min = std::min(e.x2_min, p.x2);
    e.x2_max = std::max(e.x2_max, p.x2);
  }
  auto down = [](double v) {
    return std::floor((v - kMargin) / kTickStep) * kTickStep;
  };
  auto up = [](double v) {
    return std::ceil((v + kMargin) / kTickStep) * kTickStep;
  };
  return Extent{.x1_min = down(e.x1_min),
                .x1_max = up(e.x1_max),
                .x2_min = down(e.x2_min),
                .x2_max = up(e.x2_max)};
}

}  // namespace gradient_descent
