#pragma once

#include "core/metrics/errormetrics.h"
#include "core/tensor/tensorview.h"

#include <cstddef>
#include <functional>

namespace hc {

// Shared machinery of the block-wise baselines (not a quantizer itself).
namespace blockquantization {

// Min and max over the tensor; false when it holds NaN or Inf. Parallel, deterministic.
bool scanFinite(const TensorView &w, int threads, double &minValue, double &maxValue);

// Quantizes block b (elements [b·blockSize, ...), n of them, as doubles) from `in` into `out`.
using BlockFunction = std::function<void(std::size_t block, const double *in, double *out, std::size_t n)>;

// Runs `quantize` over every contiguous block of `blockSize` elements (the last may be short),
// in parallel over chunks of whole blocks. Each restored value is rounded through the tensor's
// dtype, as a restored model file would hold it. Writes the restored values to `restored` when
// it is not null, and returns the error measures, combined in chunk order so that the result does
// not depend on the thread count.
ErrorMetrics run(const TensorView &w, std::size_t blockSize, int threads, double *restored,
                 const BlockFunction &quantize);

} // namespace blockquantization
} // namespace hc
