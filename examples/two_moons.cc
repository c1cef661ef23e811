#include "examples/two_moons.h"

#include <cmath>
#include <numbers>
#include <random>

namespace gradient_descent {
namespace {

// Uniform in (0, 1), from the engine's exactly specified 32-bit output.
double Uniform(std::mt19937& rng) { return (rng() + 0.5) / 4294967296.0; }

// Standard normal by the Box-Muller transform (one of the pair is dropped:
// simpler than caching, and speed does not matter here).
double Gaussian(std::mt19937& rng) {
  double u1 = Uniform(rng);
  double u2 = Uniform(rng);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

}  // namespace

Dataset MakeTwoMoons(const TwoMoonsOptions& options) {
  std::mt19937 rng(options.seed);
  Dataset data;
  int n = options.points_per_moon;
  data.points.reserve(2 * n);
  for (int i = 0; i < n; ++i) {
    double t = n > 1 ? std::numbers::pi * i / (n - 1) : 0;
    data.points.push_back({.x1 = std::cos(t) + options.noise * Gaussian(rng),
                           .x2 = std::sin(t) + options.noise * Gaussian(rng),
                           .label = 0});
    data.points.push_back(
        {.x1 = 1 - std::cos(t) + options.noise * Gaussian(rng),
         .x2 = 0.5 - std::sin(t) + options.noise * Gaussian(rng),
         .label = 1});
  }
  return data;
}

}  // namespace gradient_descent
