#include "core/metrics/tensorstatistics.h"

#include "core/util/parallelfor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hc {

namespace {
constexpr std::size_t kChunk = std::size_t(1) << 16; // even, so chunks start on a pair

struct Moments {
    double sum = 0, sumEven = 0, sumOdd = 0;
    double min = std::numeric_limits<double>::infinity(), max = -std::numeric_limits<double>::infinity();
    bool finite = true;
};
struct Central {
    double m2 = 0, m4 = 0;
};
} // namespace

TensorStatistics TensorStatistics::compute(const TensorView &w, int threads)
{
    TensorStatistics s;
    s.count = w.numel;
    if (w.numel == 0 || !isCompressibleFloat(w.dtype))
        return s;
    const std::size_t chunks = (w.numel + kChunk - 1) / kChunk;
    std::vector<Moments> first(chunks);
    parallelFor(chunks, threads, [&](std::size_t c) {
        const std::size_t off = c * kChunk, n = std::min(kChunk, w.numel - off);
        std::vector<double> v(n);
        toDouble(w, off, n, v.data());
        Moments m;
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(v[i])) {
                m.finite = false;
                continue;
            }
            m.sum += v[i];
            (i % 2 == 0 ? m.sumEven : m.sumOdd) += v[i];
            m.min = std::min(m.min, v[i]);
            m.max = std::max(m.max, v[i]);
        }
        first[c] = m;
    });
    Moments t;
    for (const auto &m : first) {
        t.sum += m.sum;
        t.sumEven += m.sumEven;
        t.sumOdd += m.sumOdd;
        t.min = std::min(t.min, m.min);
        t.max = std::max(t.max, m.max);
        t.finite = t.finite && m.finite;
    }
    s.finite = t.finite;
    s.mean = t.sum / double(w.numel);
    s.minimum = t.min;
    s.maximum = t.max;
    s.absMax = std::max(std::fabs(t.min), std::fabs(t.max));
    const double pairs = double((w.numel + 1) / 2);
    s.pairCentreX = t.sumEven / pairs;
    s.pairCentreY = (t.sumOdd + (w.numel % 2 ? s.mean : 0.0)) / pairs;

    std::vector<Central> second(chunks);
    parallelFor(chunks, threads, [&](std::size_t c) {
        const std::size_t off = c * kChunk, n = std::min(kChunk, w.numel - off);
        std::vector<double> v(n);
        toDouble(w, off, n, v.data());
        Central m;
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(v[i]))
                continue;
            const double d = v[i] - s.mean, d2 = d * d;
            m.m2 += d2;
            m.m4 += d2 * d2;
        }
        second[c] = m;
    });
    Central c;
    for (const auto &m : second) {
        c.m2 += m.m2;
        c.m4 += m.m4;
    }
    const double var = c.m2 / double(w.numel);
    s.stddev = std::sqrt(var);
    s.excessKurtosis = var > 0 ? (c.m4 / double(w.numel)) / (var * var) - 3.0 : 0.0;
    return s;
}

double TensorStatistics::outerShare(const TensorView &w, double box, double centreX, double centreY, int threads)
{
    if (w.numel == 0)
        return 0;
    const std::size_t pairs = (w.numel + 1) / 2;
    const std::size_t chunkPairs = kChunk / 2;
    const std::size_t chunks = (pairs + chunkPairs - 1) / chunkPairs;
    std::vector<std::uint64_t> outer(chunks, 0);
    double mean = 0;
    if (w.numel % 2) // the padding element is mean(w); only the last pair needs it
        mean = compute(w, threads).mean;
    const double half = box / 2;
    parallelFor(chunks, threads, [&](std::size_t c) {
        const std::size_t firstPair = c * chunkPairs, n = std::min(chunkPairs, pairs - firstPair);
        std::vector<double> xy(2 * n);
        const std::size_t real = std::min(2 * n, w.numel - 2 * firstPair);
        toDouble(w, 2 * firstPair, real, xy.data());
        if (real < 2 * n)
            xy[real] = mean;
        std::uint64_t count = 0;
        for (std::size_t i = 0; i < n; ++i)
            count += (std::fabs(xy[2 * i] - centreX) > half || std::fabs(xy[2 * i + 1] - centreY) > half) ? 1 : 0;
        outer[c] = count;
    });
    std::uint64_t total = 0;
    for (auto o : outer)
        total += o;
    return double(total) / double(pairs);
}

} // namespace hc
