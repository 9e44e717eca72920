#pragma once

#include <vector>

namespace hc {

// Which nearest-sample engine the encoder uses. Both return identical indices.
enum class SearchEngine { Lattice, KdTree };

// The paper's three knobs for one tensor. `classes` is K when fixed, K_max when `autoClasses`.
struct CodecParams {
    int samples = 225;        // U: trajectory samples (the codebook has U + 1 points)
    double box = 0.1;         // l: side of the centre box (absolute units)
    int classes = 3;          // K, or K_max with autoClasses
    bool autoClasses = true;  // choose K in 1..classes by the lowest MAE (ALGORITHM.md §2)
    double lossThreshold = 0.001; // K-auto stops at the first K whose MAE is at most this
};

// How to run an encode; none of this changes the result.
struct EncodeOptions {
    SearchEngine engine = SearchEngine::Lattice;
    int threads = 0; // 0 = all cores
};

} // namespace hc
