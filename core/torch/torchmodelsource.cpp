#include "core/torch/torchmodelsource.h"

#include "core/io/mappedfile.h"
#include "core/torch/torchpickle.h"
#include "core/torch/torchtensors.h"

#include <ATen/Parallel.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/script.h>

#include <cstring>
#include <mutex>

namespace hc {

struct TorchModelSource::Impl {
    bool torchScript = false;
    // state dict
    std::shared_ptr<const MappedFile> file;
    std::vector<PickledTensor> pickled;
    std::vector<PickledStorage> storageOf; // per tensor
    // TorchScript
    std::vector<at::Tensor> tensors;
};

namespace {

using SourceResult = Result<std::unique_ptr<ModelSource>>;

bool isZip(const std::uint8_t *d, std::uint64_t n)
{
    return n >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4;
}

bool rowMajor(const std::vector<std::int64_t> &shape, const std::vector<std::int64_t> &stride)
{
    std::int64_t expected = 1;
    for (std::size_t d = shape.size(); d-- > 0;) {
        if (shape[d] != 1 && stride[d] != expected)
            return false;
        expected *= shape[d];
    }
    return true;
}

// Checks a tensor's window against its storage and the file; an error sentence or empty.
std::string checkWindow(const PickledTensor &t, const PickledStorage &st, std::uint64_t fileSize)
{
    if (t.storageOffset < 0)
        return "tensor \"" + t.name + "\" has a negative storage offset";
    std::uint64_t numel = 1, last = std::uint64_t(t.storageOffset);
    for (std::size_t d = 0; d < t.shape.size(); ++d)
        if (t.shape[d] < 0 || t.stride[d] < 0)
            return "tensor \"" + t.name + "\" has a negative size or stride";
    for (std::size_t d = 0; d < t.shape.size(); ++d) {
        if (t.shape[d] == 0)
            return {}; // an empty tensor reads nothing
        // 2^40 bytes at most: beyond that a tensor is a corrupt size, not a model on this machine
        const std::uint64_t limit = (std::uint64_t(1) << 40) / dtypeSize(t.dtype);
        if (numel > limit / std::uint64_t(t.shape[d])
            || (t.stride[d] > 0 && std::uint64_t(t.shape[d] - 1) > limit / std::uint64_t(t.stride[d])))
            return "tensor \"" + t.name + "\" has an impossibly large size or stride";
        numel *= std::uint64_t(t.shape[d]);
        last += std::uint64_t(t.shape[d] - 1) * std::uint64_t(t.stride[d]);
    }
    if (st.numel > fileSize)
        return "storage " + t.storageKey + " claims more elements than the file has bytes; the file is damaged";
    if (last >= st.numel)
        return "tensor \"" + t.name + "\" reaches element " + std::to_string(last) + " of storage " + t.storageKey + ", which has only "
               + std::to_string(st.numel);
    const std::uint64_t bytes = st.numel * dtypeSize(st.dtype);
    if (st.fileOffset > fileSize || bytes > fileSize - st.fileOffset)
        return "the data of storage " + t.storageKey + " (" + std::to_string(bytes) + " bytes at byte " + std::to_string(st.fileOffset)
               + ") runs past the end of the file (" + std::to_string(fileSize) + " bytes); the file is truncated";
    return {};
}

TensorInfo infoOf(const std::string &name, DType dtype, const std::vector<std::int64_t> &shape)
{
    TensorInfo info;
    info.name = name;
    info.shape = shape;
    info.dtype = dtype;
    info.dtypeName = dtypeName(dtype);
    info.byteSize = shapeNumel(shape) * dtypeSize(dtype);
    return info;
}

} // namespace

void limitTorchThreads()
{
    static std::once_flag once;
    std::call_once(once, [] { at::set_num_threads(1); });
}

TorchModelSource::TorchModelSource() : m_impl(std::make_unique<Impl>()) {}
TorchModelSource::~TorchModelSource() = default;

std::string TorchModelSource::formatName() const
{
    return m_impl->torchScript ? "TorchScript" : "PyTorch state dict";
}

bool TorchModelSource::isTorchScript() const
{
    return m_impl->torchScript;
}

SourceResult TorchModelSource::open(const std::string &path)
{
    auto file = MappedFile::open(path);
    if (!file)
        return SourceResult::failure(file.error());
    const std::uint8_t *d = (*file)->data();
    const std::uint64_t n = (*file)->size();
    if (n == 0)
        return SourceResult::failure(path + ": the file is empty");
    if (isZip(d, n)) {
        bool script = false;
        try {
            caffe2::serialize::PyTorchStreamReader reader(path);
            for (const auto &r : reader.getAllRecords())
                if (r == "constants.pkl" || r.rfind("code/", 0) == 0) {
                    script = true;
                    break;
                }
        } catch (const std::exception &e) {
            return SourceResult::failure(path + ": is a zip archive that PyTorch did not write, or one that is truncated or damaged ("
                                         + torchErrorText(e) + ")");
        }
        return script ? openTorchScript(path) : openStateDict(path);
    }
    if (TorchPickle::looksLikeLegacy(reinterpret_cast<const char *>(d), std::size_t(n)))
        return openStateDict(path);
    if (d[0] == 0x80)
        return SourceResult::failure(path + ": is a Python pickle but not one written by torch.save");
    return SourceResult::failure(path
                                 + ": is not a PyTorch file (neither a zip archive written by torch.save or torch.jit.save nor a legacy "
                                   "torch.save pickle)");
}

SourceResult TorchModelSource::openStateDict(const std::string &path)
{
    auto file = MappedFile::open(path);
    if (!file)
        return SourceResult::failure(file.error());
    const char *d = reinterpret_cast<const char *>((*file)->data());
    const std::uint64_t n = (*file)->size();
    if (n == 0)
        return SourceResult::failure(path + ": the file is empty");

    Result<PickledStateDict> parsed = Result<PickledStateDict>::failure({});
    if (isZip((*file)->data(), n)) {
        try {
            caffe2::serialize::PyTorchStreamReader reader(path);
            if (!reader.hasRecord("data.pkl"))
                return SourceResult::failure(path + ": the zip archive has no data.pkl, so it is not a torch.save file");
            auto [pkl, size] = reader.getRecord("data.pkl");
            parsed = TorchPickle::parseZipPickle(static_cast<const char *>(pkl.get()), size);
            if (parsed)
                for (auto &[key, st] : parsed->storages) {
                    const std::string record = "data/" + key;
                    if (st.dtype == DType::Unknown)
                        continue;
                    if (!reader.hasRecord(record))
                        return SourceResult::failure(path + ": the zip archive has no data for storage " + key + "; the file is damaged");
                    st.fileOffset = reader.getRecordOffset(record);
                }
        } catch (const std::exception &e) {
            return SourceResult::failure(path + ": the zip archive cannot be read (" + torchErrorText(e) + ")");
        }
    } else if (TorchPickle::looksLikeLegacy(d, std::size_t(n))) {
        parsed = TorchPickle::parseLegacyFile(d, std::size_t(n));
    } else {
        return SourceResult::failure(path + ": is not a torch.save file (neither a zip archive nor a legacy pickle)");
    }
    if (!parsed)
        return SourceResult::failure(path + ": cannot be read as a PyTorch state dict: " + parsed.error());

    std::unique_ptr<TorchModelSource> src(new TorchModelSource);
    src->m_path = path;
    src->m_impl->file = *file;
    for (auto &t : parsed->tensors) {
        const PickledStorage &st = parsed->storages.at(t.storageKey);
        const std::string problem = checkWindow(t, st, n);
        if (!problem.empty())
            return SourceResult::failure(path + ": " + problem);
        src->m_tensors.push_back(infoOf(t.name, t.dtype, t.shape));
        src->m_impl->storageOf.push_back(st);
        src->m_impl->pickled.push_back(std::move(t));
    }
    src->m_parameterCount = src->m_tensors.size();
    return SourceResult(std::move(src));
}

SourceResult TorchModelSource::openTorchScript(const std::string &path)
{
    {
        auto file = MappedFile::open(path); // the same wording for a missing file or a folder
        if (!file)
            return SourceResult::failure(file.error());
        if ((*file)->size() == 0)
            return SourceResult::failure(path + ": the file is empty");
    }
    limitTorchThreads();
    std::unique_ptr<TorchModelSource> src(new TorchModelSource);
    src->m_path = path;
    src->m_impl->torchScript = true;
    try {
        torch::jit::Module module = torch::jit::load(path, c10::Device(c10::kCPU));
        auto add = [&](const std::string &name, const at::Tensor &t) {
            const DType dtype = dtypeFromTorch(t.scalar_type());
            if (dtype == DType::Unknown || t.is_quantized() || t.is_sparse() || !t.device().is_cpu())
                return false; // carried as they are when the module is restored
            src->m_tensors.push_back(infoOf(name, dtype, t.sizes().vec()));
            src->m_impl->tensors.push_back(t.detach());
            return true;
        };
        for (const auto &p : module.named_parameters(/*recurse=*/true))
            if (add(p.name, p.value))
                ++src->m_parameterCount;
        for (const auto &b : module.named_buffers(/*recurse=*/true))
            add(b.name, b.value);
    } catch (const std::exception &e) {
        return SourceResult::failure(path + ": cannot be loaded as a TorchScript module (" + torchErrorText(e) + ")");
    }
    return SourceResult(std::move(src));
}

Result<TensorData> TorchModelSource::read(std::size_t i) const
{
    if (i >= m_tensors.size())
        return Result<TensorData>::failure(m_path + ": there is no tensor number " + std::to_string(i));
    const TensorInfo &info = m_tensors[i];
    TensorData out;
    out.shape = info.shape;
    out.dtype = info.dtype;
    try {
        out.bytes.resize(std::size_t(info.byteSize));
    } catch (const std::bad_alloc &) {
        return Result<TensorData>::failure(m_path + ": there is not enough memory to read tensor \"" + info.name + "\" ("
                                           + std::to_string(info.byteSize) + " bytes)");
    }
    if (info.byteSize == 0)
        return out;
    if (m_impl->torchScript) {
        const at::Tensor t = m_impl->tensors[i].contiguous();
        std::memcpy(out.bytes.data(), t.data_ptr(), out.bytes.size());
        return out;
    }
    const PickledTensor &t = m_impl->pickled[i];
    const std::size_t es = dtypeSize(t.dtype);
    const std::uint8_t *base = m_impl->file->data() + m_impl->storageOf[i].fileOffset;
    if (rowMajor(t.shape, t.stride)) {
        std::memcpy(out.bytes.data(), base + std::size_t(t.storageOffset) * es, out.bytes.size());
        return out;
    }
    // A strided window (e.g. a transposed view saved as it was): gather element by element.
    const std::size_t rank = t.shape.size();
    std::vector<std::int64_t> index(rank, 0);
    const std::size_t numel = info.numel();
    for (std::size_t k = 0; k < numel; ++k) {
        std::int64_t at = t.storageOffset;
        for (std::size_t d = 0; d < rank; ++d)
            at += index[d] * t.stride[d];
        std::memcpy(out.bytes.data() + k * es, base + std::size_t(at) * es, es);
        for (std::size_t d = rank; d-- > 0;) {
            if (++index[d] < t.shape[d])
                break;
            index[d] = 0;
        }
    }
    return out;
}

TensorView TorchModelSource::view(std::size_t i) const
{
    if (i >= m_tensors.size())
        return {};
    const TensorInfo &info = m_tensors[i];
    if (m_impl->torchScript) {
        const at::Tensor &t = m_impl->tensors[i];
        if (!t.is_contiguous() || info.byteSize == 0)
            return {};
        return {t.data_ptr(), info.dtype, std::size_t(info.numel())};
    }
    const PickledTensor &t = m_impl->pickled[i];
    if (!rowMajor(t.shape, t.stride) || info.byteSize == 0)
        return {};
    const std::uint8_t *base = m_impl->file->data() + m_impl->storageOf[i].fileOffset;
    return {base + std::size_t(t.storageOffset) * dtypeSize(t.dtype), info.dtype, std::size_t(info.numel())};
}

} // namespace hc
