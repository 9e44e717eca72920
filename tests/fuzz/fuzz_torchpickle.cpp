// libFuzzer target: the torch.save pickle reader (TorchPickle), in memory, both as the data.pkl of a
// zip-format file and as a whole legacy file. The first byte chooses: a legacy file starts with the
// PROTO opcode 0x80 followed by its magic number, so inputs that look like one take that path too.
#include "core/torch/torchpickle.h"

#include <cstdlib>

namespace {

void check(const hc::Result<hc::PickledStateDict> &r)
{
    if (!r) {
        if (r.error().empty())
            std::abort();
        return;
    }
    // A parsed state dict: every tensor names a storage that is listed, with consistent ranks.
    for (const auto &t : r->tensors) {
        if (t.shape.size() != t.stride.size() || !r->storages.count(t.storageKey))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const char *bytes = reinterpret_cast<const char *>(data);
    check(hc::TorchPickle::parseZipPickle(bytes, size));
    if (hc::TorchPickle::looksLikeLegacy(bytes, size))
        check(hc::TorchPickle::parseLegacyFile(bytes, size));
    return 0;
}
