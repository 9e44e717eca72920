#include "core/baselines/roundtonearestquantizer.h"

#include "core/baselines/blockquantization.h"
#include "core/tensor/halffloat.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace hc {

namespace {

std::string number(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

struct GroupParams {
    double zero = 0;  // float16-rounded minimum
    double scale = 0; // float16-rounded step, 0 for a constant group
};

GroupParams paramsFor(double lo, double hi, long levels)
{
    GroupParams g;
    g.zero = halfToFloat(floatToHalf(float(lo)));
    g.scale = halfToFloat(floatToHalf(float((hi - lo) / double(levels - 1))));
    return g;
}

void quantizeWith(const GroupParams &g, long levels, const double *in, double *out, std::size_t n)
{
    const double top = double(levels - 1);
    for (std::size_t i = 0; i < n; ++i) {
        double q = 0;
        if (g.scale > 0)
            q = std::clamp(std::nearbyint((in[i] - g.zero) / g.scale), 0.0, top);
        out[i] = g.zero + q * g.scale;
    }
}

Status check(const TensorView &w, long levels, int groupSize, double codeBits)
{
    if (!isCompressibleFloat(w.dtype))
        return Status::failure(std::string("round-to-nearest needs a float tensor, not ") + dtypeName(w.dtype));
    if (w.numel == 0)
        return Status::failure("round-to-nearest cannot quantize an empty tensor");
    if (groupSize < 0)
        return Status::failure("the round-to-nearest group size must be 0 (per tensor) or positive, not " +
                               std::to_string(groupSize));
    if (levels < 2)
        return Status::failure("round-to-nearest needs between 1 and 24 code bits per weight, not " + number(codeBits));
    return {};
}

// Shared by quantize() and the evaluations: restored values into `restored` when not null.
Result<ErrorMetrics> runRtn(const TensorView &w, double codeBits, int groupSize, int threads, double *restored)
{
    const long levels = RoundToNearestQuantizer::levelsFor(codeBits);
    if (Status s = check(w, levels, groupSize, codeBits); !s)
        return Result<ErrorMetrics>::failure(s.error());
    double lo = 0, hi = 0;
    if (!blockquantization::scanFinite(w, threads, lo, hi))
        return Result<ErrorMetrics>::failure("round-to-nearest cannot quantize a tensor that holds NaN or Inf");
    // Largest magnitude that still rounds to a finite float16 (65504 + less than half an ulp).
    if (std::max(-lo, hi) > 65519.0 || hi - lo > 65519.0)
        return Result<ErrorMetrics>::failure("round-to-nearest with float16 scales cannot hold this tensor: its values span " +
                                             number(lo) + " to " + number(hi) + ", beyond the float16 range of 65504");
    if (groupSize == 0) {
        const GroupParams g = paramsFor(lo, hi, levels);
        return blockquantization::run(w, std::size_t(1) << 12, threads, restored,
                                      [&](std::size_t, const double *in, double *out, std::size_t n) {
                                          quantizeWith(g, levels, in, out, n);
                                      });
    }
    return blockquantization::run(w, std::size_t(groupSize), threads, restored,
                                  [&](std::size_t, const double *in, double *out, std::size_t n) {
                                      const auto [mn, mx] = std::minmax_element(in, in + n);
                                      quantizeWith(paramsFor(*mn, *mx, levels), levels, in, out, n);
                                  });
}

std::string nameFor(double codeBits, long levels, int groupSize)
{
    std::ostringstream bits;
    bits.precision(3);
    bits << codeBits;
    std::string name = "RTN " + bits.str() + "-bit (" + std::to_string(levels) + " levels)";
    return name + (groupSize > 0 ? " g" + std::to_string(groupSize) : std::string(" per tensor"));
}

} // namespace

long RoundToNearestQuantizer::levelsFor(double codeBits)
{
    if (!(codeBits >= 1.0 && codeBits <= 24.0))
        return 0;
    return long(std::floor(std::pow(2.0, codeBits) + 1e-9));
}

double RoundToNearestQuantizer::bitsPerWeightFor(long levels, int groupSize, std::size_t numel)
{
    if (numel == 0 || levels < 2)
        return 0;
    const std::size_t groups = groupSize > 0 ? (numel + std::size_t(groupSize) - 1) / std::size_t(groupSize) : 1;
    return std::log2(double(levels)) + double(kGroupMetadataBits) * double(groups) / double(numel);
}

double RoundToNearestQuantizer::codeBitsFor(double bitsPerWeight, int groupSize, std::size_t numel)
{
    if (numel == 0)
        return 0;
    const std::size_t groups = groupSize > 0 ? (numel + std::size_t(groupSize) - 1) / std::size_t(groupSize) : 1;
    return bitsPerWeight - double(kGroupMetadataBits) * double(groups) / double(numel);
}

Result<std::vector<double>> RoundToNearestQuantizer::quantize(const TensorView &w, double codeBits, int groupSize,
                                                              int threads)
{
    std::vector<double> out(w.numel);
    auto r = runRtn(w, codeBits, groupSize, threads, out.data());
    if (!r)
        return Result<std::vector<double>>::failure(r.error());
    return out;
}

Result<BaselineResult> RoundToNearestQuantizer::evaluateCodeBits(const TensorView &w, double codeBits, int groupSize,
                                                                 int threads)
{
    auto r = runRtn(w, codeBits, groupSize, threads, nullptr);
    if (!r)
        return Result<BaselineResult>::failure(r.error());
    const long levels = levelsFor(codeBits);
    return BaselineResult{nameFor(codeBits, levels, groupSize), bitsPerWeightFor(levels, groupSize, w.numel), *r};
}

Result<BaselineResult> RoundToNearestQuantizer::evaluate(const TensorView &w, double bitsPerWeight, int groupSize,
                                                         int threads)
{
    if (!std::isfinite(bitsPerWeight) || bitsPerWeight <= 0)
        return Result<BaselineResult>::failure("the round-to-nearest budget must be a positive number of bits per weight, not " +
                                               number(bitsPerWeight));
    const double codeBits = std::min(24.0, codeBitsFor(bitsPerWeight, groupSize, w.numel));
    if (w.numel > 0 && groupSize >= 0 && levelsFor(codeBits) < 2)
        return Result<BaselineResult>::failure("a budget of " + number(bitsPerWeight) +
                                               " bits per weight leaves less than 1 code bit for round-to-nearest once the " +
                                               "scales and zero points are paid for");
    return evaluateCodeBits(w, codeBits, groupSize, threads);
}

} // namespace hc
