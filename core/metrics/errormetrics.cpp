#include "core/metrics/errormetrics.h"

#include "core/util/parallelfor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hc {

namespace {
constexpr std::size_t kChunk = std::size_t(1) << 16;

struct Partial {
    double abs = 0, sq = 0, sig = 0, max = 0;
};

void finish(ErrorMetrics &m, double abs, double sq, double sig, double max, std::size_t n)
{
    m.mae = n ? abs / double(n) : 0;
    m.rmse = n ? std::sqrt(sq / double(n)) : 0;
    m.maxAbs = max;
    m.signalNorm = std::sqrt(sig);
    m.errorNorm = std::sqrt(sq);
    m.relFro = m.signalNorm > 0 ? m.errorNorm / m.signalNorm : (m.errorNorm > 0 ? std::numeric_limits<double>::infinity() : 0);
    m.sqnrDb = m.errorNorm > 0 ? 20.0 * std::log10(m.signalNorm / m.errorNorm) : std::numeric_limits<double>::infinity();
}
} // namespace

ErrorMetrics ErrorMetrics::measure(const TensorView &original, const TensorView &restored, int threads)
{
    const std::size_t n = std::min(original.numel, restored.numel);
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<Partial> parts(chunks);
    parallelFor(chunks, resolveThreadCount(threads), [&](std::size_t c) {
        const std::size_t first = c * kChunk, count = std::min(kChunk, n - first);
        std::vector<double> a(count), b(count);
        toDouble(original, first, count, a.data());
        toDouble(restored, first, count, b.data());
        Partial p;
        for (std::size_t i = 0; i < count; ++i) {
            const double d = a[i] - b[i];
            p.abs += std::fabs(d);
            p.sq += d * d;
            p.sig += a[i] * a[i];
            p.max = std::max(p.max, std::fabs(d));
        }
        parts[c] = p;
    });
    Partial t;
    for (const auto &p : parts) {
        t.abs += p.abs;
        t.sq += p.sq;
        t.sig += p.sig;
        t.max = std::max(t.max, p.max);
    }
    ErrorMetrics m;
    finish(m, t.abs, t.sq, t.sig, t.max, n);
    return m;
}

ErrorMetrics ErrorMetrics::combine(const ErrorMetrics &a, std::size_t na, const ErrorMetrics &b, std::size_t nb)
{
    ErrorMetrics m;
    const double abs = a.mae * double(na) + b.mae * double(nb);
    const double sq = a.errorNorm * a.errorNorm + b.errorNorm * b.errorNorm;
    const double sig = a.signalNorm * a.signalNorm + b.signalNorm * b.signalNorm;
    finish(m, abs, sq, sig, std::max(a.maxAbs, b.maxAbs), na + nb);
    return m;
}

} // namespace hc
