#include "core/archive/modelrestorer.h"

#include "core/archive/archivereader.h"
#include "core/io/safetensorswriter.h"

#include <QFileInfo>

namespace hc {

Status ModelRestorer::writeSafetensors(const ModelSource &source, const std::string &outputPath,
                                       const std::map<std::string, std::string> &metadata, ProgressSink *progress)
{
    const QFileInfo in(QString::fromStdString(source.path())), out(QString::fromStdString(outputPath));
    if (in.exists() && out.exists() && in.canonicalFilePath() == out.canonicalFilePath())
        return Status::failure(outputPath + ": the output would overwrite the file it is read from");
    SafetensorsWriter writer(outputPath);
    writer.setMetadata(metadata);
    const auto &tensors = source.tensors();
    std::uint64_t total = 0, done = 0;
    for (const auto &t : tensors) {
        const std::string name = t.dtypeName.empty() ? std::string(dtypeName(t.dtype)) : t.dtypeName;
        if (Status s = writer.declareTensor(t.name, name, t.shape, t.byteSize); !s)
            return s;
        total += t.byteSize;
    }
    if (Status s = writer.begin(); !s)
        return s;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (progress) {
            if (progress->cancelRequested())
                return Status::failure(outputPath + ": writing was cancelled");
            progress->setStep("Writing '" + tensors[i].name + "' (" + std::to_string(i + 1) + " of " +
                              std::to_string(tensors.size()) + ")");
        }
        auto data = source.read(i);
        if (!data)
            return Status::failure(data.error());
        if (data->bytes.size() != tensors[i].byteSize)
            return Status::failure(source.path() + ": tensor '" + tensors[i].name + "' came back with " +
                                   std::to_string(data->bytes.size()) + " bytes instead of " +
                                   std::to_string(tensors[i].byteSize));
        if (Status s = writer.writeTensor(i, data->bytes.data(), data->bytes.size()); !s)
            return s;
        source.release(i);
        done += tensors[i].byteSize;
        if (progress && total)
            progress->setProgress(double(done) / double(total));
    }
    return writer.commit();
}

Status ModelRestorer::restoreArchive(const std::string &archivePath, const std::string &outputPath,
                                     ProgressSink *progress, int threads)
{
    ArchiveReader::Options options;
    options.threads = threads;
    auto reader = ArchiveReader::open(archivePath, options, progress);
    if (!reader)
        return Status::failure(reader.error());
    return writeSafetensors(**reader, outputPath, {}, progress);
}

} // namespace hc
