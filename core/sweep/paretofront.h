#pragma once

#include "core/sweep/sweeppoint.h"

#include <cstddef>
#include <vector>

namespace hc {

// Which error a front trades against the ratio.
enum class ErrorMeasure { RelativeError, Mae };

// The non-dominated points of a sweep: no other point has a ratio at least as high and an error at
// least as low with one of the two strictly better. Of identical (ratio, error) points only the
// first (lowest index) is kept; points with a NaN error or ratio are never on the front.
class ParetoFront {
public:
    static double errorOf(const SweepPoint &p, ErrorMeasure measure);
    // Indices into `points`, sorted by ratio ascending (so the error rises along the list).
    static std::vector<std::size_t> compute(const std::vector<SweepPoint> &points, ErrorMeasure measure);
};

} // namespace hc
