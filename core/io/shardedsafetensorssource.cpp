#include "core/io/shardedsafetensorssource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <set>

namespace hc {

bool ShardedSafetensorsSource::isIndexFile(const std::string &path)
{
    static const std::string suffix = ".safetensors.index.json";
    return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<std::unique_ptr<ModelSource>> ShardedSafetensorsSource::open(const std::string &indexJsonPath)
{
    using R = Result<std::unique_ptr<ModelSource>>;
    const std::string &path = indexJsonPath;
    const QString qpath = QString::fromStdString(path);
    const QFileInfo info(qpath);
    if (!info.exists())
        return R::failure(path + ": the file does not exist");
    if (info.isDir())
        return R::failure(path + ": is a folder, not a file");
    QFile f(qpath);
    if (!f.open(QIODevice::ReadOnly))
        return R::failure(path + ": the file cannot be read (" + f.errorString().toStdString() + ")");
    // An index is a few hundred kB even for the largest models; refuse anything absurd.
    if (f.size() > (qint64(256) << 20))
        return R::failure(path + ": the file is too large to be a safetensors index (" + std::to_string(f.size()) + " bytes)");
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError)
        return R::failure(path + ": the index is not valid JSON (" + err.errorString().toStdString() + " at byte " +
                          std::to_string(err.offset) + ")");
    if (!doc.isObject())
        return R::failure(path + ": the index is not a JSON object");
    const QJsonObject root = doc.object();
    if (!root.value(QStringLiteral("weight_map")).isObject())
        return R::failure(path + ": the index has no \"weight_map\" object");
    const QJsonObject weightMap = root.value(QStringLiteral("weight_map")).toObject();
    if (weightMap.isEmpty())
        return R::failure(path + ": the index's weight_map lists no tensors");

    std::unique_ptr<ShardedSafetensorsSource> src(new ShardedSafetensorsSource);
    src->m_path = path;
    const QJsonObject meta = root.value(QStringLiteral("metadata")).toObject();
    for (auto it = meta.begin(); it != meta.end(); ++it) {
        const QJsonValue v = it.value();
        std::string s;
        if (v.isString())
            s = v.toString().toStdString();
        else if (v.isDouble())
            s = QString::number(v.toDouble(), 'g', 17).toStdString();
        else if (v.isBool())
            s = v.toBool() ? "true" : "false";
        else
            continue;
        src->m_metadata[it.key().toStdString()] = s;
    }

    std::map<std::string, std::set<std::string>> byShard; // shard file -> tensor names
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        if (!it.value().isString())
            return R::failure(path + ": the weight_map entry for '" + it.key().toStdString() + "' is not a file name");
        const QString shard = it.value().toString();
        if (shard.isEmpty() || shard.contains(QLatin1Char('/')) || shard.contains(QLatin1Char('\\')))
            return R::failure(path + ": the weight_map entry for '" + it.key().toStdString() +
                              "' is not a plain file name next to the index ('" + shard.toStdString() + "')");
        byShard[shard.toStdString()].insert(it.key().toStdString());
    }

    const QDir dir = info.absoluteDir();
    for (const auto &[shardName, names] : byShard) {
        const std::string shardPath = dir.filePath(QString::fromStdString(shardName)).toStdString();
        auto opened = SafetensorsSource::openFile(shardPath);
        if (!opened)
            return R::failure(path + ": shard " + shardName + " cannot be opened: " + opened.error());
        std::unique_ptr<SafetensorsSource> shard = std::move(opened).value();
        std::size_t found = 0;
        const std::size_t shardIndex = src->m_shards.size();
        for (std::size_t i = 0; i < shard->tensors().size(); ++i) {
            if (!names.count(shard->tensors()[i].name))
                continue;
            ++found;
            src->m_tensors.push_back(shard->tensors()[i]);
            src->m_where.emplace_back(shardIndex, i);
        }
        if (found != names.size()) {
            for (const auto &n : names)
                if (shard->indexOf(n) < 0)
                    return R::failure(path + ": tensor '" + n + "' is assigned to shard " + shardName +
                                      " but that shard does not hold it");
        }
        src->m_shards.push_back(std::move(shard));
    }
    return R(std::unique_ptr<ModelSource>(std::move(src)));
}

TensorView ShardedSafetensorsSource::view(std::size_t i) const
{
    if (i >= m_where.size())
        return {};
    return m_shards[m_where[i].first]->view(m_where[i].second);
}

void ShardedSafetensorsSource::release(std::size_t i) const
{
    if (i < m_where.size())
        m_shards[m_where[i].first]->release(m_where[i].second);
}

Result<TensorData> ShardedSafetensorsSource::read(std::size_t i) const
{
    if (i >= m_where.size())
        return Result<TensorData>::failure(m_path + ": there is no tensor number " + std::to_string(i));
    return m_shards[m_where[i].first]->read(m_where[i].second);
}

} // namespace hc
