#include "core/archive/archivereader.h"

#include "core/archive/archiveformat.h"
#include "core/archive/crc32.h"
#include "core/codec/hypercodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cstring>
#include <unordered_map>

namespace hc {

namespace {

std::uint32_t payloadCrc(const std::uint8_t *p, std::uint64_t bytes, ProgressSink *progress, std::uint64_t &done,
                         std::uint64_t total, bool &cancelled)
{
    // In slices, so that a large archive can report progress and be cancelled while it is checked.
    constexpr std::uint64_t kSlice = std::uint64_t(64) << 20;
    std::uint32_t crc = 0;
    for (std::uint64_t off = 0; off < bytes; off += kSlice) {
        if (progress && progress->cancelRequested()) {
            cancelled = true;
            return 0;
        }
        const std::uint64_t n = std::min(kSlice, bytes - off);
        crc = Crc32::update(crc, p + off, std::size_t(n));
        done += n;
        if (progress && total)
            progress->setProgress(double(done) / double(total));
    }
    return crc;
}

} // namespace

bool ArchiveReader::isArchive(const std::string &path)
{
    if (!SafetensorsSource::isSafetensorsFile(path))
        return false;
    auto src = SafetensorsSource::openFile(path);
    if (!src)
        return false;
    const auto &meta = (*src)->metadata();
    const auto it = meta.find("format");
    return it != meta.end() && it->second == ArchiveFormat::kFormatName;
}

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::open(const std::string &path, const Options &options,
                                                           ProgressSink *progress)
{
    using R = Result<std::unique_ptr<ArchiveReader>>;
    auto opened = SafetensorsSource::openFile(path);
    if (!opened)
        return R::failure(opened.error());
    std::unique_ptr<ArchiveReader> a(new ArchiveReader);
    a->m_path = path;
    a->m_options = options;
    a->m_file = std::move(opened).value();
    const auto &meta = a->m_file->metadata();

    const auto format = meta.find("format");
    if (format == meta.end() || format->second != ArchiveFormat::kFormatName)
        return R::failure(path + ": is a safetensors file but not a HyperComp archive (its metadata has no \"format\": \"" +
                          ArchiveFormat::kFormatName + "\")");
    const auto version = meta.find("version");
    if (version == meta.end())
        return R::failure(path + ": the archive metadata has no version");
    bool versionOk = false;
    const int v = QString::fromStdString(version->second).toInt(&versionOk);
    if (!versionOk || v < 1)
        return R::failure(path + ": the archive version '" + version->second + "' is not a positive whole number");
    if (v > ArchiveFormat::kVersion)
        return R::failure(path + ": was written by a newer HyperComp (archive version " + std::to_string(v) +
                          "; this build reads version " + std::to_string(ArchiveFormat::kVersion) + ")");

    const auto list = meta.find("hypercomp");
    if (list == meta.end())
        return R::failure(path + ": the archive metadata has no \"hypercomp\" tensor list");
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(list->second), &err);
    if (err.error != QJsonParseError::NoError)
        return R::failure(path + ": the archive's tensor list is not valid JSON (" + err.errorString().toStdString() + ")");
    if (!doc.isObject() || !doc.object().value(QStringLiteral("tensors")).isArray())
        return R::failure(path + ": the archive's tensor list has no \"tensors\" array");
    const QJsonArray tensors = doc.object().value(QStringLiteral("tensors")).toArray();

    std::unordered_map<std::string, std::size_t> stored;
    for (std::size_t i = 0; i < a->m_file->tensors().size(); ++i)
        stored.emplace(a->m_file->tensors()[i].name, i);
    std::unordered_map<std::string, bool> seen;
    for (const QJsonValue &value : tensors) {
        if (!value.isObject())
            return R::failure(path + ": an entry of the archive's tensor list is not a JSON object");
        auto entry = ArchiveFormat::entryFromJson(value.toObject());
        if (!entry)
            return R::failure(path + ": " + entry.error());
        ArchiveEntry e = std::move(entry).value();
        if (seen[e.name])
            return R::failure(path + ": tensor '" + e.name + "' is listed twice");
        seen[e.name] = true;
        const auto it = stored.find(e.name);
        if (it == stored.end())
            return R::failure(path + ": tensor '" + e.name + "' is listed in the metadata but its data is missing");
        const TensorInfo &s = a->m_file->tensors()[it->second];
        if (s.dtypeName != ArchiveFormat::storedDtypeName(e) || s.shape != ArchiveFormat::storedShape(e))
            return R::failure(path + ": the stored tensor '" + e.name + "' (" + s.dtypeName + ", " +
                              std::to_string(s.byteSize) + " bytes) does not match its metadata (" +
                              ArchiveFormat::storedDtypeName(e) + ", " + std::to_string(e.payloadBytes) + " bytes)");
        a->m_stored.push_back(it->second);
        TensorInfo info;
        info.name = e.name;
        info.shape = e.shape;
        info.dtype = e.dtype;
        info.dtypeName = e.dtypeName;
        info.byteSize = e.numel() * dtypeSize(e.dtype);
        a->m_tensors.push_back(std::move(info));
        a->m_entries.push_back(std::move(e));
    }
    if (a->m_entries.size() != a->m_file->tensors().size())
        for (const auto &t : a->m_file->tensors())
            if (!seen.count(t.name))
                return R::failure(path + ": the stored tensor '" + t.name + "' is missing from the archive's tensor list");

    if (options.verifyChecksums) {
        std::uint64_t total = 0, done = 0;
        for (const auto &e : a->m_entries)
            total += e.payloadBytes;
        if (progress)
            progress->setStep("Checking " + path);
        for (std::size_t i = 0; i < a->m_entries.size(); ++i) {
            bool cancelled = false;
            const std::uint32_t crc =
                payloadCrc(a->payload(i), a->m_entries[i].payloadBytes, progress, done, total, cancelled);
            if (cancelled)
                return R::failure(path + ": checking the archive was cancelled");
            a->release(i);
            if (crc != a->m_entries[i].crc32)
                return R::failure(path + ": the payload of tensor '" + a->m_entries[i].name + "' fails its checksum");
        }
    }
    // The fixed file layout lets every entry's share of the file be recomputed exactly.
    ArchiveFormat::computeArchiveBytes(a->m_entries);
    return R(std::move(a));
}

void ArchiveReader::release(std::size_t i) const
{
    if (i < m_stored.size())
        m_file->release(m_stored[i]);
}

const std::uint8_t *ArchiveReader::payload(std::size_t i) const
{
    return m_file->fileData() + m_file->fileOffset(m_stored[i]);
}

Status ArchiveReader::restoreInto(std::size_t i, void *out, int threads) const
{
    if (i >= m_entries.size())
        return Status::failure(m_path + ": there is no tensor number " + std::to_string(i));
    const ArchiveEntry &e = m_entries[i];
    const std::uint8_t *p = payload(i);
    if (!m_options.verifyChecksums && Crc32::compute(p, std::size_t(e.payloadBytes)) != e.crc32)
        return Status::failure(m_path + ": the payload of tensor '" + e.name + "' fails its checksum");
    if (!e.compressed()) {
        if (e.payloadBytes)
            std::memcpy(out, p, std::size_t(e.payloadBytes));
        return {};
    }
    if (e.packedPaper()) {
        if (Status s = HyperCodec::decodePacked(e.header, p, std::size_t(e.payloadBytes), out, threads); !s)
            return Status::failure(m_path + ": tensor '" + e.name + "' cannot be decoded: " + s.error());
        return {};
    }
    // The other codings decode from a ModeEncoded; their payloads are small next to the tensor.
    const ModeEncoded m = ArchiveFormat::modeEncoded(e, std::vector<std::uint8_t>(p, p + e.payloadBytes));
    if (Status s = m.decode(out, threads); !s)
        return Status::failure(m_path + ": tensor '" + e.name + "' cannot be decoded (" + codecModeName(e.mode) +
                               " mode): " + s.error());
    return {};
}

Result<TensorData> ArchiveReader::restore(std::size_t i, int threads) const
{
    if (i >= m_entries.size())
        return Result<TensorData>::failure(m_path + ": there is no tensor number " + std::to_string(i));
    const ArchiveEntry &e = m_entries[i];
    TensorData d;
    d.shape = e.shape;
    d.dtype = e.dtype;
    d.bytes.resize(std::size_t(e.numel() * dtypeSize(e.dtype)));
    if (Status s = restoreInto(i, d.bytes.data(), threads); !s)
        return Result<TensorData>::failure(s.error());
    return d;
}

} // namespace hc
