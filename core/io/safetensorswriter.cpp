#include "core/io/safetensorswriter.h"

#include "core/tensor/dtype.h"
#include "core/tensor/tensorview.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <set>

namespace hc {

SafetensorsWriter::SafetensorsWriter(std::string path) : m_path(std::move(path)) {}

SafetensorsWriter::~SafetensorsWriter()
{
    if (!m_committed)
        cancel();
}

void SafetensorsWriter::setMetadata(std::map<std::string, std::string> metadata)
{
    m_metadata = std::move(metadata);
}

std::string SafetensorsWriter::jsonQuote(const std::string &s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (u < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

std::string SafetensorsWriter::tensorEntryText(const std::string &name, const std::string &dtypeName,
                                               const std::vector<std::int64_t> &shape, std::uint64_t begin,
                                               std::uint64_t end)
{
    std::string s = jsonQuote(name) + ":{\"dtype\":" + jsonQuote(dtypeName) + ",\"shape\":[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ',';
        s += std::to_string(shape[i]);
    }
    s += "],\"data_offsets\":[" + std::to_string(begin) + "," + std::to_string(end) + "]}";
    return s;
}

std::string SafetensorsWriter::metadataEntryText(const std::map<std::string, std::string> &metadata)
{
    if (metadata.empty())
        return {};
    std::string s = "\"__metadata__\":{";
    bool first = true;
    for (const auto &[k, v] : metadata) {
        if (!first)
            s += ',';
        first = false;
        s += jsonQuote(k) + ":" + jsonQuote(v);
    }
    s += '}';
    return s;
}

std::string SafetensorsWriter::headerText() const
{
    std::string h = "{";
    h += metadataEntryText(m_metadata);
    bool first = m_metadata.empty();
    std::uint64_t offset = 0;
    for (const auto &t : m_tensors) {
        if (!first)
            h += ',';
        first = false;
        h += tensorEntryText(t.name, t.dtypeName, t.shape, offset, offset + t.byteSize);
        offset += t.byteSize;
    }
    h += '}';
    // Pad so that the data section (after the 8-byte length) starts 8-byte aligned.
    while (h.size() % 8)
        h += ' ';
    return h;
}

Status SafetensorsWriter::fail(std::string message)
{
    cancel();
    m_failed = true;
    m_error = message;
    return Status::failure(std::move(message));
}

Status SafetensorsWriter::declareTensor(const std::string &name, const std::string &dtypeName,
                                        const std::vector<std::int64_t> &shape, std::uint64_t byteSize)
{
    if (m_failed)
        return Status::failure(m_error);
    if (m_begun)
        return Status::failure(m_path + ": tensor '" + name + "' is declared after writing has begun");
    if (name.empty() || name == "__metadata__")
        return Status::failure(m_path + ": '" + name + "' cannot be used as a tensor name");
    for (const auto &t : m_tensors)
        if (t.name == name)
            return Status::failure(m_path + ": tensor '" + name + "' is declared twice");
    const DType dt = dtypeFromName(dtypeName);
    if (dt == DType::Unknown)
        return Status::failure(m_path + ": tensor '" + name + "' has the unknown dtype '" + dtypeName + "'");
    for (auto d : shape)
        if (d < 0)
            return Status::failure(m_path + ": tensor '" + name + "' has a negative dimension (" + std::to_string(d) + ")");
    const std::uint64_t expected = std::uint64_t(shapeNumel(shape)) * dtypeSize(dt);
    if (expected != byteSize)
        return Status::failure(m_path + ": tensor '" + name + "' is declared with " + std::to_string(byteSize) +
                               " bytes but its shape and dtype need " + std::to_string(expected));
    m_tensors.push_back({name, dtypeName, shape, byteSize});
    return {};
}

Status SafetensorsWriter::begin()
{
    if (m_failed)
        return Status::failure(m_error);
    if (m_begun)
        return {};
    const QString qpath = QString::fromStdString(m_path);
    const QFileInfo info(qpath);
    const QDir dir = info.absoluteDir();
    if (!dir.exists())
        return fail(m_path + ": cannot be written because the folder " + dir.path().toStdString() + " does not exist");
    if (info.isDir())
        return fail(m_path + ": cannot be written because it is a folder");
    m_file = std::make_unique<QSaveFile>(qpath);
    if (!m_file->open(QIODevice::WriteOnly))
        return fail(m_path + ": cannot be written (" + m_file->errorString().toStdString() + ")");
    m_begun = true;
    const std::string header = headerText();
    unsigned char len[8];
    std::uint64_t n = header.size();
    for (int k = 0; k < 8; ++k, n >>= 8)
        len[k] = static_cast<unsigned char>(n & 0xff);
    if (m_file->write(reinterpret_cast<const char *>(len), 8) != 8 ||
        m_file->write(header.data(), qint64(header.size())) != qint64(header.size()))
        return fail(m_path + ": writing the header failed (" + m_file->errorString().toStdString() + ")");
    m_current = 0;
    m_currentDone = 0;
    return {};
}

Status SafetensorsWriter::writeTensor(std::size_t i, const void *data, std::uint64_t bytes)
{
    if (m_failed)
        return Status::failure(m_error);
    if (m_committed)
        return Status::failure(m_path + ": the file is already committed");
    if (!m_begun)
        if (Status s = begin(); !s)
            return s;
    if (i >= m_tensors.size())
        return fail(m_path + ": there is no declared tensor number " + std::to_string(i));
    // Skip over complete tensors (zero-byte ones included) up to i.
    while (m_current < i && m_currentDone == m_tensors[m_current].byteSize) {
        ++m_current;
        m_currentDone = 0;
    }
    if (m_current != i)
        return fail(m_path + ": tensor '" + m_tensors[i].name + "' is written out of order (tensor '" +
                    m_tensors[m_current].name + "' is not complete)");
    const Declared &t = m_tensors[i];
    if (m_currentDone + bytes > t.byteSize)
        return fail(m_path + ": tensor '" + t.name + "' is given more bytes than its declared " +
                    std::to_string(t.byteSize));
    const char *p = static_cast<const char *>(data);
    std::uint64_t left = bytes;
    while (left > 0) {
        const qint64 chunk = qint64(std::min<std::uint64_t>(left, std::uint64_t(1) << 30));
        const qint64 w = m_file->write(p, chunk);
        if (w != chunk)
            return fail(m_path + ": writing tensor '" + t.name + "' failed (" + m_file->errorString().toStdString() + ")");
        p += chunk;
        left -= std::uint64_t(chunk);
    }
    m_currentDone += bytes;
    return {};
}

Status SafetensorsWriter::commit()
{
    if (m_failed)
        return Status::failure(m_error);
    if (m_committed)
        return {};
    if (!m_begun)
        if (Status s = begin(); !s)
            return s;
    while (m_current < m_tensors.size() && m_currentDone == m_tensors[m_current].byteSize) {
        ++m_current;
        m_currentDone = 0;
    }
    if (m_current < m_tensors.size())
        return fail(m_path + ": tensor '" + m_tensors[m_current].name + "' got only " + std::to_string(m_currentDone) +
                    " of its " + std::to_string(m_tensors[m_current].byteSize) + " bytes");
    // QSaveFile::commit flushes, syncs to disk and renames over the target atomically.
    if (!m_file->commit()) {
        const std::string why = m_file->errorString().toStdString();
        m_file.reset();
        return fail(m_path + ": the file could not be saved (" + why + ")");
    }
    m_file.reset();
    m_committed = true;
    return {};
}

void SafetensorsWriter::cancel()
{
    if (m_file) {
        m_file->cancelWriting();
        m_file.reset(); // QSaveFile removes its temporary file when destroyed uncommitted
    }
}

} // namespace hc
