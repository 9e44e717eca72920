#pragma once

#include "core/metrics/errormetrics.h"

#include <string>

namespace hc {

// What a baseline quantizer achieved on one tensor, to set beside the codec's own figures.
// bitsPerWeight is the honest storage cost: code bits plus the share of every per-group scale,
// zero point or absmax.
struct BaselineResult {
    std::string name;          // "RTN 4.5-bit g64", "NF4 b64", ...
    double bitsPerWeight = 0;
    ErrorMetrics metrics;
};

} // namespace hc
