// libFuzzer target: the archive reader (ArchiveReader::open) and the restore of every tensor.
//
// A random mutation almost never keeps a payload's CRC-32 right, so the checksum would stop the
// fuzzer before the decoder. Each input therefore runs twice: as it is, and (when it parses as
// safetensors with a HyperComp tensor list) with every listed crc32 recomputed from the stored
// bytes, so that the entry checks and HyperCodec::decodePacked see mutated headers and payloads.
#include "core/archive/archivereader.h"
#include "core/archive/crc32.h"
#include "core/io/safetensorssource.h"
#include "tests/fuzz/fuzzinput.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <vector>

namespace {

void openAndRestore(const std::uint8_t *data, std::size_t size)
{
    hc::fuzz::MemoryFile file(data, size);
    hc::ArchiveReader::Options options;
    options.threads = 1;
    auto opened = hc::ArchiveReader::open(file.path(), options);
    if (!opened) {
        hc::fuzz::expectNamedError(opened.error(), file.path());
        return;
    }
    const hc::ArchiveReader &archive = **opened;
    for (std::size_t i = 0; i < archive.entries().size(); ++i) {
        // The inputs are small, but a tiny payload may still declare a large tensor: bound the work.
        if (archive.tensors()[i].byteSize > (std::uint64_t(64) << 20))
            continue;
        auto restored = archive.restore(i, 1);
        if (!restored)
            hc::fuzz::expectNamedError(restored.error(), file.path());
        else if (restored->bytes.size() != archive.tensors()[i].byteSize)
            std::abort();
    }
}

// The input with each tensor-list entry's crc32 set to the CRC of its stored bytes, or empty.
std::vector<std::uint8_t> withTrueChecksums(const std::uint8_t *data, std::size_t size)
{
    hc::fuzz::MemoryFile file(data, size);
    auto opened = hc::SafetensorsSource::openFile(file.path());
    if (!opened)
        return {};
    const hc::SafetensorsSource &src = **opened;
    const auto list = src.metadata().find("hypercomp");
    if (list == src.metadata().end())
        return {};
    QJsonObject listObject = QJsonDocument::fromJson(QByteArray::fromStdString(list->second)).object();
    QJsonArray entries = listObject.value(QStringLiteral("tensors")).toArray();
    bool changed = false;
    for (qsizetype k = 0; k < entries.size(); ++k) {
        QJsonObject e = entries[k].toObject();
        const long i = src.indexOf(e.value(QStringLiteral("name")).toString().toStdString());
        if (i < 0)
            continue;
        char hex[9];
        std::snprintf(hex, sizeof hex, "%08x",
                      hc::Crc32::compute(src.fileData() + src.fileOffset(std::size_t(i)), std::size_t(src.tensors()[std::size_t(i)].byteSize)));
        if (e.value(QStringLiteral("crc32")).toString() == QLatin1String(hex))
            continue;
        e.insert(QStringLiteral("crc32"), QString::fromLatin1(hex));
        entries[k] = e;
        changed = true;
    }
    if (!changed)
        return {};
    listObject.insert(QStringLiteral("tensors"), entries);

    const QByteArray oldHeader(reinterpret_cast<const char *>(data) + 8, qsizetype(src.headerLength()));
    QJsonObject header = QJsonDocument::fromJson(oldHeader).object();
    QJsonObject meta = header.value(QStringLiteral("__metadata__")).toObject();
    meta.insert(QStringLiteral("hypercomp"), QString::fromUtf8(QJsonDocument(listObject).toJson(QJsonDocument::Compact)));
    header.insert(QStringLiteral("__metadata__"), meta);
    const QByteArray newHeader = QJsonDocument(header).toJson(QJsonDocument::Compact);

    std::vector<std::uint8_t> out(8);
    const std::uint64_t n = std::uint64_t(newHeader.size());
    for (int b = 0; b < 8; ++b)
        out[std::size_t(b)] = std::uint8_t(n >> (8 * b));
    out.insert(out.end(), newHeader.begin(), newHeader.end());
    const std::size_t dataStart = std::size_t(8 + src.headerLength());
    out.insert(out.end(), data + dataStart, data + size);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    openAndRestore(data, size);
    const std::vector<std::uint8_t> fixed = withTrueChecksums(data, size);
    if (!fixed.empty())
        openAndRestore(fixed.data(), fixed.size());
    return 0;
}
