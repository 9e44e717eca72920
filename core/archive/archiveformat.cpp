#include "core/archive/archiveformat.h"

#include "core/codec/bitpacker.h"
#include "core/codec/codecparams.h"
#include "core/codec/hypercodec.h"
#include "core/io/safetensorswriter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstdio>

namespace hc {

namespace {

QJsonArray shapeToJson(const std::vector<std::int64_t> &shape)
{
    QJsonArray a;
    for (auto d : shape)
        a.append(double(d));
    return a;
}

bool wholeNumber(const QJsonValue &v, double lo, double hi, double &out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi)
        return false;
    out = d;
    return true;
}

std::string entryText(const ArchiveEntry &e)
{
    return QJsonDocument(ArchiveFormat::entryToJson(e)).toJson(QJsonDocument::Compact).toStdString();
}

std::string hex8(std::uint32_t v)
{
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

} // namespace

QJsonObject ArchiveFormat::entryToJson(const ArchiveEntry &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), QString::fromStdString(e.name));
    o.insert(QStringLiteral("shape"), shapeToJson(e.shape));
    o.insert(QStringLiteral("dtype"), QString::fromStdString(e.dtypeName));
    o.insert(QStringLiteral("numel"), double(e.numel()));
    o.insert(QStringLiteral("payload_bytes"), double(e.payloadBytes));
    o.insert(QStringLiteral("crc32"), QString::fromStdString(hex8(e.crc32)));
    if (e.compressed() && e.mode == CodecMode::Paper) {
        const EncodedTensor &h = e.header;
        o.insert(QStringLiteral("status"), QStringLiteral("compressed"));
        o.insert(QStringLiteral("samples"), h.samples);
        // Qt writes doubles in their shortest exact form, so they read back bit for bit.
        o.insert(QStringLiteral("box"), h.box);
        o.insert(QStringLiteral("classes"), h.classes);
        o.insert(QStringLiteral("centre"), QJsonArray{h.centreX, h.centreY});
        o.insert(QStringLiteral("farthest"), h.farthest);
        o.insert(QStringLiteral("bits"), h.bits);
        // Fixed-width paper entries stay exactly what they were before the modes existed.
        if (e.entropy) {
            o.insert(QStringLiteral("mode"), QLatin1String(codecModeName(e.mode)));
            o.insert(QStringLiteral("entropy"), true);
        }
    } else if (e.compressed()) {
        o.insert(QStringLiteral("status"), QStringLiteral("compressed"));
        const QJsonObject params = ArchiveFormat::modeEncoded(e).toJson();
        for (auto it = params.begin(); it != params.end(); ++it)
            if (it.key() != QStringLiteral("dtype") && it.key() != QStringLiteral("shape") &&
                it.key() != QStringLiteral("numel")) // the entry's own keys already say these
                o.insert(it.key(), it.value());
    } else {
        o.insert(QStringLiteral("status"), QStringLiteral("raw"));
        o.insert(QStringLiteral("reason"), QString::fromStdString(e.reason));
    }
    return o;
}

Result<ArchiveEntry> ArchiveFormat::entryFromJson(const QJsonObject &o)
{
    using R = Result<ArchiveEntry>;
    ArchiveEntry e;
    if (!o.value(QStringLiteral("name")).isString() || o.value(QStringLiteral("name")).toString().isEmpty())
        return R::failure("an entry of its tensor list has no name");
    e.name = o.value(QStringLiteral("name")).toString().toStdString();
    const std::string what = "tensor '" + e.name + "'";

    const QString status = o.value(QStringLiteral("status")).toString();
    if (status == QStringLiteral("compressed"))
        e.status = TensorStatus::Compressed;
    else if (status == QStringLiteral("raw"))
        e.status = TensorStatus::Raw;
    else
        return R::failure(what + " has no valid status (\"compressed\" or \"raw\")");

    e.dtypeName = o.value(QStringLiteral("dtype")).toString().toStdString();
    e.dtype = dtypeFromName(e.dtypeName);
    if (e.dtype == DType::Unknown)
        return R::failure(what + " has the unknown dtype '" + e.dtypeName + "'");
    if (!o.value(QStringLiteral("shape")).isArray())
        return R::failure(what + " has no shape");
    for (const QJsonValue &v : o.value(QStringLiteral("shape")).toArray()) {
        double d;
        if (!wholeNumber(v, 0, 9007199254740992.0, d))
            return R::failure(what + " has a shape dimension that is not a whole non-negative number");
        e.shape.push_back(std::int64_t(d));
    }
    double numel = 0, payload = 0;
    if (!wholeNumber(o.value(QStringLiteral("numel")), 0, 9007199254740992.0, numel) || std::uint64_t(numel) != e.numel())
        return R::failure(what + " has an element count that does not match its shape");
    if (!wholeNumber(o.value(QStringLiteral("payload_bytes")), 0, 9007199254740992.0, payload))
        return R::failure(what + " has no valid payload size");
    e.payloadBytes = std::uint64_t(payload);
    const QString crc = o.value(QStringLiteral("crc32")).toString();
    bool crcOk = crc.size() == 8;
    e.crc32 = crcOk ? crc.toUInt(&crcOk, 16) : 0;
    if (!crcOk)
        return R::failure(what + " has no valid crc32 checksum (8 hex digits)");

    if (e.status == TensorStatus::Raw) {
        e.reason = o.value(QStringLiteral("reason")).toString().toStdString();
        if (e.payloadBytes != e.numel() * dtypeSize(e.dtype))
            return R::failure(what + " is stored raw with " + std::to_string(e.payloadBytes) +
                              " bytes but its shape and dtype need " + std::to_string(e.numel() * dtypeSize(e.dtype)));
        return e;
    }

    if (!isCompressibleFloat(e.dtype))
        return R::failure(what + " is marked compressed but its dtype " + e.dtypeName + " is not a float type");
    if (e.numel() == 0)
        return R::failure(what + " is marked compressed but has no elements");
    EncodedTensor &h = e.header;
    h.shape = e.shape;
    h.dtype = e.dtype;
    h.numel = e.numel();

    const QJsonValue modeValue = o.value(QStringLiteral("mode"));
    const QJsonValue entropyValue = o.value(QStringLiteral("entropy"));
    if (!modeValue.isUndefined() &&
        (!modeValue.isString() || !codecModeFromName(modeValue.toString().toStdString(), e.mode)))
        return R::failure(what + " has an unknown coding mode " +
                          (modeValue.isString() ? "\"" + modeValue.toString().toStdString() + "\"" : std::string("value")) +
                          " (paper, lattice or density is needed)");
    if (!entropyValue.isUndefined() && !entropyValue.isBool())
        return R::failure(what + " has an \"entropy\" flag that is not true or false");
    e.entropy = entropyValue.toBool(false);
    if (e.mode != CodecMode::Paper) {
        if (!entropyValue.isBool())
            return R::failure(what + " is in " + codecModeName(e.mode) + " mode but has no \"entropy\" flag");
        if (e.mode == CodecMode::Lattice && !e.entropy)
            return R::failure(what + " is in lattice mode, which is always entropy-coded, but its \"entropy\" flag is false");
        QJsonObject params = o;
        params.insert(QStringLiteral("dtype"), QLatin1String(dtypeName(e.dtype)));
        auto m = ModeEncoded::fromJson(params, {});
        if (!m) {
            std::string why = m.error();
            const std::string prefix = "the tensor's ";
            if (why.rfind(prefix, 0) == 0)
                why = "its " + why.substr(prefix.size());
            return R::failure(what + " has invalid " + codecModeName(e.mode) + "-mode parameters: " + why);
        }
        e.lattice = m->lattice;
        e.density = m->density;
        if (e.mode == CodecMode::Density) {
            const std::uint64_t table = 4 * std::uint64_t(e.density.breakpoints);
            const std::uint64_t side = std::uint64_t(e.density.side);
            const std::uint64_t stream =
                BitPacker::packedSize(std::size_t(h.pairCount()), BitPacker::bitLength(std::uint32_t(side * side - 1)));
            if (!e.entropy && e.payloadBytes != table + stream)
                return R::failure(what + " has a payload of " + std::to_string(e.payloadBytes) + " bytes but its " +
                                  std::to_string(e.density.breakpoints) + " breakpoints and " +
                                  std::to_string(h.pairCount()) + " fixed-width indices need " +
                                  std::to_string(table + stream));
            if (e.entropy && e.payloadBytes <= table)
                return R::failure(what + " has a payload of " + std::to_string(e.payloadBytes) +
                                  " bytes, too short for its " + std::to_string(e.density.breakpoints) +
                                  " breakpoints and an index stream");
        } else if (e.payloadBytes < 2) {
            return R::failure(what + " has a payload of " + std::to_string(e.payloadBytes) +
                              " bytes, too short for a lattice row and column stream");
        }
        return e;
    }

    double samples = 0, classes = 0, bits = 0;
    if (!wholeNumber(o.value(QStringLiteral("samples")), 1, 16777216, samples))
        return R::failure(what + " has an invalid number of samples U (a whole number from 1 to 16777216 is needed)");
    if (!wholeNumber(o.value(QStringLiteral("classes")), 0, 64, classes))
        return R::failure(what + " has an invalid class count K (a whole number from 0 to 64 is needed)");
    if (!wholeNumber(o.value(QStringLiteral("bits")), 1, 32, bits))
        return R::failure(what + " has an invalid index width (a whole number from 1 to 32 is needed)");
    h.samples = int(samples);
    h.classes = int(classes);
    h.bits = int(bits);
    const QJsonValue box = o.value(QStringLiteral("box"));
    if (!box.isDouble() || !std::isfinite(box.toDouble()) || !(box.toDouble() > 0))
        return R::failure(what + " has an invalid box size l (a positive number is needed)");
    h.box = box.toDouble();
    const QJsonArray centre = o.value(QStringLiteral("centre")).toArray();
    if (centre.size() != 2 || !centre[0].isDouble() || !centre[1].isDouble() || !std::isfinite(centre[0].toDouble()) ||
        !std::isfinite(centre[1].toDouble()))
        return R::failure(what + " has an invalid centre (two finite numbers are needed)");
    h.centreX = centre[0].toDouble();
    h.centreY = centre[1].toDouble();
    const QJsonValue far = o.value(QStringLiteral("farthest"));
    if (!far.isDouble() || !std::isfinite(far.toDouble()) || far.toDouble() < 0)
        return R::failure(what + " has an invalid farthest distance D (a finite number >= 0 is needed)");
    h.farthest = far.toDouble();
    const double maxIndex = double(h.samples) + double(h.samples + 1) * h.classes;
    if (maxIndex > 4294967295.0)
        return R::failure(what + " has U and K that need more than 32 bits per index");
    if (e.entropy) {
        if (e.payloadBytes == 0)
            return R::failure(what + " has an empty payload where its entropy-coded indices should be");
        return e;
    }
    if (e.payloadBytes != h.packedBytes())
        return R::failure(what + " has a payload of " + std::to_string(e.payloadBytes) + " bytes but its " +
                          std::to_string(h.pairCount()) + " indices of " + std::to_string(h.bits) + " bits need " +
                          std::to_string(h.packedBytes()));
    return e;
}

std::map<std::string, std::string> ArchiveFormat::metadata(const std::vector<ArchiveEntry> &entries)
{
    std::string list = "{\"tensors\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i)
            list += ',';
        list += entryText(entries[i]);
    }
    list += "]}";
    return {{"format", kFormatName}, {"version", std::to_string(kVersion)}, {"hypercomp", list}};
}

std::string ArchiveFormat::storedDtypeName(const ArchiveEntry &e)
{
    return e.compressed() ? std::string("U8") : e.dtypeName;
}

std::vector<std::int64_t> ArchiveFormat::storedShape(const ArchiveEntry &e)
{
    return e.compressed() ? std::vector<std::int64_t>{std::int64_t(e.payloadBytes)} : e.shape;
}

std::uint64_t ArchiveFormat::standaloneBytes(const std::string &name, const EncodedTensor &encoded)
{
    ArchiveEntry e;
    e.name = name;
    e.shape = encoded.shape;
    e.dtype = encoded.dtype;
    e.dtypeName = dtypeName(encoded.dtype);
    e.status = TensorStatus::Compressed;
    // Every decoder field but the indices, which only the payload size reflects.
    e.header.shape = encoded.shape;
    e.header.dtype = encoded.dtype;
    e.header.numel = encoded.numel;
    e.header.samples = encoded.samples;
    e.header.box = encoded.box;
    e.header.classes = encoded.classes;
    e.header.centreX = encoded.centreX;
    e.header.centreY = encoded.centreY;
    e.header.farthest = encoded.farthest;
    e.header.bits = encoded.bits;
    e.payloadBytes = encoded.packedBytes();
    std::vector<ArchiveEntry> one{std::move(e)};
    return computeArchiveBytes(one);
}

ArchiveEntry ArchiveFormat::compressedEntry(const std::string &name, const ModeEncoded &encoded)
{
    ArchiveEntry e;
    e.name = name;
    e.shape = encoded.shape;
    e.dtype = encoded.dtype;
    e.dtypeName = dtypeName(encoded.dtype);
    e.status = TensorStatus::Compressed;
    e.mode = encoded.mode;
    e.entropy = encoded.entropy || encoded.mode == CodecMode::Lattice;
    EncodedTensor &h = e.header;
    if (encoded.mode == CodecMode::Paper) {
        // Field by field: `paper` may still hold indices, which an entry never keeps.
        h.samples = encoded.paper.samples;
        h.box = encoded.paper.box;
        h.classes = encoded.paper.classes;
        h.centreX = encoded.paper.centreX;
        h.centreY = encoded.paper.centreY;
        h.farthest = encoded.paper.farthest;
        h.bits = encoded.paper.bits;
        h.mae = encoded.paper.mae;
    }
    h.shape = encoded.shape;
    h.dtype = encoded.dtype;
    h.numel = encoded.numel;
    e.lattice = encoded.lattice;
    e.density = encoded.density;
    e.payloadBytes = encoded.payload.size();
    return e;
}

ModeEncoded ArchiveFormat::modeEncoded(const ArchiveEntry &e, std::vector<std::uint8_t> payload)
{
    ModeEncoded m;
    m.mode = e.mode;
    m.entropy = e.entropy;
    m.shape = e.shape;
    m.dtype = e.dtype;
    m.numel = e.numel();
    m.paper = e.header; // an entry's header never holds indices
    m.paper.shape = e.shape;
    m.paper.dtype = e.dtype;
    m.paper.numel = m.numel;
    m.lattice = e.lattice;
    m.density = e.density;
    m.payload = std::move(payload);
    return m;
}

std::uint64_t ArchiveFormat::standaloneBytes(const std::string &name, const ModeEncoded &encoded)
{
    std::vector<ArchiveEntry> one{compressedEntry(name, encoded)};
    return computeArchiveBytes(one);
}

std::uint64_t ArchiveFormat::computeArchiveBytes(std::vector<ArchiveEntry> &entries)
{
    SafetensorsWriter layout(std::string{}); // never begun: used only to lay out the header text
    layout.setMetadata(metadata(entries));
    std::uint64_t total = 8, own = 0, offset = 0;
    for (auto &e : entries) {
        (void)layout.declareTensor(e.name, storedDtypeName(e), storedShape(e), e.payloadBytes);
        const std::uint64_t entryHeader =
            SafetensorsWriter::tensorEntryText(e.name, storedDtypeName(e), storedShape(e), offset, offset + e.payloadBytes)
                .size() +
            1 /* comma */ + SafetensorsWriter::jsonQuote(entryText(e)).size() - 2 /* quotes */ + 1 /* comma */;
        e.archiveBytes = e.payloadBytes + entryHeader;
        own += e.archiveBytes;
        offset += e.payloadBytes;
        total += e.payloadBytes;
    }
    total += layout.headerText().size();
    if (entries.empty())
        return total;
    // The fixed part (length prefix, braces, metadata keys, padding) is shared out evenly.
    const std::uint64_t common = total > own ? total - own : 0;
    const std::uint64_t n = entries.size();
    for (std::size_t i = 0; i < entries.size(); ++i)
        entries[i].archiveBytes += common / n + (i < common % n ? 1 : 0);
    return total;
}

} // namespace hc
