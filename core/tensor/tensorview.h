#pragma once

#include "core/tensor/dtype.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {

// A non-owning view of a flat, row-major tensor's elements (shape is carried separately).
struct TensorView {
    const void *data = nullptr;
    DType dtype = DType::F32;
    std::size_t numel = 0;

    std::size_t byteSize() const { return numel * dtypeSize(dtype); }
    double at(std::size_t i) const; // element i as double (float dtypes only)
};

// A tensor that owns its bytes: what readers return when they cannot hand out a mapping.
struct TensorData {
    std::vector<std::int64_t> shape;
    DType dtype = DType::F32;
    std::vector<std::uint8_t> bytes;

    std::size_t numel() const;
    TensorView view() const { return {bytes.data(), dtype, numel()}; }
};

std::size_t shapeNumel(const std::vector<std::int64_t> &shape);

// Converts n elements of a float dtype to double / from double (rounding to nearest even).
void toDouble(const TensorView &src, std::size_t offset, std::size_t count, double *out);
void fromDouble(const double *src, std::size_t count, DType dtype, void *out);
// `v` as the dtype stores it, back in double (what a restored tensor of that dtype holds).
double roundThrough(double v, DType dtype);

} // namespace hc
