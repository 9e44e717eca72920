#pragma once

// Small helpers shared by the lattice and density modes (internal to core/codec).

#include "core/tensor/halffloat.h"
#include "core/tensor/tensorview.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace hc {
namespace modesupport {

// Pairs are processed in chunks of this many; sums are combined in chunk order so results do not
// depend on the thread count.
constexpr std::size_t kChunkPairs = std::size_t(1) << 15;

// Loads pairs [firstPair, firstPair + count) as interleaved doubles; the element after an odd last
// element is `pad` (the tensor mean, as in the paper mode).
inline void loadPairs(const TensorView &w, double pad, std::size_t firstPair, std::size_t count, double *xy)
{
    const std::size_t first = firstPair * 2;
    const std::size_t want = count * 2;
    const std::size_t real = std::min(want, w.numel - first);
    toDouble(w, first, real, xy);
    if (real < want)
        xy[real] = pad;
}

inline void putFloat32LE(std::vector<std::uint8_t> &out, float f)
{
    std::uint32_t u;
    static_assert(sizeof u == sizeof f, "float32");
    std::memcpy(&u, &f, 4);
    for (int k = 0; k < 4; ++k)
        out.push_back(std::uint8_t(u >> (8 * k)));
}

inline float getFloat32LE(const std::uint8_t *p)
{
    const std::uint32_t u = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                            std::uint32_t(p[3]) << 24;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// Writes decoded doubles (already rounded through the dtype) as the dtype's elements.
inline void storeElements(const double *values, std::size_t count, DType dtype, void *out, std::size_t offset)
{
    switch (dtype) {
    case DType::F64:
        std::copy(values, values + count, static_cast<double *>(out) + offset);
        break;
    case DType::F32: {
        float *dst = static_cast<float *>(out) + offset;
        for (std::size_t i = 0; i < count; ++i)
            dst[i] = float(values[i]);
        break;
    }
    default:
        fromDouble(values, count, dtype, static_cast<std::uint8_t *>(out) + offset * dtypeSize(dtype));
        break;
    }
}

} // namespace modesupport
} // namespace hc
