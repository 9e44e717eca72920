#include "core/io/safetensorssource.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>

namespace hc {

namespace {

std::uint64_t readLe64(const std::uint8_t *p)
{
    std::uint64_t v = 0;
    for (int k = 7; k >= 0; --k)
        v = (v << 8) | p[k];
    return v;
}

// JSON numbers are doubles: integers are exact up to 2^53, far beyond any real tensor.
bool toCount(const QJsonValue &v, std::uint64_t &out, bool &negative)
{
    negative = false;
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d))
        return false;
    if (d < 0) {
        negative = true;
        return false;
    }
    if (d > 9007199254740992.0)
        return false;
    out = std::uint64_t(d);
    return true;
}

std::string quoted(const QString &s)
{
    return "'" + s.toStdString() + "'";
}

} // namespace

Result<std::unique_ptr<ModelSource>> SafetensorsSource::open(const std::string &path)
{
    auto r = openFile(path);
    if (!r)
        return Result<std::unique_ptr<ModelSource>>::failure(r.error());
    return Result<std::unique_ptr<ModelSource>>(std::unique_ptr<ModelSource>(std::move(r).value()));
}

Result<std::unique_ptr<SafetensorsSource>> SafetensorsSource::openFile(const std::string &path)
{
    using R = Result<std::unique_ptr<SafetensorsSource>>;
    auto mapped = MappedFile::open(path);
    if (!mapped)
        return R::failure(mapped.error());
    std::shared_ptr<const MappedFile> file = std::move(mapped).value();
    const std::uint64_t size = file->size();
    if (size < 8)
        return R::failure(path + ": the file is too short to be a safetensors file (" + std::to_string(size) +
                          " bytes; at least 8 are needed for the header length)");
    const std::uint64_t headerLength = readLe64(file->data());
    if (headerLength > size - 8)
        return R::failure(path + ": the header length " + std::to_string(headerLength) +
                          " is larger than the file (" + std::to_string(size) + " bytes)");
    if (headerLength < 2)
        return R::failure(path + ": the header length " + std::to_string(headerLength) +
                          " is too small to hold a JSON object");

    const QByteArray headerBytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(file->data() + 8), qsizetype(headerLength));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(headerBytes, &err);
    if (err.error != QJsonParseError::NoError)
        return R::failure(path + ": the header is not valid JSON (" + err.errorString().toStdString() +
                          " at byte " + std::to_string(err.offset) + ")");
    if (!doc.isObject())
        return R::failure(path + ": the header is not a JSON object");

    const std::uint64_t dataStart = 8 + headerLength;
    const std::uint64_t dataSize = size - dataStart;
    const QJsonObject root = doc.object();

    std::unique_ptr<SafetensorsSource> src(new SafetensorsSource);
    src->m_path = path;
    src->m_headerLength = headerLength;

    struct Entry {
        TensorInfo info;
        std::uint64_t begin, end;
    };
    std::vector<Entry> entries;
    entries.reserve(std::size_t(root.size()));
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = it.key();
        if (key == QStringLiteral("__metadata__")) {
            if (!it.value().isObject())
                return R::failure(path + ": the header's __metadata__ is not a JSON object");
            const QJsonObject meta = it.value().toObject();
            for (auto m = meta.begin(); m != meta.end(); ++m) {
                if (!m.value().isString())
                    return R::failure(path + ": the metadata value " + quoted(m.key()) + " is not a string");
                src->m_metadata[m.key().toStdString()] = m.value().toString().toStdString();
            }
            continue;
        }
        const std::string name = key.toStdString();
        const std::string what = path + ": tensor '" + name + "'";
        if (!it.value().isObject())
            return R::failure(what + " is not described by a JSON object");
        const QJsonObject t = it.value().toObject();
        const QJsonValue dtypeValue = t.value(QStringLiteral("dtype"));
        if (!dtypeValue.isString())
            return R::failure(what + " has no dtype string");
        Entry e;
        e.info.name = name;
        e.info.dtypeName = dtypeValue.toString().toStdString();
        e.info.dtype = dtypeFromName(e.info.dtypeName);
        if (e.info.dtype == DType::Unknown)
            return R::failure(what + " has the unknown dtype '" + e.info.dtypeName + "'");
        const QJsonValue shapeValue = t.value(QStringLiteral("shape"));
        if (!shapeValue.isArray())
            return R::failure(what + " has no shape array");
        long double numel = 1;
        for (const QJsonValue &d : shapeValue.toArray()) {
            std::uint64_t dim = 0;
            bool negative = false;
            if (!toCount(d, dim, negative)) {
                if (negative)
                    return R::failure(what + " has a negative dimension (" + std::to_string(d.toDouble()) + ")");
                return R::failure(what + " has a dimension that is not a whole number");
            }
            e.info.shape.push_back(std::int64_t(dim));
            numel *= (long double)dim;
        }
        const QJsonValue offsetsValue = t.value(QStringLiteral("data_offsets"));
        const QJsonArray offsets = offsetsValue.toArray();
        bool negBegin = false, negEnd = false;
        if (!offsetsValue.isArray() || offsets.size() != 2 || !toCount(offsets[0], e.begin, negBegin) ||
            !toCount(offsets[1], e.end, negEnd))
            return R::failure(what + " has no valid data_offsets pair of whole, non-negative numbers");
        if (e.end < e.begin)
            return R::failure(what + " ends before it begins (data_offsets " + std::to_string(e.begin) + ", " +
                              std::to_string(e.end) + ")");
        if (e.end > dataSize)
            return R::failure(what + " lies outside the file (its data ends at byte " + std::to_string(e.end) +
                              " of a " + std::to_string(dataSize) + "-byte data section)");
        e.info.byteSize = e.end - e.begin;
        const long double expected = numel * (long double)dtypeSize(e.info.dtype);
        if (expected != (long double)e.info.byteSize) {
            // A hostile shape can need more bytes than 64 bits count; converting that is undefined.
            const std::string need = expected < 18446744073709551616.0L ? std::to_string(std::uint64_t(expected))
                                                                       : std::string("more than 2^64");
            return R::failure(what + " has " + std::to_string(e.info.byteSize) + " bytes but its shape and dtype need " + need);
        }
        entries.push_back(std::move(e));
    }

    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    for (std::size_t i = 1; i < entries.size(); ++i)
        if (entries[i].begin < entries[i - 1].end)
            return R::failure(path + ": tensors '" + entries[i - 1].info.name + "' and '" + entries[i].info.name +
                              "' overlap in the file");

    src->m_tensors.reserve(entries.size());
    src->m_offsets.reserve(entries.size());
    for (auto &e : entries) {
        src->m_offsets.push_back(dataStart + e.begin);
        src->m_tensors.push_back(std::move(e.info));
    }
    src->m_file = std::move(file);
    return R(std::move(src));
}

bool SafetensorsSource::isSafetensorsFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        return false;
    const std::streamoff size = in.tellg();
    if (size < 10)
        return false;
    in.seekg(0);
    std::uint8_t head[9];
    if (!in.read(reinterpret_cast<char *>(head), 9))
        return false;
    const std::uint64_t n = readLe64(head);
    return n >= 2 && n <= std::uint64_t(size) - 8 && head[8] == '{';
}

TensorView SafetensorsSource::view(std::size_t i) const
{
    if (i >= m_tensors.size())
        return {};
    const TensorInfo &t = m_tensors[i];
    // A zero-byte tensor may sit at the very end of the file: give it a valid pointer all the same.
    return {m_file->data() ? m_file->data() + m_offsets[i] : nullptr, t.dtype, std::size_t(t.numel())};
}

void SafetensorsSource::release(std::size_t i) const
{
    if (i < m_tensors.size())
        m_file->releaseRange(m_offsets[i], m_tensors[i].byteSize);
}

Result<TensorData> SafetensorsSource::read(std::size_t i) const
{
    if (i >= m_tensors.size())
        return Result<TensorData>::failure(m_path + ": there is no tensor number " + std::to_string(i));
    const TensorInfo &t = m_tensors[i];
    TensorData d;
    d.shape = t.shape;
    d.dtype = t.dtype;
    d.bytes.resize(std::size_t(t.byteSize));
    if (t.byteSize)
        std::memcpy(d.bytes.data(), m_file->data() + m_offsets[i], std::size_t(t.byteSize));
    return d;
}

} // namespace hc
