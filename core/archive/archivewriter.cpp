#include "core/archive/archivewriter.h"

#include "core/archive/archiveformat.h"
#include "core/archive/crc32.h"
#include "core/io/safetensorswriter.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

#include <set>

namespace hc {

namespace {
constexpr std::uint64_t kCopyChunk = std::uint64_t(8) << 20;
}

ArchiveWriter::ArchiveWriter(std::string path) : m_path(std::move(path)) {}

ArchiveWriter::~ArchiveWriter()
{
    cancel();
}

void ArchiveWriter::cancel()
{
    m_spool.reset(); // QTemporaryFile removes the spool
}

Status ArchiveWriter::fail(std::string message)
{
    cancel();
    m_failed = true;
    m_error = message;
    return Status::failure(std::move(message));
}

Status ArchiveWriter::openSpool()
{
    const QFileInfo info(QString::fromStdString(m_path));
    const QDir dir = info.absoluteDir();
    if (!dir.exists())
        return fail(m_path + ": cannot be written because the folder " + dir.path().toStdString() + " does not exist");
    if (info.isDir())
        return fail(m_path + ": cannot be written because it is a folder");
    // Next to the output, so that the spool lives on the same disk and needs no other space.
    m_spool = std::make_unique<QTemporaryFile>(dir.filePath(QStringLiteral(".") + info.fileName() +
                                                             QStringLiteral(".spool-XXXXXX")));
    if (!m_spool->open())
        return fail(m_path + ": cannot be written (" + m_spool->errorString().toStdString() + ")");
    return {};
}

Status ArchiveWriter::spool(ArchiveEntry entry, const void *data, std::uint64_t bytes)
{
    if (m_failed)
        return Status::failure(m_error);
    if (m_committed)
        return Status::failure(m_path + ": the archive is already committed");
    for (const auto &e : m_entries)
        if (e.name == entry.name)
            return Status::failure(m_path + ": tensor '" + entry.name + "' is added twice");
    if (!m_spool)
        if (Status s = openSpool(); !s)
            return s;
    entry.payloadBytes = bytes;
    entry.crc32 = Crc32::compute(data, std::size_t(bytes));
    const char *p = static_cast<const char *>(data);
    for (std::uint64_t done = 0; done < bytes;) {
        const qint64 chunk = qint64(std::min(bytes - done, kCopyChunk));
        if (m_spool->write(p + done, chunk) != chunk)
            return fail(m_path + ": writing the temporary spool file failed (" + m_spool->errorString().toStdString() + ")");
        done += std::uint64_t(chunk);
    }
    m_entries.push_back(std::move(entry));
    return {};
}

Status ArchiveWriter::addCompressed(const std::string &name, const EncodedTensor &encoded)
{
    ArchiveEntry e;
    e.name = name;
    e.shape = encoded.shape;
    e.dtype = encoded.dtype;
    e.dtypeName = dtypeName(encoded.dtype);
    e.status = TensorStatus::Compressed;
    // Field by field: copying the whole EncodedTensor would duplicate its indices for a moment.
    EncodedTensor &h = e.header;
    h.shape = encoded.shape;
    h.dtype = encoded.dtype;
    h.numel = encoded.numel;
    h.samples = encoded.samples;
    h.box = encoded.box;
    h.classes = encoded.classes;
    h.centreX = encoded.centreX;
    h.centreY = encoded.centreY;
    h.farthest = encoded.farthest;
    h.bits = encoded.bits;
    h.mae = encoded.mae;
    if (shapeNumel(encoded.shape) != encoded.numel)
        return Status::failure(m_path + ": tensor '" + name + "' has a shape that does not match its element count");
    const std::vector<std::uint8_t> packed = encoded.packed();
    return spool(std::move(e), packed.data(), packed.size());
}

Status ArchiveWriter::addEncoded(const std::string &name, const ModeEncoded &encoded)
{
    if (shapeNumel(encoded.shape) != encoded.numel)
        return Status::failure(m_path + ": tensor '" + name + "' has a shape that does not match its element count");
    if (encoded.numel == 0 || !isCompressibleFloat(encoded.dtype))
        return Status::failure(m_path + ": tensor '" + name + "' cannot be stored compressed (empty or not a float type)");
    ArchiveEntry e = ArchiveFormat::compressedEntry(name, encoded);
    return spool(std::move(e), encoded.payload.data(), encoded.payload.size());
}

Status ArchiveWriter::addRaw(const TensorInfo &info, const TensorView &data, const std::string &reason)
{
    ArchiveEntry e;
    e.name = info.name;
    e.shape = info.shape;
    e.dtype = info.dtype;
    e.dtypeName = info.dtypeName.empty() ? std::string(dtypeName(info.dtype)) : info.dtypeName;
    e.status = TensorStatus::Raw;
    e.reason = reason;
    const std::uint64_t bytes = info.numel() * dtypeSize(info.dtype);
    if (info.dtype == DType::Unknown || dtypeFromName(e.dtypeName) != info.dtype)
        return Status::failure(m_path + ": tensor '" + info.name + "' has a dtype that cannot be stored");
    if (data.byteSize() != bytes || (bytes > 0 && data.data == nullptr))
        return Status::failure(m_path + ": tensor '" + info.name + "' is given " + std::to_string(data.byteSize()) +
                               " bytes but its shape and dtype need " + std::to_string(bytes));
    return spool(std::move(e), data.data, bytes);
}

Status ArchiveWriter::commit(ProgressSink *progress)
{
    if (m_failed)
        return Status::failure(m_error);
    if (m_committed)
        return {};
    if (!m_spool)
        if (Status s = openSpool(); !s)
            return s;
    if (!m_spool->flush() || !m_spool->seek(0))
        return fail(m_path + ": reading back the temporary spool file failed (" + m_spool->errorString().toStdString() + ")");

    SafetensorsWriter out(m_path);
    out.setMetadata(ArchiveFormat::metadata(m_entries));
    for (const auto &e : m_entries)
        if (Status s = out.declareTensor(e.name, ArchiveFormat::storedDtypeName(e), ArchiveFormat::storedShape(e),
                                         e.payloadBytes);
            !s)
            return fail(s.error());
    if (Status s = out.begin(); !s)
        return fail(s.error());

    std::uint64_t totalPayload = 0, copied = 0;
    for (const auto &e : m_entries)
        totalPayload += e.payloadBytes;
    std::vector<char> buffer(std::size_t(std::min(kCopyChunk, std::max<std::uint64_t>(totalPayload, 1))));
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const ArchiveEntry &e = m_entries[i];
        std::uint32_t crc = 0;
        for (std::uint64_t done = 0; done < e.payloadBytes;) {
            if (progress && progress->cancelRequested())
                return fail(m_path + ": writing the archive was cancelled");
            const qint64 chunk = qint64(std::min<std::uint64_t>(e.payloadBytes - done, buffer.size()));
            if (m_spool->read(buffer.data(), chunk) != chunk)
                return fail(m_path + ": reading back the temporary spool file failed (" +
                            m_spool->errorString().toStdString() + ")");
            crc = Crc32::update(crc, buffer.data(), std::size_t(chunk));
            if (Status s = out.writeTensor(i, buffer.data(), std::uint64_t(chunk)); !s)
                return fail(s.error());
            done += std::uint64_t(chunk);
            copied += std::uint64_t(chunk);
            if (progress && totalPayload)
                progress->setProgress(double(copied) / double(totalPayload));
        }
        // The spool went through the page cache and the disk: make sure it came back unchanged.
        if (crc != e.crc32)
            return fail(m_path + ": the temporary spool file of tensor '" + e.name + "' changed on disk");
    }
    if (Status s = out.commit(); !s)
        return fail(s.error());
    m_fileSize = ArchiveFormat::computeArchiveBytes(m_entries);
    m_committed = true;
    cancel();
    return {};
}

} // namespace hc
