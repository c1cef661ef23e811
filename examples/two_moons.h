// Two moons: the example's training set, two interleaved half-circles of
// noisy points, one per class, generated in code from a seed.
//
// No straight line separates the moons (the best one gets about 88% of the
// default set right), so a classifier that gets them right has learned a
// curved boundary: small enough to train in a fraction of a second, not
// trivial.
//
//   Dataset data = MakeTwoMoons(TwoMoonsOptions{.seed = 7});
//
// Deterministic: the same options give the same points. std::mt19937's output
// is specified exactly and the noise is computed from it here, not by the
// implementation-defined std:: distributions, so across platforms only the
// math library's last bits (std::cos, std::log) can differ.
#ifndef TASKQUEUE_EXAMPLES_TWO_MOONS_H_
#define TASKQUEUE_EXAMPLES_TWO_MOONS_H_

#include <cstdint>

#include "examples/dataset.h"

namespace gradient_descent {

struct TwoMoonsOptions {
  // Points in each moon; the dataset has twice as many. Default: 500.
  int points_per_moon = 500;
  // Standard deviation of the Gaussian noise added to each coordinate; the
  // moons have radius 1. Default: 0.15 (the moons touch, but barely).
  double noise = 0.15;
  // Default: 1.
  uint32_t seed = 1;
};

// The upper moon (label 0) is centred on (0, 0), the lower one (label 1) on
// (1, 0.5); the points of the two alternate.
Dataset MakeTwoMoons(const TwoMoonsOptions& options);

}  // namespace gradient_descent

#endif  // TASKQUEUE_EXAMPLES_TWO_MOONS_H_
