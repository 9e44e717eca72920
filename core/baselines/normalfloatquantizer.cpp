#include "core/baselines/normalfloatquantizer.h"

#include "core/baselines/blockquantization.h"
#include "core/tensor/halffloat.h"

#include <algorithm>
#include <cmath>

namespace hc {

namespace {

// QLoRA, arXiv 2305.14314, Appendix E (bitsandbytes' NF4 table), as float32 values.
const std::array<double, 16> kNf4 = {
    -1.0,
    -0.6961928009986877,
    -0.5250730514526367,
    -0.39491748809814453,
    -0.28444138169288635,
    -0.18477343022823334,
    -0.09105003625154495,
    0.0,
    0.07958029955625534,
    0.16093020141124725,
    0.24611230194568634,
    0.33791524171829224,
    0.44070982933044434,
    0.5626170039176941,
    0.7229568362236023,
    1.0,
};

// The largest finite float16 less half an ulp: anything above rounds to infinity.
constexpr double kHalfMax = 65519.0;

double nearestCode(double x)
{
    // The codebook is sorted: the nearest value is one of the two around the insertion point.
    const auto it = std::lower_bound(kNf4.begin(), kNf4.end(), x);
    if (it == kNf4.begin())
        return *it;
    if (it == kNf4.end())
        return kNf4.back();
    const double below = *(it - 1), above = *it;
    return (x - below) <= (above - x) ? below : above;
}

Result<ErrorMetrics> runNf4(const TensorView &w, int blockSize, int threads, double *restored)
{
    if (!isCompressibleFloat(w.dtype))
        return Result<ErrorMetrics>::failure(std::string("NF4 needs a float tensor, not ") + dtypeName(w.dtype));
    if (w.numel == 0)
        return Result<ErrorMetrics>::failure("NF4 cannot quantize an empty tensor");
    if (blockSize < 1)
        return Result<ErrorMetrics>::failure("the NF4 block size must be positive, not " + std::to_string(blockSize));
    double lo = 0, hi = 0;
    if (!blockquantization::scanFinite(w, threads, lo, hi))
        return Result<ErrorMetrics>::failure("NF4 cannot quantize a tensor that holds NaN or Inf");
    if (std::max(-lo, hi) > kHalfMax)
        return Result<ErrorMetrics>::failure("NF4 with a float16 absmax cannot hold this tensor: its values reach " +
                                             std::to_string(std::max(-lo, hi)) + ", beyond the float16 range of 65504");
    return blockquantization::run(w, std::size_t(blockSize), threads, restored,
                                  [](std::size_t, const double *in, double *out, std::size_t n) {
                                      double absmax = 0;
                                      for (std::size_t i = 0; i < n; ++i)
                                          absmax = std::max(absmax, std::fabs(in[i]));
                                      const double scale = halfToFloat(floatToHalf(float(absmax)));
                                      for (std::size_t i = 0; i < n; ++i)
                                          out[i] = scale > 0 ? nearestCode(in[i] / scale) * scale : 0.0;
                                  });
}

} // namespace

const std::array<double, 16> &NormalFloatQuantizer::codebook()
{
    return kNf4;
}

double NormalFloatQuantizer::bitsPerWeightFor(int blockSize, std::size_t numel)
{
    if (numel == 0 || blockSize < 1)
        return 0;
    const std::size_t blocks = (numel + std::size_t(blockSize) - 1) / std::size_t(blockSize);
    return double(kCodeBits) + double(kAbsmaxBits) * double(blocks) / double(numel);
}

Result<std::vector<double>> NormalFloatQuantizer::quantize(const TensorView &w, int blockSize, int threads)
{
    std::vector<double> out(w.numel);
    auto r = runNf4(w, blockSize, threads, out.data());
    if (!r)
        return Result<std::vector<double>>::failure(r.error());
    return out;
}

Result<BaselineResult> NormalFloatQuantizer::evaluate(const TensorView &w, int blockSize, int threads)
{
    auto r = runNf4(w, blockSize, threads, nullptr);
    if (!r)
        return Result<BaselineResult>::failure(r.error());
    return BaselineResult{"NF4 b" + std::to_string(blockSize), bitsPerWeightFor(blockSize, w.numel), *r};
}

} // namespace hc
