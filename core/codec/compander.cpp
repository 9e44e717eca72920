#include "core/codec/compander.h"

#include "core/util/parallelfor.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hc {

namespace {
constexpr std::size_t kSampleLimit = std::size_t(1) << 20;
}

int Compander::autoBreakpoints(std::size_t numel)
{
    // 4·B bytes against numel weights: at most 1/2 bit per weight at 4096 weights, falling as
    // 1/sqrt(numel). Beyond 64 the curve gains nothing measurable (Student-t and Gaussian, 1M).
    const double b = std::sqrt(double(numel)) / 16.0;
    return int(std::clamp(b, 16.0, 64.0));
}

Compander Compander::fromValues(const TensorView &w, int breakpoints, double uniformShare, int threads)
{
    const int B = std::clamp(breakpoints, kMinBreakpoints, kMaxBreakpoints);
    const double alpha = std::clamp(uniformShare, 0.0, 0.999);
    // A strided subsample for the shape; the true minimum and maximum from every element.
    const std::size_t stride = std::max<std::size_t>(1, w.numel / kSampleLimit);
    const std::size_t ns = (w.numel + stride - 1) / stride;
    std::vector<double> s(ns);
    constexpr std::size_t kChunk = std::size_t(1) << 16;
    const std::size_t chunks = (w.numel + kChunk - 1) / kChunk;
    std::vector<double> lo(chunks), hi(chunks);
    parallelFor(chunks, threads, [&](std::size_t c) {
        std::vector<double> buf(kChunk);
        const std::size_t first = c * kChunk, n = std::min(kChunk, w.numel - first);
        toDouble(w, first, n, buf.data());
        double a = buf[0], b = buf[0];
        for (std::size_t i = 0; i < n; ++i) {
            a = std::min(a, buf[i]);
            b = std::max(b, buf[i]);
            if ((first + i) % stride == 0)
                s[(first + i) / stride] = buf[i];
        }
        lo[c] = a;
        hi[c] = b;
    });
    const double vmin = *std::min_element(lo.begin(), lo.end());
    const double vmax = *std::max_element(hi.begin(), hi.end());

    Compander g;
    g.m_w.resize(std::size_t(B));
    if (!(vmax > vmin)) {
        // Constant tensor: a tiny strictly increasing ramp around the value, which decodes to it.
        const double delta = std::max(std::fabs(vmin), 1e-30) * 1e-6;
        for (int i = 0; i < B; ++i)
            g.m_w[std::size_t(i)] = float(vmin + (i - (B - 1) / 2.0) * delta);
    } else {
        std::sort(s.begin(), s.end());
        const std::size_t segments = std::clamp<std::size_t>(ns / 16, std::min<std::size_t>(8, std::max<std::size_t>(ns, 2) - 1), 4096);
        std::vector<double> q(segments + 1), G(segments + 1, 0.0);
        for (std::size_t k = 0; k <= segments; ++k)
            q[k] = s[std::size_t(std::llround(double(k) * double(ns - 1) / double(segments)))];
        q[0] = vmin;
        q[segments] = vmax;
        // Each segment holds 1/M of the mass over a width Δ: density ~ 1/(MΔ), so ∫ p^(1/3) dw over
        // it is proportional to Δ^(2/3).
        double total = 0;
        for (std::size_t k = 0; k < segments; ++k) {
            total += std::cbrt((q[k + 1] - q[k]) * (q[k + 1] - q[k]));
            G[k + 1] = total;
        }
        for (std::size_t k = 0; k <= segments; ++k) {
            const double opt = total > 0 ? G[k] / total : 0.0;
            G[k] = (1 - alpha) * opt + alpha * (q[k] - vmin) / (vmax - vmin);
        }
        G[segments] = 1.0;
        std::size_t k = 0;
        for (int i = 0; i < B; ++i) {
            const double u = double(i) / double(B - 1);
            while (k + 1 < segments && G[k + 1] < u)
                ++k;
            const double span = G[k + 1] - G[k];
            const double t = span > 0 ? std::clamp((u - G[k]) / span, 0.0, 1.0) : 0.0;
            g.m_w[std::size_t(i)] = float(q[k] + t * (q[k + 1] - q[k]));
        }
        g.m_w.front() = float(vmin);
        g.m_w.back() = float(vmax);
    }
    for (std::size_t i = 1; i < g.m_w.size(); ++i)
        if (!(g.m_w[i] > g.m_w[i - 1]))
            g.m_w[i] = std::nextafter(g.m_w[i - 1], std::numeric_limits<float>::infinity());
    g.cache();
    return g;
}

Result<Compander> Compander::fromBreakpoints(std::vector<float> breakpoints)
{
    if (breakpoints.size() < std::size_t(kMinBreakpoints) || breakpoints.size() > std::size_t(kMaxBreakpoints))
        return Result<Compander>::failure("the compander has " + std::to_string(breakpoints.size()) +
                                          " breakpoints (4 to 4096 allowed)");
    for (std::size_t i = 0; i < breakpoints.size(); ++i) {
        if (!std::isfinite(breakpoints[i]))
            return Result<Compander>::failure("the compander's breakpoint " + std::to_string(i) + " is not finite");
        if (i > 0 && !(breakpoints[i] > breakpoints[i - 1]))
            return Result<Compander>::failure("the compander's breakpoints are not strictly increasing at " +
                                              std::to_string(i));
    }
    Compander g;
    g.m_w = std::move(breakpoints);
    g.cache();
    return g;
}

void Compander::cache()
{
    m_wd.assign(m_w.begin(), m_w.end());
}

double Compander::forward(double w) const
{
    const std::size_t B = m_wd.size();
    if (!(w > m_wd.front()))
        return 0.0;
    if (!(w < m_wd.back()))
        return 1.0;
    const std::size_t i = std::size_t(std::upper_bound(m_wd.begin(), m_wd.end(), w) - m_wd.begin()) - 1;
    const double t = (w - m_wd[i]) / (m_wd[i + 1] - m_wd[i]);
    return (double(i) + t) / double(B - 1);
}

double Compander::inverse(double u) const
{
    const std::size_t B = m_wd.size();
    const double v = std::clamp(u, 0.0, 1.0) * double(B - 1);
    const std::size_t i = std::min(std::size_t(v), B - 2);
    const double t = v - double(i);
    return m_wd[i] + t * (m_wd[i + 1] - m_wd[i]);
}

} // namespace hc
