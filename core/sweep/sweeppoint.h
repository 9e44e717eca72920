#pragma once

#include "core/codec/codecparams.h"
#include "core/metrics/errormetrics.h"

#include <cstdint>

namespace hc {

// One evaluated grid point, for one tensor or totalled over a model.
struct SweepPoint {
    CodecParams params;      // the grid point as given (box in the grid's BoxMode units)
    double absoluteBox = 0;  // the l the codec used; 0 for a model total in Sigma mode (it varies by layer)
    int bits = 0;            // index width b (a model total: the widest)
    double bitsPerWeight = 0; // 8 · bytesOut / numel over the compressed elements (metadata included)
    double ratio = 0;        // bytesIn / bytesOut
    ErrorMetrics metrics;    // over the compressed elements
    int classesUsed = 0;     // K the codec ended with (a model total: the largest)
    std::uint64_t numel = 0;    // compressed elements
    std::uint64_t bytesIn = 0;  // original bytes (a model total: raw tensors included)
    std::uint64_t bytesOut = 0; // packed indices + metadata estimate (a model total: raw tensors included)
};

} // namespace hc
