// libFuzzer target: the state-dict loader (TorchModelSource::openStateDict) on whole files, zip
// (read through LibTorch's PyTorchStreamReader) or legacy, and the read of every tensor it lists.
// TorchScript modules are not fuzzed here: torch::jit::load compiles the module's code, which is
// LibTorch's own parser, not ours.
#include "core/torch/torchmodelsource.h"
#include "tests/fuzz/fuzzinput.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    hc::fuzz::MemoryFile file(data, size);
    auto opened = hc::TorchModelSource::openStateDict(file.path());
    if (!opened) {
        hc::fuzz::expectNamedError(opened.error(), file.path());
        return 0;
    }
    const hc::ModelSource &src = **opened;
    for (std::size_t i = 0; i < src.tensors().size(); ++i) {
        const hc::TensorInfo &t = src.tensors()[i];
        if (t.byteSize > (std::uint64_t(64) << 20))
            continue; // a small file may describe a large strided window: bound the work
        auto r = src.read(i);
        if (!r) {
            hc::fuzz::expectNamedError(r.error(), file.path());
            continue;
        }
        if (r->bytes.size() != t.byteSize)
            std::abort();
        const hc::TensorView v = src.view(i);
        if (v.data && t.byteSize && std::memcmp(v.data, r->bytes.data(), t.byteSize) != 0)
            std::abort();
    }
    return 0;
}
