#pragma once

#include "core/util/result.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {

// A tensor's one-dimensional weight density in a handful of bytes, from which the encoder and the
// decoder both compute the entropy coder's frequency tables, so that no table is stored. Small
// tensors (a few thousand weights) cannot afford a table per stream: one costs 0.1–1 bit per weight,
// more than entropy coding gains over NF4 there.
//
// K knots t_i evenly spaced over [lo, hi] (lo and hi come from parameters the decoder already
// has), each a level 0..63: density 2^((level - 63)/2), level 0 meaning zero. The density is
// linear between knots. Only K and the levels are stored (a byte, a 6-bit first level and
// Elias-gamma coded differences; a smooth density takes 2–3 bits a knot).
// Masses are computed with + - * / and sqrt only, so every IEEE-754 machine computes the same
// table from the same bytes. Immutable; safe to share between threads.
class MarginalDensity {
public:
    static constexpr int kMinKnots = 2;
    static constexpr int kMaxKnots = 64;
    static constexpr int kMaxLevel = 63;

    // A cell [a, b] of some stream's alphabet with the number of times its symbol occurs: what the
    // fit sees of the data, and what the tables are computed for.
    struct Cell {
        double a = 0, b = 0;
        std::uint64_t count = 0;
    };
    // One stream: its cells in symbol order.
    using Stream = std::vector<Cell>;

    MarginalDensity(double lo, double hi, std::vector<std::uint8_t> levels);

    // The knot count and levels that minimise the coded size of `streams` (stored bytes included)
    // at `precision`, among knot counts up to kMaxKnots: a kernel estimate from the cells' counts,
    // then coordinate descent on the levels against the exact coded size.
    static MarginalDensity fit(double lo, double hi, const std::vector<Stream> &streams, int precision);

    // ∫_a^b density (unnormalised; a <= b, clamped to [lo, hi]).
    double mass(double a, double b) const;
    // normalizeFrequencies() of the cells' masses: empty when the alphabet is too large for P.
    std::vector<std::uint32_t> frequencies(const Stream &cells, int precision) const;
    // Bits the streams take coded with this density's tables, plus its own stored bits.
    double codedBits(const std::vector<Stream> &streams, int precision) const;

    void write(std::vector<std::uint8_t> &out) const;
    std::size_t storedBytes() const;
    // Reads what write() wrote from p[0 .. bytes); `used` gets the bytes read. Fails with one
    // sentence on a truncated or invalid description.
    static Result<MarginalDensity> read(const std::uint8_t *p, std::size_t bytes, double lo, double hi,
                                        std::size_t &used);

    const std::vector<std::uint8_t> &levels() const { return m_levels; }

private:
    static double levelDensity(int level);
    void cache();
    double m_lo = 0, m_hi = 1, m_step = 1, m_invStep = 1;
    std::vector<std::uint8_t> m_levels;
    std::vector<double> m_density; // per knot
    std::vector<double> m_cumulative; // ∫ from lo to knot i
};

} // namespace hc
