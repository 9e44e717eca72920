#include "core/torch/torchscriptrunner.h"

#include "core/io/mappedfile.h"
#include "core/torch/torchmodelsource.h"
#include "core/torch/torchtensors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/script.h>

#include <sstream>

namespace hc {

struct TorchScriptRunner::Impl {
    torch::jit::Module module;
};

TorchScriptRunner::TorchScriptRunner() : m_impl(std::make_unique<Impl>()) {}
TorchScriptRunner::~TorchScriptRunner() = default;

Result<std::unique_ptr<TorchScriptRunner>> TorchScriptRunner::load(const std::string &path)
{
    using R = Result<std::unique_ptr<TorchScriptRunner>>;
    {
        auto file = MappedFile::open(path);
        if (!file)
            return R::failure(file.error());
        if ((*file)->size() == 0)
            return R::failure(path + ": the file is empty");
    }
    limitTorchThreads();
    std::unique_ptr<TorchScriptRunner> runner(new TorchScriptRunner);
    runner->m_path = path;
    try {
        runner->m_impl->module = torch::jit::load(path, c10::Device(c10::kCPU));
        runner->m_impl->module.eval();
        if (!runner->m_impl->module.find_method("forward"))
            return R::failure(path + ": the TorchScript module has no forward method");
    } catch (const std::exception &e) {
        return R::failure(path + ": cannot be loaded as a TorchScript module (" + torchErrorText(e) + ")");
    }
    return R(std::move(runner));
}

std::string TorchScriptRunner::forwardSchema() const
{
    try {
        std::ostringstream s;
        s << m_impl->module.get_method("forward").function().getSchema();
        return s.str();
    } catch (const std::exception &) {
        return {};
    }
}

Result<TensorData> TorchScriptRunner::run(const TensorData &input) const
{
    using R = Result<TensorData>;
    Result<at::Tensor> in = tensorFromData(input);
    if (!in)
        return R::failure(m_path + ": the input cannot be handed to the model: " + in.error());
    try {
        c10::InferenceMode inference;
        const c10::IValue out = m_impl->module.forward({*in});
        if (out.isTensor())
            return dataFromTensor(out.toTensor());
        if (out.isTuple() || out.isList()) {
            const auto items = out.isTuple() ? out.toTupleRef().elements().vec() : out.toListRef().vec();
            for (const auto &item : items)
                if (item.isTensor())
                    return dataFromTensor(item.toTensor());
        }
        return R::failure(m_path + ": forward returned " + out.tagKind() + ", not a tensor");
    } catch (const std::exception &e) {
        return R::failure(m_path + ": forward failed on a " + c10::str(c10::IntArrayRef(input.shape)) + " input ("
                          + torchErrorText(e) + ")");
    }
}

Result<TensorData> TorchScriptRunner::randomInput(const std::vector<std::int64_t> &shape, std::uint64_t seed)
{
    for (auto d : shape)
        if (d < 0)
            return Result<TensorData>::failure("the input shape has a negative dimension");
    try {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
        return dataFromTensor(at::randn(shape, gen, at::TensorOptions().dtype(at::kFloat)));
    } catch (const std::exception &e) {
        return Result<TensorData>::failure("the random input could not be made (" + torchErrorText(e) + ")");
    }
}

Result<TensorData> TorchScriptRunner::runRandom(const std::vector<std::int64_t> &shape, std::uint64_t seed) const
{
    Result<TensorData> input = randomInput(shape, seed);
    if (!input)
        return input;
    return run(*input);
}

} // namespace hc
