#include "core/codec/encodedtensor.h"

#include "core/codec/bitpacker.h"

namespace hc {

std::vector<std::uint8_t> EncodedTensor::packed() const
{
    return BitPacker::pack(indices.data(), indices.size(), bits);
}

std::vector<std::uint64_t> EncodedTensor::classHistogram() const
{
    std::vector<std::uint64_t> counts(std::size_t(classes) + 1, 0);
    const std::uint32_t perClass = std::uint32_t(samples) + 1;
    for (auto idx : indices) {
        const std::size_t k = idx / perClass;
        if (k < counts.size())
            ++counts[k];
    }
    return counts;
}

} // namespace hc
