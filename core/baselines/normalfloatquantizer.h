#pragma once

#include "core/baselines/baselineresult.h"
#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <array>
#include <cstddef>
#include <vector>

namespace hc {

// NF4 ("4-bit NormalFloat", Dettmers et al., "QLoRA: Efficient Finetuning of Quantized LLMs",
// arXiv 2305.14314, Appendix E; the same 16 values ship in bitsandbytes): each block of
// `blockSize` contiguous elements (64 by default) keeps its absmax, and each element the 4-bit
// index of the nearest codebook value to w / absmax (ties to the lower index);
// ŵ = code[q] · absmax, rounded to the tensor's dtype.
// We store the absmax as float16 (rounded through it before use): 4 + 16/64 = 4.25 bits per
// weight at block 64, the figure PRODUCT.md quotes. (QLoRA keeps a float32 absmax, 4.5 b/w, or
// about 4.127 b/w with its double quantization.)
// Reentrant, parallel and deterministic (independent of the thread count).
class NormalFloatQuantizer {
public:
    static constexpr int kCodeBits = 4;
    static constexpr int kAbsmaxBits = 16; // float16 absmax per block
    static const std::array<double, 16> &codebook();

    static double bitsPerWeightFor(int blockSize, std::size_t numel);

    // Restored values. Fails on a non-float dtype, an empty tensor, NaN/Inf, values beyond the
    // float16 range (the absmax could not be stored) or blockSize < 1.
    static Result<std::vector<double>> quantize(const TensorView &w, int blockSize = 64, int threads = 0);
    static Result<BaselineResult> evaluate(const TensorView &w, int blockSize = 64, int threads = 0);
};

} // namespace hc
