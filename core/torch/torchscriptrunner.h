#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// Runs a TorchScript module whose forward takes one float tensor (for "Verify": original and
// restored side by side). The output is the returned tensor, or the first tensor of a returned
// tuple or list. Runs on the CPU without autograd.
// Thread safety: run() may be called from one thread at a time per runner.
class TorchScriptRunner {
public:
    static Result<std::unique_ptr<TorchScriptRunner>> load(const std::string &path);
    ~TorchScriptRunner();

    const std::string &path() const { return m_path; }
    // The forward schema as LibTorch prints it, e.g. "forward(__torch__.Net self, Tensor x) -> Tensor".
    std::string forwardSchema() const;

    Result<TensorData> run(const TensorData &input) const;
    // Runs on a standard-normal F32 input of `shape`, the same for the same seed on every machine.
    Result<TensorData> runRandom(const std::vector<std::int64_t> &shape, std::uint64_t seed = 0) const;
    // That input, so that two models can be fed the same tensor.
    static Result<TensorData> randomInput(const std::vector<std::int64_t> &shape, std::uint64_t seed = 0);

    struct Impl;

private:
    TorchScriptRunner();
    std::string m_path;
    std::unique_ptr<Impl> m_impl;
};

} // namespace hc
