#include "core/torch/demomodel.h"

#include "core/io/safetensorssource.h"

#include <torch/script.h>

#include <cstring>
#include <memory>
#include <vector>

namespace hc {

namespace {

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// The first line of a LibTorch message: the rest is a C++ backtrace nobody should see.
std::string firstLine(const std::string &what)
{
    const auto nl = what.find('\n');
    return nl == std::string::npos ? what : what.substr(0, nl);
}

bool dtypeOf(c10::ScalarType t, DType &out)
{
    switch (t) {
    case c10::ScalarType::Float: out = DType::F32; return true;
    case c10::ScalarType::Double: out = DType::F64; return true;
    case c10::ScalarType::Half: out = DType::F16; return true;
    case c10::ScalarType::BFloat16: out = DType::BF16; return true;
    default: return false;
    }
}

Result<torch::jit::Module> loadModule(const std::string &path)
{
    try {
        torch::jit::Module m = torch::jit::load(path, torch::kCPU);
        m.eval();
        return m;
    } catch (const std::exception &e) {
        return Result<torch::jit::Module>::failure(path + ": cannot be loaded as a TorchScript module (" +
                                                   firstLine(e.what()) + ")");
    }
}

struct Testset {
    torch::Tensor inputs; // F32 [n, d]
    torch::Tensor labels; // I64 [n]
};

Result<Testset> loadTestset(const std::string &path)
{
    auto source = SafetensorsSource::openFile(path);
    if (!source)
        return Result<Testset>::failure(source.error());
    const long in = (*source)->indexOf("inputs");
    const long lb = (*source)->indexOf("labels");
    if (in < 0 || lb < 0)
        return Result<Testset>::failure(path + ": a test set needs the tensors \"inputs\" and \"labels\"");
    const TensorInfo &ii = (*source)->tensors()[std::size_t(in)];
    const TensorInfo &li = (*source)->tensors()[std::size_t(lb)];
    if (ii.dtype != DType::F32 || ii.shape.size() != 2 || ii.shape[0] < 1 || ii.shape[1] < 1)
        return Result<Testset>::failure(path + ": \"inputs\" must be F32 of shape [n, d] with n, d >= 1 (it is " +
                                        ii.dtypeName + " " + shapeText(ii.shape) + ")");
    if (li.dtype != DType::I64 || li.shape.size() != 1 || li.shape[0] != ii.shape[0])
        return Result<Testset>::failure(path + ": \"labels\" must be I64 of shape [" + std::to_string(ii.shape[0]) +
                                        "] (it is " + li.dtypeName + " " + shapeText(li.shape) + ")");
    auto inputs = (*source)->read(std::size_t(in));
    if (!inputs)
        return Result<Testset>::failure(inputs.error());
    auto labels = (*source)->read(std::size_t(lb));
    if (!labels)
        return Result<Testset>::failure(labels.error());
    Testset t;
    t.inputs = torch::empty({ii.shape[0], ii.shape[1]}, torch::kFloat32);
    std::memcpy(t.inputs.data_ptr(), inputs->bytes.data(), inputs->bytes.size());
    t.labels = torch::empty({li.shape[0]}, torch::kInt64);
    std::memcpy(t.labels.data_ptr(), labels->bytes.data(), labels->bytes.size());
    if (t.labels.min().item<std::int64_t>() < 0)
        return Result<Testset>::failure(path + ": \"labels\" holds a negative class");
    return t;
}

Status replaceParameters(torch::jit::Module &module, const std::string &modulePath,
                         const std::map<std::string, TensorData> &replacements)
{
    std::map<std::string, torch::Tensor> byName;
    for (const auto &p : module.named_parameters(true))
        byName.emplace(p.name, p.value);
    torch::NoGradGuard noGrad;
    for (const auto &[name, data] : replacements) {
        const auto it = byName.find(name);
        if (it == byName.end())
            return Status::failure(modulePath + ": the module has no parameter named \"" + name + "\"");
        torch::Tensor &target = it->second;
        const std::vector<std::int64_t> shape(target.sizes().begin(), target.sizes().end());
        if (data.shape != shape)
            return Status::failure(modulePath + ": the replacement for \"" + name + "\" has shape " +
                                   shapeText(data.shape) + " but the parameter has shape " + shapeText(shape));
        if (!isCompressibleFloat(data.dtype))
            return Status::failure(modulePath + ": the replacement for \"" + name + "\" is " + dtypeName(data.dtype) +
                                   ", not a float type");
        if (data.bytes.size() != data.numel() * dtypeSize(data.dtype))
            return Status::failure(modulePath + ": the replacement for \"" + name + "\" holds " +
                                   std::to_string(data.bytes.size()) + " bytes, not the " +
                                   std::to_string(data.numel() * dtypeSize(data.dtype)) + " its shape needs");
        torch::Tensor values = torch::empty(target.sizes(), torch::kFloat64);
        toDouble(data.view(), 0, data.numel(), values.data_ptr<double>());
        target.copy_(values.to(target.scalar_type()));
    }
    return {};
}

Result<double> run(const std::string &modulePath, const std::string &testsetPath,
                   const std::map<std::string, TensorData> *replacements)
{
    auto testset = loadTestset(testsetPath);
    if (!testset)
        return Result<double>::failure(testset.error());
    auto module = loadModule(modulePath);
    if (!module)
        return Result<double>::failure(module.error());
    if (replacements)
        if (Status s = replaceParameters(*module, modulePath, *replacements); !s)
            return Result<double>::failure(s.error());
    try {
        torch::NoGradGuard noGrad;
        const torch::IValue out = module->forward({testset->inputs});
        if (!out.isTensor())
            return Result<double>::failure(modulePath + ": forward() does not return a tensor");
        const torch::Tensor logits = out.toTensor();
        const std::int64_t n = testset->labels.size(0);
        if (logits.dim() != 2 || logits.size(0) != n)
            return Result<double>::failure(modulePath + ": forward() returns shape " +
                                           shapeText(std::vector<std::int64_t>(logits.sizes().begin(), logits.sizes().end())) +
                                           ", not [" + std::to_string(n) + ", classes]");
        if (testset->labels.max().item<std::int64_t>() >= logits.size(1))
            return Result<double>::failure(testsetPath + ": \"labels\" holds a class the model does not have (it has " +
                                           std::to_string(logits.size(1)) + ")");
        const std::int64_t correct = logits.argmax(1).eq(testset->labels).sum().item<std::int64_t>();
        return double(correct) / double(n);
    } catch (const std::exception &e) {
        return Result<double>::failure(modulePath + ": forward() failed on the test set " + testsetPath + " (" +
                                       firstLine(e.what()) + ")");
    }
}

} // namespace

Result<double> DemoModel::accuracy(const std::string &modulePath, const std::string &testsetPath)
{
    return run(modulePath, testsetPath, nullptr);
}

Result<double> DemoModel::accuracyWithParameters(const std::string &modulePath, const std::string &testsetPath,
                                                 const std::map<std::string, TensorData> &parameters)
{
    return run(modulePath, testsetPath, &parameters);
}

Result<std::map<std::string, TensorData>> DemoModel::parameters(const std::string &modulePath)
{
    using R = Result<std::map<std::string, TensorData>>;
    auto module = loadModule(modulePath);
    if (!module)
        return R::failure(module.error());
    std::map<std::string, TensorData> out;
    for (const auto &p : module->named_parameters(true)) {
        TensorData t;
        if (!dtypeOf(p.value.scalar_type(), t.dtype))
            return R::failure(modulePath + ": the parameter \"" + p.name + "\" is not of a float type");
        const torch::Tensor c = p.value.detach().contiguous();
        t.shape.assign(c.sizes().begin(), c.sizes().end());
        t.bytes.resize(std::size_t(c.numel()) * c.element_size());
        if (!t.bytes.empty())
            std::memcpy(t.bytes.data(), c.data_ptr(), t.bytes.size());
        out.emplace(p.name, std::move(t));
    }
    return out;
}

} // namespace hc
