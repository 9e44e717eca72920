#pragma once

#include "core/io/modelsource.h"

#include <memory>
#include <string>
#include <vector>

namespace hc {

// A PyTorch model file: a state dict written by Python's torch.save (zip format or the legacy
// pre-1.6 format; .pt, .pth, .bin) or a TorchScript module written by torch.jit.save.
//
// State dicts are memory-mapped: open() reads only the pickle that describes the tensors (nested
// dicts and OrderedDicts of tensors are flattened with '.'-joined names, everything else is
// skipped), read() and view() take each tensor's bytes straight from the mapping.
// TorchScript modules are loaded whole by LibTorch (its zip archives are not mappable with
// LibTorch 1.13); every parameter and buffer is listed by its qualified name, parameters first.
// Supported element types: float64/32/16, bfloat16, int64/32/16/8, uint8 and bool.
//
// Bad input (missing file, a directory, a truncated file, not a model, a pickle that is not a dict
// of tensors) fails open() with one sentence naming the file; LibTorch's exceptions never escape.
// Thread safety: after open(), every member is const and safe to call from several threads.
class TorchModelSource : public ModelSource {
public:
    // Detects the kind by content: a zip archive holding TorchScript code is opened as a module,
    // any other zip or a legacy pickle as a state dict.
    static Result<std::unique_ptr<ModelSource>> open(const std::string &path);
    static Result<std::unique_ptr<ModelSource>> openStateDict(const std::string &path);
    static Result<std::unique_ptr<ModelSource>> openTorchScript(const std::string &path);

    ~TorchModelSource() override;
    const std::string &path() const override { return m_path; }
    std::string formatName() const override;
    const std::vector<TensorInfo> &tensors() const override { return m_tensors; }
    Result<TensorData> read(std::size_t i) const override;
    TensorView view(std::size_t i) const override;

    bool isTorchScript() const;
    // Parameters only (TorchScript), or every tensor (state dict).
    std::size_t parameterCount() const { return m_parameterCount; }

    struct Impl;

private:
    TorchModelSource();
    std::string m_path;
    std::vector<TensorInfo> m_tensors;
    std::size_t m_parameterCount = 0;
    std::unique_ptr<Impl> m_impl;
};

// Caps LibTorch's intra-op threads once per process, so that it does not fight our own workers.
void limitTorchThreads();

} // namespace hc
