#pragma once

// Small integer codings shared by the entropy coder and the modes' payload headers (internal to
// core/codec): LEB128 varints, zigzag for signed values, and MSB-first bit streams with Elias gamma
// codes. Readers are bounds-checked: past the end they set `ok` to false and return 0.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {
namespace bytecoding {

inline void putVarint(std::vector<std::uint8_t> &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(std::uint8_t(v | 0x80));
        v >>= 7;
    }
    out.push_back(std::uint8_t(v));
}

inline int varintSize(std::uint64_t v)
{
    int n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

// Reads a varint from p[at .. bytes), advancing `at`; false when truncated or longer than 64 bits.
inline bool getVarint(const std::uint8_t *p, std::size_t bytes, std::size_t &at, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
        if (at >= bytes)
            return false;
        const std::uint8_t b = p[at++];
        if (shift == 63 && b > 1)
            return false;
        v |= std::uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

inline std::uint64_t zigzag(std::int64_t v)
{
    return v >= 0 ? std::uint64_t(v) << 1 : ((std::uint64_t(-(v + 1)) << 1) | 1u);
}
inline std::int64_t unzigzag(std::uint64_t z)
{
    return (z & 1u) ? -std::int64_t(z >> 1) - 1 : std::int64_t(z >> 1);
}

// Bits of the Elias gamma code of v >= 1.
inline int gammaBits(std::uint64_t v)
{
    int b = 0;
    while (b < 64 && (v >> b) > 1)
        ++b;
    return 2 * b + 1;
}

struct BitWriter {
    std::vector<std::uint8_t> &out;
    std::uint64_t acc = 0;
    int used = 0;
    void bit(unsigned b)
    {
        acc = (acc << 1) | (b & 1u);
        if (++used == 8) {
            out.push_back(std::uint8_t(acc));
            acc = 0;
            used = 0;
        }
    }
    void bits(std::uint64_t v, int n) // the low n bits of v, most significant first
    {
        for (int i = n - 1; i >= 0; --i)
            bit(unsigned(v >> i) & 1u);
    }
    void gamma(std::uint64_t v) // v >= 1
    {
        int len = 0;
        while (len < 64 && (v >> len) > 1)
            ++len;
        for (int i = 0; i < len; ++i)
            bit(0);
        bits(v, len + 1);
    }
    void flush() // pads the last byte with zeros
    {
        while (used != 0)
            bit(0);
    }
};

struct BitReader {
    const std::uint8_t *p;
    const std::uint8_t *end;
    int pos = 0; // bits of *p already read
    bool ok = true;
    unsigned bit()
    {
        if (p >= end) {
            ok = false;
            return 0;
        }
        const unsigned b = (*p >> (7 - pos)) & 1u;
        if (++pos == 8) {
            pos = 0;
            ++p;
        }
        return b;
    }
    std::uint64_t bits(int n)
    {
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i)
            v = (v << 1) | bit();
        return v;
    }
    // A gamma code of at most 2·maxLength + 1 bits; longer ones are corrupt (ok = false).
    std::uint64_t gamma(int maxLength)
    {
        int len = 0;
        while (ok && bit() == 0)
            if (++len > maxLength) {
                ok = false;
                return 0;
            }
        if (!ok)
            return 0;
        const std::uint64_t v = (std::uint64_t(1) << len) | bits(len);
        return ok ? v : 0;
    }
    // Bytes consumed from `start`, the partly read one included.
    std::size_t bytesFrom(const std::uint8_t *start) const { return std::size_t(p - start) + (pos ? 1 : 0); }
};

} // namespace bytecoding
} // namespace hc
