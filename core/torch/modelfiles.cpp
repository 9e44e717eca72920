#include "core/torch/modelfiles.h"

#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/io/shardedsafetensorssource.h"
#include "core/torch/torchmodelsource.h"
#include "core/torch/torchmodelwriter.h"
#include "core/torch/torchpickle.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cctype>

namespace hc {

namespace {

using SourceResult = Result<std::unique_ptr<ModelSource>>;

std::string lowerSuffix(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return {};
    std::string s = path.substr(dot);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool isTorchSuffix(const std::string &suffix)
{
    return suffix == ".pt" || suffix == ".pth" || suffix == ".bin";
}

Status checkTensor(const std::string &path, const TensorInfo &info, const TensorData &t)
{
    if (t.shape != info.shape || t.dtype != info.dtype)
        return Status::failure(path + ": tensor \"" + info.name + "\" came with a different shape or element type than declared");
    if (t.bytes.size() != info.byteSize)
        return Status::failure(path + ": tensor \"" + info.name + "\" holds " + std::to_string(t.bytes.size()) + " bytes where "
                               + std::to_string(info.byteSize) + " were declared");
    return {};
}

Status writeSafetensors(const std::string &path, const std::vector<TensorInfo> &tensors, const TensorAt &tensorAt, ProgressSink *progress)
{
    SafetensorsWriter writer(path);
    for (const auto &t : tensors) {
        const std::string name = t.dtypeName.empty() || dtypeFromName(t.dtypeName) == t.dtype ? dtypeName(t.dtype) : t.dtypeName;
        if (Status s = writer.declareTensor(t.name, name, t.shape, t.byteSize); !s)
            return s;
    }
    if (Status s = writer.begin(); !s)
        return s;
    if (progress)
        progress->setStep("Writing " + path);
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (progress && progress->cancelRequested())
            return Status::failure(path + ": writing was cancelled"); // the writer drops its temporary file
        Result<TensorData> t = tensorAt(i);
        if (!t)
            return Status::failure(t.error());
        if (Status s = checkTensor(path, tensors[i], *t); !s)
            return s;
        if (Status s = writer.writeTensor(i, t->bytes.data(), t->bytes.size()); !s)
            return s;
        if (progress)
            progress->setProgress(double(i + 1) / double(tensors.size()));
    }
    return writer.commit();
}

} // namespace

const char *modelFormatName(ModelFormat format)
{
    switch (format) {
    case ModelFormat::Safetensors: return "safetensors";
    case ModelFormat::StateDict: return "PyTorch state dict";
    case ModelFormat::TorchScript: return "TorchScript";
    }
    return "unknown";
}

SourceResult openModel(const std::string &path)
{
    if (ShardedSafetensorsSource::isIndexFile(path))
        return ShardedSafetensorsSource::open(path);

    const QFileInfo info(QString::fromStdString(path));
    if (!info.exists())
        return SourceResult::failure(path + ": the file does not exist");
    if (info.isDir())
        return SourceResult::failure(path + ": is a folder, not a file");
    QFile file(info.filePath());
    if (!file.open(QIODevice::ReadOnly))
        return SourceResult::failure(path + ": the file cannot be read (" + file.errorString().toStdString() + ")");
    const QByteArray head = file.read(64);
    file.close();
    if (head.isEmpty())
        return SourceResult::failure(path + ": the file is empty");

    const std::string suffix = lowerSuffix(path);
    if (SafetensorsSource::isSafetensorsFile(path))
        return SafetensorsSource::open(path);
    const bool zip = head.startsWith(QByteArrayLiteral("PK\x03\x04"));
    const bool pickle = std::uint8_t(head[0]) == 0x80;
    if (zip || pickle)
        return TorchModelSource::open(path);
    if (head.trimmed().startsWith('{') && suffix == ".json")
        return ShardedSafetensorsSource::open(path);

    // Nothing matched: let the reader the extension suggests explain what is wrong.
    if (suffix == ".safetensors")
        return SafetensorsSource::open(path);
    if (isTorchSuffix(suffix))
        return TorchModelSource::open(path);
    return SourceResult::failure(path + ": is not a model file this program reads (safetensors, a PyTorch state dict or TorchScript)");
}

Result<ModelFormat> outputFormatFor(const std::string &path, const std::string &likePath)
{
    const std::string suffix = lowerSuffix(path);
    if (suffix == ".safetensors")
        return ModelFormat::Safetensors;
    if (isTorchSuffix(suffix))
        return likePath.empty() ? ModelFormat::StateDict : ModelFormat::TorchScript;
    return Result<ModelFormat>::failure(path + ": the extension does not say which format to write; use .safetensors, or .pt, .pth or .bin");
}

Status writeModel(const std::string &path, ModelFormat format, const std::vector<TensorInfo> &tensors, const TensorAt &tensorAt,
                  const std::string &likePath, ProgressSink *progress)
{
    if (tensors.empty())
        return Status::failure(path + ": there are no tensors to write");
    if (format == ModelFormat::Safetensors)
        return writeSafetensors(path, tensors, tensorAt, progress);

    std::vector<std::string> names;
    names.reserve(tensors.size());
    for (const auto &t : tensors)
        names.push_back(t.name);
    const TensorAt checked = [&](std::size_t i) -> Result<TensorData> {
        Result<TensorData> t = tensorAt(i);
        if (!t)
            return t;
        if (Status s = checkTensor(path, tensors[i], *t); !s)
            return Result<TensorData>::failure(s.error());
        return t;
    };
    return writeModel(path, format, names, checked, likePath, progress);
}

Status writeModel(const std::string &path, ModelFormat format, const std::vector<std::string> &names, const TensorAt &tensorAt,
                  const std::string &likePath, ProgressSink *progress)
{
    if (names.empty())
        return Status::failure(path + ": there are no tensors to write");
    switch (format) {
    case ModelFormat::Safetensors: {
        std::vector<TensorInfo> infos;
        infos.reserve(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            Result<TensorData> t = tensorAt(i);
            if (!t)
                return Status::failure(t.error());
            TensorInfo info;
            info.name = names[i];
            info.shape = t->shape;
            info.dtype = t->dtype;
            info.dtypeName = dtypeName(t->dtype);
            info.byteSize = t->bytes.size();
            infos.push_back(std::move(info));
        }
        return writeSafetensors(path, infos, tensorAt, progress);
    }
    case ModelFormat::StateDict:
        return TorchModelWriter::writeStateDict(path, names, tensorAt, progress);
    case ModelFormat::TorchScript:
        if (likePath.empty())
            return Status::failure(path + ": a TorchScript model can only be written like an original module, and none was given");
        return TorchModelWriter::writeTorchScript(path, likePath, names, tensorAt, progress);
    }
    return Status::failure(path + ": unknown output format");
}

} // namespace hc
