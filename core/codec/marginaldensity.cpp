#include "core/codec/marginaldensity.h"

#include "core/codec/bytecoding.h"
#include "core/codec/ranscoder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace hc {

namespace {

using bytecoding::BitReader;
using bytecoding::BitWriter;
using bytecoding::gammaBits;

// Level differences are small signed numbers: zigzag them, then gamma-code them plus one.
std::uint64_t levelCode(int delta) { return bytecoding::zigzag(delta) + 1; }

} // namespace

MarginalDensity::MarginalDensity(double lo, double hi, std::vector<std::uint8_t> levels)
    : m_lo(lo), m_hi(hi > lo ? hi : lo + 1), m_levels(std::move(levels))
{
    if (m_levels.size() < std::size_t(kMinKnots))
        m_levels.resize(kMinKnots, kMaxLevel);
    for (auto &l : m_levels)
        l = std::min<std::uint8_t>(l, kMaxLevel);
    cache();
}

double MarginalDensity::levelDensity(int level)
{
    if (level <= 0)
        return 0.0;
    const int e = level - kMaxLevel; // <= 0
    // 2^(e/2) from ldexp and a correctly rounded sqrt: the same bits everywhere.
    return (e % 2 == 0) ? std::ldexp(1.0, e / 2) : std::ldexp(std::sqrt(2.0), (e - 1) / 2);
}

void MarginalDensity::cache()
{
    const std::size_t k = m_levels.size();
    m_step = (m_hi - m_lo) / double(k - 1);
    m_invStep = 1.0 / m_step;
    m_density.resize(k);
    for (std::size_t i = 0; i < k; ++i)
        m_density[i] = levelDensity(m_levels[i]);
    m_cumulative.assign(k, 0.0);
    for (std::size_t i = 1; i < k; ++i)
        m_cumulative[i] = m_cumulative[i - 1] + 0.5 * m_step * (m_density[i - 1] + m_density[i]);
}

double MarginalDensity::mass(double a, double b) const
{
    const std::size_t k = m_levels.size();
    auto primitive = [&](double x) {
        if (!(x > m_lo))
            return 0.0;
        if (!(x < m_hi))
            return m_cumulative[k - 1];
        double u = (x - m_lo) * m_invStep;
        std::size_t j = std::size_t(u);
        if (j >= k - 1)
            j = k - 2;
        u -= double(j);
        const double d0 = m_density[j], d1 = m_density[j + 1];
        return m_cumulative[j] + m_step * u * (d0 + 0.5 * u * (d1 - d0));
    };
    return std::max(0.0, primitive(b) - primitive(a));
}

std::vector<std::uint32_t> MarginalDensity::frequencies(const Stream &cells, int precision) const
{
    std::vector<double> m(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i)
        m[i] = mass(cells[i].a, cells[i].b);
    double total = 0;
    for (double v : m)
        total += v;
    if (!(total > 0) || !std::isfinite(total)) // nothing (or an overflow) on the cells: spread evenly
        std::fill(m.begin(), m.end(), 1.0);
    return RansCoder::normalizeFrequencies(m, precision);
}

double MarginalDensity::codedBits(const std::vector<Stream> &streams, int precision) const
{
    double bits = 8.0 * double(storedBytes());
    std::vector<std::uint64_t> counts;
    for (const Stream &s : streams) {
        if (s.size() <= 1)
            continue;
        const auto f = frequencies(s, precision);
        if (f.empty())
            return std::numeric_limits<double>::infinity();
        counts.resize(s.size());
        for (std::size_t i = 0; i < s.size(); ++i)
            counts[i] = s[i].count;
        bits += RansCoder::modelledBits(counts, f, precision);
    }
    return bits;
}

std::size_t MarginalDensity::storedBytes() const
{
    std::size_t bits = 6;
    for (std::size_t i = 1; i < m_levels.size(); ++i)
        bits += std::size_t(gammaBits(levelCode(int(m_levels[i]) - int(m_levels[i - 1]))));
    return 1 + (bits + 7) / 8;
}

void MarginalDensity::write(std::vector<std::uint8_t> &out) const
{
    out.push_back(std::uint8_t(m_levels.size()));
    BitWriter w{out};
    w.bits(m_levels[0], 6);
    for (std::size_t i = 1; i < m_levels.size(); ++i)
        w.gamma(levelCode(int(m_levels[i]) - int(m_levels[i - 1])));
    w.flush();
}

Result<MarginalDensity> MarginalDensity::read(const std::uint8_t *p, std::size_t bytes, double lo, double hi,
                                              std::size_t &used)
{
    using R = Result<MarginalDensity>;
    if (bytes < 2)
        return R::failure("the weight density model is truncated");
    const int k = p[0];
    if (k < kMinKnots || k > kMaxKnots)
        return R::failure("the weight density model has " + std::to_string(k) + " knots (2..64 are allowed)");
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return R::failure("the weight density model's range is invalid");
    BitReader r{p + 1, p + bytes};
    std::vector<std::uint8_t> levels(static_cast<std::size_t>(k));
    int level = int(r.bits(6));
    levels[0] = std::uint8_t(level);
    for (int i = 1; i < k && r.ok; ++i) {
        level += int(bytecoding::unzigzag(r.gamma(16) - 1));
        if (level < 0 || level > kMaxLevel)
            return R::failure("the weight density model has a level outside 0..63");
        levels[std::size_t(i)] = std::uint8_t(level);
    }
    if (!r.ok)
        return R::failure("the weight density model is truncated");
    used = r.bytesFrom(p);
    bool any = false;
    for (auto l : levels)
        any = any || l > 0;
    if (!any)
        return R::failure("the weight density model is zero everywhere");
    return MarginalDensity(lo, hi, std::move(levels));
}

MarginalDensity MarginalDensity::fit(double lo, double hi, const std::vector<Stream> &streams, int precision)
{
    double minWidth = std::numeric_limits<double>::infinity();
    for (const Stream &s : streams)
        for (const Cell &c : s)
            if (c.b > c.a)
                minWidth = std::min(minWidth, c.b - c.a);
    if (!std::isfinite(minWidth))
        minWidth = hi - lo;

    std::optional<MarginalDensity> best;
    double bestBits = std::numeric_limits<double>::infinity();
    int worse = 0; // consecutive knot counts that did not improve: the cost is about convex in k
    for (int k : {2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64}) {
        const double step = (hi - lo) / double(k - 1);
        if (k > 3 && step < minWidth)
            break; // finer knots than cells cannot be estimated
        // Kernel estimate: counts per width under a triangle one knot step wide on each side.
        std::vector<double> d(std::size_t(k), 0.0);
        for (int i = 0; i < k; ++i) {
            const double t = lo + step * double(i);
            double num = 0, den = 0;
            for (const Stream &s : streams)
                for (const Cell &c : s) {
                    const double w = 1.0 - std::fabs(0.5 * (c.a + c.b) - t) / step;
                    if (w > 0) {
                        num += w * double(c.count);
                        den += w * (c.b - c.a);
                    }
                }
            d[std::size_t(i)] = den > 0 ? num / den : 0.0;
        }
        const double top = *std::max_element(d.begin(), d.end());
        std::vector<std::uint8_t> levels(std::size_t(k), kMaxLevel);
        if (top > 0)
            for (int i = 0; i < k; ++i) {
                const double v = d[std::size_t(i)];
                levels[std::size_t(i)] =
                    v > 0 ? std::uint8_t(std::clamp(std::lround(kMaxLevel + 2.0 * std::log2(v / top)), 1L, long(kMaxLevel)))
                          : std::uint8_t(0);
            }
        MarginalDensity m(lo, hi, levels);
        double bits = m.codedBits(streams, precision);
        // Coordinate descent on the exact coded size.
        for (int pass = 0; pass < 3; ++pass) {
            bool improved = false;
            for (int i = 0; i < k; ++i)
                for (int delta : {-1, 1}) {
                    const int v = int(levels[std::size_t(i)]) + delta;
                    if (v < 0 || v > kMaxLevel)
                        continue;
                    std::vector<std::uint8_t> trial = levels;
                    trial[std::size_t(i)] = std::uint8_t(v);
                    MarginalDensity t(lo, hi, trial);
                    const double b = t.codedBits(streams, precision);
                    if (b < bits - 1e-9) {
                        bits = b;
                        levels = std::move(trial);
                        m = std::move(t);
                        improved = true;
                    }
                }
            if (!improved)
                break;
        }
        if (bits < bestBits) {
            bestBits = bits;
            best = std::move(m);
            worse = 0;
        } else if (++worse == 2) {
            break;
        }
    }
    return best ? *best : MarginalDensity(lo, hi, {kMaxLevel, kMaxLevel});
}

} // namespace hc
