#pragma once

#include "core/tensor/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hc {

// Everything the decoder needs for one compressed tensor (ALGORITHM.md §1, "Per tensor the
// decoder needs"), plus the unpacked indices. `packed()` gives the archive's bit-stream.
struct EncodedTensor {
    std::vector<std::int64_t> shape;
    DType dtype = DType::F32;
    std::uint64_t numel = 0;  // N, real elements (padding excluded)
    int samples = 0;          // U
    double box = 0;           // l
    int classes = 0;          // K actually used (0 when every pair is inner)
    double centreX = 0, centreY = 0; // c
    double farthest = 0;      // D
    int bits = 1;             // b: index width
    std::vector<std::uint32_t> indices; // one per pair, P = ceil(N/2)

    // What the encoder measured on the way (not stored in archives).
    double mae = 0;                   // MAE of this encoding over the N real elements
    std::vector<double> maeByClasses; // K-auto: MAE of each K tried (index 0 unused)

    std::uint64_t pairCount() const { return (numel + 1) / 2; }
    std::uint64_t packedBytes() const { return (pairCount() * std::uint64_t(bits) + 7) / 8; }
    std::vector<std::uint8_t> packed() const;
    // Count of pairs in each class 0..K.
    std::vector<std::uint64_t> classHistogram() const;
};

} // namespace hc
