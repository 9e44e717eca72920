#include "core/codec/modeencoded.h"

#include "core/codec/bitpacker.h"
#include "core/codec/densitymode.h"
#include "core/codec/hypercodec.h"
#include "core/codec/latticemode.h"
#include "core/codec/paperindexmodel.h"
#include "core/codec/ranscoder.h"
#include "core/tensor/tensorview.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace hc {

const char *codecModeName(CodecMode mode)
{
    switch (mode) {
    case CodecMode::Paper:
        return "paper";
    case CodecMode::Lattice:
        return "lattice";
    case CodecMode::Density:
        return "density";
    }
    return "paper";
}

bool codecModeFromName(const std::string &name, CodecMode &mode)
{
    for (CodecMode m : {CodecMode::Paper, CodecMode::Lattice, CodecMode::Density})
        if (name == codecModeName(m)) {
            mode = m;
            return true;
        }
    return false;
}

std::size_t ModeEncoded::metadataBytes() const
{
    QJsonObject o = toJson();
    for (const char *common : {"mode", "entropy", "dtype", "shape", "numel"})
        o.remove(QString::fromLatin1(common));
    return std::size_t(QJsonDocument(o).toJson(QJsonDocument::Compact).size());
}

double ModeEncoded::bitsPerWeight() const
{
    return numel ? 8.0 * double(totalBytes()) / double(numel) : 0.0;
}

double ModeEncoded::indexBitsPerPair() const
{
    const std::uint64_t pairs = pairCount();
    if (!pairs)
        return 0;
    std::size_t bytes = payload.size();
    if (mode == CodecMode::Density)
        bytes -= std::min(bytes, std::size_t(density.breakpoints) * 4);
    return 8.0 * double(bytes) / double(pairs);
}

Status ModeEncoded::decode(void *out, int threads) const
{
    switch (mode) {
    case CodecMode::Lattice:
        return LatticeMode::decode(*this, out, threads);
    case CodecMode::Density:
        return DensityMode::decode(*this, out, threads);
    case CodecMode::Paper:
        break;
    }
    EncodedTensor h = paper;
    h.shape = shape;
    h.dtype = dtype;
    h.numel = numel;
    if (h.samples < 1 || h.samples > (1 << 24) || !(h.box > 0) || h.classes < 0 || h.classes > 64)
        return Status::failure("the paper-mode parameters are invalid");
    if (!entropy)
        return HyperCodec::decodePacked(h, payload.data(), payload.size(), out, threads);
    const std::size_t pairs = std::size_t(pairCount());
    if (!payload.empty() && payload[0] == PaperIndexModel::kMarker) {
        if (Status s = PaperIndexModel::decode(h, payload.data(), payload.size(), h.indices, threads); !s)
            return s;
        HyperCodec::decode(h, out, threads);
        return {};
    }
    auto reader = RansCoder::Reader::open(payload.data(), payload.size(), pairs);
    if (!reader)
        return Status::failure("paper index stream: " + reader.error());
    const double entries = double(h.samples + 1) * double(h.classes + 1);
    if (double(reader->info().alphabet) > entries)
        return Status::failure("the paper index stream's alphabet is larger than the codebook");
    h.indices.resize(pairs);
    if (Status s = RansCoder::decode(payload, pairs, h.indices.data(), threads); !s)
        return Status::failure("paper index stream: " + s.error());
    HyperCodec::decode(h, out, threads);
    return {};
}

namespace {

QJsonArray shapeJson(const std::vector<std::int64_t> &shape)
{
    QJsonArray a;
    for (std::int64_t d : shape)
        a.append(double(d));
    return a;
}

// Reads a non-negative integer stored as a JSON number (exact below 2^53).
bool readInt(const QJsonObject &o, const char *key, double lo, double hi, std::int64_t &out)
{
    const QJsonValue v = o.value(QString::fromLatin1(key));
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!(d >= lo && d <= hi) || d != std::floor(d))
        return false;
    out = std::int64_t(d);
    return true;
}

bool readDouble(const QJsonObject &o, const char *key, double &out)
{
    const QJsonValue v = o.value(QString::fromLatin1(key));
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return false;
    out = v.toDouble();
    return true;
}

} // namespace

QJsonObject ModeEncoded::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("mode"), QString::fromLatin1(codecModeName(mode)));
    o.insert(QStringLiteral("entropy"), entropy);
    o.insert(QStringLiteral("dtype"), QString::fromLatin1(dtypeName(dtype)));
    o.insert(QStringLiteral("shape"), shapeJson(shape));
    o.insert(QStringLiteral("numel"), double(numel));
    switch (mode) {
    case CodecMode::Paper:
        o.insert(QStringLiteral("samples"), paper.samples);
        o.insert(QStringLiteral("box"), paper.box);
        o.insert(QStringLiteral("classes"), paper.classes);
        o.insert(QStringLiteral("cx"), paper.centreX);
        o.insert(QStringLiteral("cy"), paper.centreY);
        o.insert(QStringLiteral("farthest"), paper.farthest);
        o.insert(QStringLiteral("bits"), paper.bits);
        break;
    case CodecMode::Lattice:
        if (lattice.layout != 1)
            break; // layout 2 keeps its parameters in the payload
        o.insert(QStringLiteral("cx"), lattice.centreX);
        o.insert(QStringLiteral("cy"), lattice.centreY);
        o.insert(QStringLiteral("h"), lattice.spacing);
        o.insert(QStringLiteral("shear"), double(lattice.shear));
        o.insert(QStringLiteral("row_min"), double(lattice.rowMin));
        o.insert(QStringLiteral("col_min"), double(lattice.colMin));
        o.insert(QStringLiteral("rows"), double(lattice.rows));
        o.insert(QStringLiteral("cols"), double(lattice.cols));
        break;
    case CodecMode::Density:
        o.insert(QStringLiteral("side"), density.side);
        o.insert(QStringLiteral("breakpoints"), density.breakpoints);
        break;
    }
    return o;
}

Result<ModeEncoded> ModeEncoded::fromJson(const QJsonObject &o, std::vector<std::uint8_t> payload)
{
    using R = Result<ModeEncoded>;
    ModeEncoded e;
    const QString modeName = o.value(QStringLiteral("mode")).toString();
    if (!codecModeFromName(modeName.toStdString(), e.mode))
        return R::failure("the tensor's mode \"" + modeName.toStdString() + "\" is not paper, lattice or density");
    const QJsonValue entropy = o.value(QStringLiteral("entropy"));
    if (!entropy.isBool())
        return R::failure("the tensor's \"entropy\" flag is missing or not a boolean");
    e.entropy = entropy.toBool();
    e.dtype = dtypeFromName(o.value(QStringLiteral("dtype")).toString().toStdString());
    if (!isCompressibleFloat(e.dtype))
        return R::failure("the tensor's dtype is missing or not a float type");
    const QJsonValue shape = o.value(QStringLiteral("shape"));
    if (!shape.isArray())
        return R::failure("the tensor's shape is missing or not an array");
    for (const QJsonValue &d : shape.toArray()) {
        const double v = d.toDouble(-1);
        if (!d.isDouble() || v < 0 || v != std::floor(v) || v > 9007199254740992.0)
            return R::failure("the tensor's shape holds an invalid dimension");
        e.shape.push_back(std::int64_t(v));
    }
    std::int64_t numel = 0;
    if (!readInt(o, "numel", 1, 9007199254740992.0, numel))
        return R::failure("the tensor's element count is missing or invalid");
    e.numel = std::uint64_t(numel);
    if (shapeNumel(e.shape) != e.numel)
        return R::failure("the tensor's element count " + std::to_string(numel) + " does not match its shape");

    const auto bad = [](const char *what) { return R::failure(std::string("the tensor's ") + what + " is missing or invalid"); };
    std::int64_t v = 0;
    switch (e.mode) {
    case CodecMode::Paper:
        if (!readInt(o, "samples", 1, 16777216, v))
            return bad("sample count U");
        e.paper.samples = int(v);
        if (!readDouble(o, "box", e.paper.box) || !(e.paper.box > 0))
            return bad("box size l");
        if (!readInt(o, "classes", 0, 64, v))
            return bad("class count K");
        e.paper.classes = int(v);
        if (!readDouble(o, "cx", e.paper.centreX) || !readDouble(o, "cy", e.paper.centreY))
            return bad("centre");
        if (!readDouble(o, "farthest", e.paper.farthest) || e.paper.farthest < 0)
            return bad("farthest distance D");
        if (!readInt(o, "bits", 1, 32, v))
            return bad("index width");
        e.paper.bits = int(v);
        e.paper.shape = e.shape;
        e.paper.dtype = e.dtype;
        e.paper.numel = e.numel;
        break;
    case CodecMode::Lattice: {
        LatticeParams &p = e.lattice;
        if (!o.contains(QStringLiteral("h")) && !o.contains(QStringLiteral("rows"))) {
            // Layout 2: the parameters are the payload's header (checked here when it is given).
            if (!payload.empty()) {
                auto header = LatticeMode::readParams(payload.data(), payload.size());
                if (!header)
                    return R::failure(header.error());
                p = *header;
            }
            break;
        }
        p.layout = 1;
        if (!readDouble(o, "cx", p.centreX) || !readDouble(o, "cy", p.centreY))
            return bad("lattice centre");
        if (!readDouble(o, "h", p.spacing))
            return bad("lattice spacing");
        if (!readInt(o, "shear", 1, 4294967295.0, v))
            return bad("lattice shear");
        p.shear = std::uint32_t(v);
        if (!readInt(o, "row_min", -9007199254740992.0, 9007199254740992.0, p.rowMin) ||
            !readInt(o, "col_min", -9007199254740992.0, 9007199254740992.0, p.colMin))
            return bad("lattice offsets");
        if (!readInt(o, "rows", 1, 4294967295.0, v))
            return bad("lattice row count");
        p.rows = std::uint32_t(v);
        if (!readInt(o, "cols", 1, 4294967295.0, v))
            return bad("lattice column count");
        p.cols = std::uint32_t(v);
        if (Status s = LatticeMode::validate(p); !s)
            return R::failure(s.error());
        break;
    }
    case CodecMode::Density:
        if (!readInt(o, "side", 2, 4096, v))
            return bad("density lattice side");
        e.density.side = int(v);
        if (!readInt(o, "breakpoints", 4, 4096, v))
            return bad("compander breakpoint count");
        e.density.breakpoints = int(v);
        break;
    }
    e.payload = std::move(payload);
    return e;
}

} // namespace hc
