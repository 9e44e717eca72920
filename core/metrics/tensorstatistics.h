#pragma once

#include "core/tensor/tensorview.h"

#include <cstdint>

namespace hc {

// Summary statistics of one tensor, for the layer table and `hypercomp inspect`.
// Reentrant; uses up to `threads` threads.
struct TensorStatistics {
    std::uint64_t count = 0;
    double mean = 0;
    double stddev = 0;         // population σ
    double excessKurtosis = 0; // 0 for a Gaussian; large for heavy tails
    double minimum = 0, maximum = 0;
    double absMax = 0;
    bool finite = true;        // no NaN or Inf
    double pairCentreX = 0, pairCentreY = 0; // the codec's centroid c of the pairs

    static TensorStatistics compute(const TensorView &w, int threads = 0);
    // Share of pairs outside the centre box of side `box` around the pairs' centroid (ALGORITHM.md §1 step 4).
    static double outerShare(const TensorView &w, double box, double centreX, double centreY, int threads = 0);
};

} // namespace hc
