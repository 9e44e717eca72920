#include "core/codec/bitpacker.h"

namespace hc {

std::vector<std::uint8_t> BitPacker::pack(const std::uint32_t *values, std::size_t count, int width)
{
    std::vector<std::uint8_t> out(packedSize(count, width), 0);
    const std::uint64_t mask = width >= 32 ? 0xffffffffull : ((1ull << width) - 1ull);
    std::uint64_t acc = 0;
    int filled = 0;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < count; ++i) {
        acc |= (std::uint64_t(values[i]) & mask) << filled;
        filled += width;
        while (filled >= 8) {
            out[pos++] = std::uint8_t(acc & 0xffu);
            acc >>= 8;
            filled -= 8;
        }
    }
    if (filled > 0)
        out[pos] = std::uint8_t(acc & 0xffu);
    return out;
}

void BitPacker::unpack(const std::uint8_t *bytes, std::size_t byteCount, std::size_t count, int width,
                       std::uint32_t *out)
{
    for (std::size_t i = 0; i < count; ++i)
        out[i] = read(bytes, byteCount, i, width);
}

int BitPacker::bitLength(std::uint32_t v)
{
    int b = 0;
    while (v) {
        ++b;
        v >>= 1;
    }
    return b < 1 ? 1 : b;
}

} // namespace hc
