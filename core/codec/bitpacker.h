#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {

// Packs unsigned integers of a fixed width (1..32 bits) into a byte stream, least significant
// bit first: value i occupies bits [i*width, (i+1)*width) of the little-endian stream.
class BitPacker {
public:
    static std::size_t packedSize(std::size_t count, int width) { return (count * std::size_t(width) + 7) / 8; }
    static std::vector<std::uint8_t> pack(const std::uint32_t *values, std::size_t count, int width);
    // Reads `count` values from `bytes` (of `byteCount` bytes, at least packedSize(count, width)).
    static void unpack(const std::uint8_t *bytes, std::size_t byteCount, std::size_t count, int width,
                       std::uint32_t *out);
    // Value i alone; used by the decoder's inner loop.
    static inline std::uint32_t read(const std::uint8_t *bytes, std::size_t byteCount, std::size_t i, int width);
    static int bitLength(std::uint32_t v); // bits needed for v, at least 1
};

inline std::uint32_t BitPacker::read(const std::uint8_t *bytes, std::size_t byteCount, std::size_t i, int width)
{
    const std::size_t bit = i * std::size_t(width);
    const std::size_t byte = bit >> 3;
    std::uint64_t window = 0;
    if (byte + 8 <= byteCount) {
        for (int k = 7; k >= 0; --k) // compiles to one unaligned load
            window = (window << 8) | bytes[byte + std::size_t(k)];
    } else {
        for (std::size_t k = byteCount; k-- > byte;)
            window = (window << 8) | bytes[k];
    }
    const std::uint64_t mask = width >= 32 ? 0xffffffffull : ((1ull << width) - 1ull);
    return std::uint32_t((window >> (bit & 7)) & mask);
}

} // namespace hc
