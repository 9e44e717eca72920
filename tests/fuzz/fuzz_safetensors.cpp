// libFuzzer target: the safetensors header parser (SafetensorsSource::open) and every tensor it lists.
#include "core/io/safetensorssource.h"
#include "tests/fuzz/fuzzinput.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    hc::fuzz::MemoryFile file(data, size);
    auto opened = hc::SafetensorsSource::openFile(file.path());
    if (!opened) {
        hc::fuzz::expectNamedError(opened.error(), file.path());
        return 0;
    }
    const hc::SafetensorsSource &src = **opened;
    volatile std::uint8_t sink = 0;
    for (std::size_t i = 0; i < src.tensors().size(); ++i) {
        const hc::TensorInfo &t = src.tensors()[i];
        // What open() promised: the bytes lie inside the file and match shape and dtype.
        if (src.fileOffset(i) + t.byteSize > src.fileSize() || t.numel() * hc::dtypeSize(t.dtype) != t.byteSize)
            std::abort();
        const hc::TensorView v = src.view(i);
        const auto *bytes = static_cast<const std::uint8_t *>(v.data);
        for (std::uint64_t b = 0; b < t.byteSize; ++b)
            sink = std::uint8_t(sink + bytes[b]);
        auto r = src.read(i);
        if (!r || r->bytes.size() != t.byteSize || (t.byteSize && std::memcmp(r->bytes.data(), bytes, t.byteSize) != 0))
            std::abort();
        src.release(i);
    }
    (void)sink;
    return 0;
}
