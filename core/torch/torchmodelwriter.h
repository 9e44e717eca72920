#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace hc {

// Hands out tensor i of a model being written (for instance, decoded from an archive). Called once
// per tensor, in order, so that a writer holds one tensor at a time.
using TensorProvider = std::function<Result<TensorData>(std::size_t)>;

// Writes PyTorch files from restored tensors. Every write goes to a temporary file in the target's
// folder, is flushed to disk and renamed into place only when complete; after any failure (or a
// cancel through the ProgressSink) nothing is left behind and an existing file at `path` is kept.
// Thread safety: the functions are reentrant; LibTorch is used on the calling thread only.
class TorchModelWriter {
public:
    // A zip-format state dict (a plain dict of contiguous CPU tensors) that Python's torch.load
    // and LibTorch's torch::pickle_load both read. Streams: one tensor in memory at a time.
    static Status writeStateDict(const std::string &path, const std::vector<std::string> &names, const TensorProvider &tensorAt,
                                 ProgressSink *progress = nullptr);

    // Loads the TorchScript module `likePath`, replaces the parameters and buffers named in
    // `names` (the same shape is required; values are converted to the module's own dtype) and
    // saves the module, code included, to `path`, so that the restored model still loads and runs.
    // Tensors of the module that `names` does not mention keep their values.
    static Status writeTorchScript(const std::string &path, const std::string &likePath, const std::vector<std::string> &names,
                                   const TensorProvider &tensorAt, ProgressSink *progress = nullptr);
};

} // namespace hc
