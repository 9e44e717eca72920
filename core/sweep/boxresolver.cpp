#include "core/sweep/boxresolver.h"

#include "core/util/parallelfor.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hc {

namespace {
constexpr std::size_t kChunk = std::size_t(1) << 16;
}

Result<double> BoxResolver::standardDeviation(const TensorView &w, int threads)
{
    if (!isCompressibleFloat(w.dtype))
        return Result<double>::failure(std::string("the standard deviation needs a float tensor, not ") + dtypeName(w.dtype));
    if (w.numel == 0)
        return Result<double>::failure("the standard deviation of an empty tensor is undefined");
    const std::size_t chunks = (w.numel + kChunk - 1) / kChunk;
    const int t = resolveThreadCount(threads);
    std::vector<double> sums(chunks, 0.0), squares(chunks, 0.0);
    std::vector<char> finite(chunks, 1);
    parallelFor(chunks, t, [&](std::size_t c) {
        const std::size_t first = c * kChunk, n = std::min(kChunk, w.numel - first);
        std::vector<double> v(n);
        toDouble(w, first, n, v.data());
        double s = 0;
        for (double x : v) {
            if (!std::isfinite(x))
                finite[c] = 0;
            s += x;
        }
        sums[c] = s;
    });
    if (std::find(finite.begin(), finite.end(), 0) != finite.end())
        return Result<double>::failure("the standard deviation of a tensor that holds NaN or Inf is undefined");
    double total = 0;
    for (double s : sums)
        total += s;
    const double mean = total / double(w.numel);
    // Second pass about the mean: the one-pass formula loses everything to cancellation when
    // the mean is large against σ.
    parallelFor(chunks, t, [&](std::size_t c) {
        const std::size_t first = c * kChunk, n = std::min(kChunk, w.numel - first);
        std::vector<double> v(n);
        toDouble(w, first, n, v.data());
        double s = 0;
        for (double x : v)
            s += (x - mean) * (x - mean);
        squares[c] = s;
    });
    double sq = 0;
    for (double s : squares)
        sq += s;
    return std::sqrt(sq / double(w.numel));
}

double BoxResolver::resolve(double box, BoxMode mode, double sigma)
{
    if (mode == BoxMode::Absolute || !(sigma > 0))
        return box;
    return box * sigma;
}

Result<double> BoxResolver::resolve(const TensorView &w, double box, BoxMode mode, int threads)
{
    if (mode == BoxMode::Absolute)
        return box;
    auto sigma = standardDeviation(w, threads);
    if (!sigma)
        return sigma;
    return resolve(box, mode, *sigma);
}

const char *BoxResolver::modeName(BoxMode mode)
{
    return mode == BoxMode::Sigma ? "sigma" : "absolute";
}

std::optional<BoxMode> BoxResolver::modeFromName(const std::string &name)
{
    if (name == "absolute")
        return BoxMode::Absolute;
    if (name == "sigma")
        return BoxMode::Sigma;
    return std::nullopt;
}

} // namespace hc
