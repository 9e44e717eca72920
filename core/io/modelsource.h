#pragma once

#include "core/tensor/dtype.h"
#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// One tensor of a model file, as listed before any data is read.
struct TensorInfo {
    std::string name;                 // exactly as in the file (may contain '/' and '.')
    std::vector<std::int64_t> shape;
    DType dtype = DType::F32;
    std::string dtypeName;            // the file's own name for it, kept for dtypes we carry raw
    std::uint64_t byteSize = 0;
    std::uint64_t numel() const { return shapeNumel(shape); }
};

// An open model: lists its tensors at once, reads each one only when asked, so that a model of
// many GB opens in well under a second. Implementations: safetensors (single or sharded,
// memory-mapped), PyTorch state dicts and TorchScript modules (core/torch).
// Thread safety: tensors() is const and safe; read() may be called from several threads at once.
class ModelSource {
public:
    virtual ~ModelSource() = default;
    virtual const std::string &path() const = 0;
    virtual std::string formatName() const = 0; // "safetensors", "PyTorch state dict", "TorchScript"
    virtual const std::vector<TensorInfo> &tensors() const = 0;
    // The bytes of tensor i (row-major, little-endian, its own dtype). A memory-mapped source
    // may hand out a view that stays valid while the source lives: see view().
    virtual Result<TensorData> read(std::size_t i) const = 0;
    // Zero-copy view of tensor i where the source maps the file; data == nullptr otherwise.
    virtual TensorView view(std::size_t i) const { (void)i; return {}; }
    // The caller is done with tensor i's view for now: a mapped source drops its pages from the
    // process (they stay in the page cache), so that streaming a whole model keeps the resident
    // memory to about one tensor. Views of tensor i stay valid (the pages come back when touched).
    virtual void release(std::size_t i) const { (void)i; }
    // Index of the tensor with this name, or -1.
    long indexOf(const std::string &name) const
    {
        const auto &t = tensors();
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t[i].name == name)
                return long(i);
        return -1;
    }
};

} // namespace hc
