#pragma once

#include "core/tensor/dtype.h"
#include "core/util/result.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hc {

// Where one storage of a torch.save file lives. Offsets are in bytes from the start of the file,
// so a reader can take tensors straight out of a mapping of the file.
struct PickledStorage {
    DType dtype = DType::F32;
    std::uint64_t numel = 0;      // elements of the whole storage
    std::uint64_t fileOffset = 0; // where the storage's bytes start (filled in by the container reader)
};

// One tensor of a state dict: a strided window on a storage, as _rebuild_tensor_v2 describes it.
struct PickledTensor {
    std::string name;             // nested dict keys joined with '.'
    std::string storageKey;
    DType dtype = DType::F32;
    std::int64_t storageOffset = 0; // in elements
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> stride;
};

struct PickledStateDict {
    std::vector<PickledTensor> tensors;
    std::map<std::string, PickledStorage> storages;
};

// Reads and writes the pickles of torch.save files without LibTorch.
// LibTorch 1.13's own unpickler (torch::pickle_load) turns collections.OrderedDict into None, so it
// cannot read what Python's torch.save(model.state_dict()) writes; this reader understands the
// subset of the pickle protocol that torch.save uses (protocols 2 to 5), flattens nested dicts and
// OrderedDicts of tensors with '.'-joined names and skips every other value. It never runs code
// and never imports anything: unknown classes become opaque values.
// All functions are reentrant.
class TorchPickle {
public:
    // The data.pkl of a zip-format file (torch.save since PyTorch 1.6). Storages come back with
    // fileOffset 0; the caller finds them in the archive as "data/<key>".
    static Result<PickledStateDict> parseZipPickle(const char *data, std::size_t size);

    // A whole legacy (pre-1.6, _use_new_zipfile_serialization=False) file: magic number,
    // protocol, system info, the object, the storage key list and then the storages themselves.
    static Result<PickledStateDict> parseLegacyFile(const char *data, std::size_t size);

    // True when the bytes start like a legacy torch.save file.
    static bool looksLikeLegacy(const char *data, std::size_t size);

    // The data.pkl of a state dict whose tensor i is stored, contiguous and whole, as record
    // "data/<i>": a plain dict of _rebuild_tensor_v2 calls, which both Python's torch.load and
    // LibTorch's torch::pickle_load read.
    struct Entry {
        std::string name;
        DType dtype = DType::F32;
        std::vector<std::int64_t> shape;
    };
    static Result<std::vector<char>> writeStateDictPickle(const std::vector<Entry> &entries);

    // "FloatStorage" for F32 and so on; nullptr for dtypes PyTorch 1.13 cannot store.
    static const char *storageTypeName(DType dtype);
};

} // namespace hc
