#pragma once

#include "core/baselines/baselineresult.h"
#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <cstddef>
#include <vector>

namespace hc {

// Uniform asymmetric min/max round-to-nearest, the quantizer a user would pick instead:
// per tensor (groupSize 0) or per group of `groupSize` contiguous elements (64 or 128 in the
// popular 4-bit formats). Each group keeps a float16 scale and a float16 minimum (the zero point),
// both rounded through float16 exactly as stored:
//     s = half((max - min) / (L - 1)),  z = half(min),
//     q = clamp(round((w - z) / s), 0, L - 1),  ŵ = z + q·s   (then rounded to the tensor's dtype).
// L = floor(2^codeBits + 1e-9) levels, so fractional bits work: 4.5 bits gives 22 levels.
// Storage: log2(L) bits per weight for the codes (what a base-L packing reaches; equal to the
// integer bits when L is a power of two) plus 2 × 16 bits per group.
// A tensor whose values reach beyond the float16 range (65504) is refused, since its zero point
// could not be stored. All functions are reentrant, parallel (hc::parallelFor) and deterministic: the
// result does not depend on the thread count.
class RoundToNearestQuantizer {
public:
    static constexpr int kGroupMetadataBits = 2 * 16; // float16 scale + float16 zero point

    // floor(2^codeBits + 1e-9), or 0 when codeBits is below 1 or above 24 (or not a number).
    static long levelsFor(double codeBits);
    // Honest storage cost of L levels over numel elements in groups of groupSize (0 = one group).
    static double bitsPerWeightFor(long levels, int groupSize, std::size_t numel);
    // The code bits that fit a total budget of bitsPerWeight once the metadata is paid for.
    static double codeBitsFor(double bitsPerWeight, int groupSize, std::size_t numel);

    // Restored values (rounded to w's dtype) at `codeBits` code bits, e.g. 4 or 4.5.
    // Fails on a non-float dtype, an empty tensor, NaN/Inf, values beyond float16, fewer than
    // 2 levels or groupSize < 0.
    static Result<std::vector<double>> quantize(const TensorView &w, double codeBits, int groupSize, int threads = 0);

    // Error at a total budget of `bitsPerWeight` (metadata included): uses the most levels whose
    // honest cost fits the budget, e.g. 5 b/w with groups of 64 gives 4.5 code bits, 22 levels,
    // log2(22) + 0.5 = 4.96 b/w reported. Fails as quantize() does, or when the budget is too
    // small for 2 levels.
    static Result<BaselineResult> evaluate(const TensorView &w, double bitsPerWeight, int groupSize, int threads = 0);
    // Error at exactly `codeBits` code bits; reports the storage cost those bits take.
    static Result<BaselineResult> evaluateCodeBits(const TensorView &w, double codeBits, int groupSize, int threads = 0);
};

} // namespace hc
