#include "core/tensor/tensorview.h"

#include "core/tensor/halffloat.h"

#include <cstring>

namespace hc {

std::size_t shapeNumel(const std::vector<std::int64_t> &shape)
{
    std::size_t n = 1;
    for (auto d : shape)
        n *= static_cast<std::size_t>(d);
    return n;
}

std::size_t TensorData::numel() const
{
    return shapeNumel(shape);
}

double TensorView::at(std::size_t i) const
{
    double v = 0;
    toDouble(*this, i, 1, &v);
    return v;
}

void toDouble(const TensorView &src, std::size_t offset, std::size_t count, double *out)
{
    const auto *bytes = static_cast<const std::uint8_t *>(src.data);
    switch (src.dtype) {
    case DType::F64:
        std::memcpy(out, bytes + offset * 8, count * 8);
        break;
    case DType::F32: {
        const auto *p = reinterpret_cast<const float *>(bytes) + offset;
        for (std::size_t i = 0; i < count; ++i)
            out[i] = p[i];
        break;
    }
    case DType::F16:
    case DType::BF16: {
        const bool half = src.dtype == DType::F16;
        for (std::size_t i = 0; i < count; ++i) {
            std::uint16_t h;
            std::memcpy(&h, bytes + (offset + i) * 2, 2);
            out[i] = half ? halfToFloat(h) : bf16ToFloat(h);
        }
        break;
    }
    default:
        for (std::size_t i = 0; i < count; ++i)
            out[i] = 0.0;
        break;
    }
}

double roundThrough(double v, DType dtype)
{
    switch (dtype) {
    case DType::F32:
        return double(float(v));
    case DType::F16:
        return halfToFloat(floatToHalf(float(v)));
    case DType::BF16:
        return bf16ToFloat(floatToBf16(float(v)));
    default:
        return v;
    }
}

void fromDouble(const double *src, std::size_t count, DType dtype, void *out)
{
    auto *bytes = static_cast<std::uint8_t *>(out);
    switch (dtype) {
    case DType::F64:
        std::memcpy(bytes, src, count * 8);
        break;
    case DType::F32: {
        auto *p = reinterpret_cast<float *>(bytes);
        for (std::size_t i = 0; i < count; ++i)
            p[i] = static_cast<float>(src[i]);
        break;
    }
    case DType::F16:
    case DType::BF16: {
        const bool half = dtype == DType::F16;
        for (std::size_t i = 0; i < count; ++i) {
            const float f = static_cast<float>(src[i]);
            const std::uint16_t h = half ? floatToHalf(f) : floatToBf16(f);
            std::memcpy(bytes + i * 2, &h, 2);
        }
        break;
    }
    default:
        break;
    }
}

} // namespace hc
