#include "core/config/compressionconfig.h"

#include "core/util/atomicfile.h"

#include "core/codec/densitymode.h"
#include "core/codec/hypercodec.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cmath>

namespace hc {

namespace {

bool wholeNumber(const QJsonValue &v, int &out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < -2147483648.0 || d > 2147483647.0)
        return false;
    out = int(d);
    return true;
}

// Reads one block of codec keys ("defaults" or a layer); `what` names the block in errors.
Status readParams(const QJsonObject &o, const std::string &what, CompressionConfig::LayerOverride &out)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (key == QStringLiteral("samples")) {
            int u;
            if (!wholeNumber(v, u))
                return Status::failure(what + " has a \"samples\" value that is not a whole number");
            out.samples = u;
        } else if (key == QStringLiteral("box")) {
            if (!v.isDouble())
                return Status::failure(what + " has a \"box\" value that is not a number");
            out.box = v.toDouble();
        } else if (key == QStringLiteral("classes")) {
            int k;
            bool autoK;
            if (Status s = CompressionConfig::parseClasses(v, k, autoK); !s)
                return Status::failure(what + " has " + s.error());
            out.classes = k;
            out.autoClasses = autoK;
        } else if (key == QStringLiteral("loss_threshold")) {
            if (!v.isDouble() || !(v.toDouble() >= 0))
                return Status::failure(what + " has a \"loss_threshold\" value that is not a number >= 0");
            out.lossThreshold = v.toDouble();
        } else if (key == QStringLiteral("mode")) {
            CodecMode mode = CodecMode::Paper;
            if (!v.isString() || !codecModeFromName(v.toString().toStdString(), mode))
                return Status::failure(what + " has a \"mode\" value that is not \"paper\", \"lattice\" or \"density\"");
            out.mode = mode;
        } else if (key == QStringLiteral("entropy")) {
            if (!v.isBool())
                return Status::failure(what + " has an \"entropy\" value that is not true or false");
            out.entropy = v.toBool();
        } else if (key == QStringLiteral("target_bpw")) {
            if (!v.isDouble() || !std::isfinite(v.toDouble()))
                return Status::failure(what + " has a \"target_bpw\" value that is not a number");
            out.targetBitsPerWeight = v.toDouble();
        } else {
            return Status::failure(what + " has the unknown key \"" + key.toStdString() +
                                   "\" (known: samples, box, classes, loss_threshold, mode, entropy, target_bpw)");
        }
    }
    return {};
}

void apply(const CompressionConfig::LayerOverride &o, CodecParams &p)
{
    if (o.samples)
        p.samples = *o.samples;
    if (o.box)
        p.box = *o.box;
    if (o.classes)
        p.classes = *o.classes;
    if (o.autoClasses)
        p.autoClasses = *o.autoClasses;
    if (o.lossThreshold)
        p.lossThreshold = *o.lossThreshold;
}

void applyMode(const CompressionConfig::LayerOverride &o, CompressionConfig::ModeChoice &m)
{
    if (o.mode)
        m.mode = *o.mode;
    if (o.entropy)
        m.entropy = *o.entropy;
    if (o.targetBitsPerWeight)
        m.targetBitsPerWeight = *o.targetBitsPerWeight;
}

// `ownTarget`: the block being checked sets "target_bpw" itself (an inherited one is ignored by a
// paper-mode layer, but a paper block that names one is a mistake worth reporting).
Status checkMode(const CompressionConfig::ModeChoice &m, bool ownTarget)
{
    if (m.mode == CodecMode::Paper) {
        if (ownTarget)
            return Status::failure("\"target_bpw\" applies to the lattice and density modes, not to paper mode");
        return {};
    }
    const double t = m.targetBitsPerWeight.value_or(CompressionConfig::defaultTargetBitsPerWeight(m.mode));
    const std::string text = QString::number(t, 'g', 10).toStdString();
    if (m.mode == CodecMode::Lattice && !(t >= 0.25 && t <= 24))
        return Status::failure("\"target_bpw\" " + text + " is outside 0.25..24 bits per weight (lattice mode)");
    if (m.mode == CodecMode::Density && DensityMode::sideFor(t) == 0)
        return Status::failure("\"target_bpw\" " + text + " is outside 1..12 bits per weight (density mode)");
    return {};
}

QJsonValue classesJson(int classes, bool autoClasses)
{
    if (autoClasses)
        return QString::fromStdString(CompressionConfig::classesText(classes, true));
    return classes;
}

} // namespace

bool CompressionConfig::LayerOverride::operator==(const LayerOverride &o) const
{
    return samples == o.samples && box == o.box && classes == o.classes && autoClasses == o.autoClasses &&
           lossThreshold == o.lossThreshold && mode == o.mode && entropy == o.entropy &&
           targetBitsPerWeight == o.targetBitsPerWeight;
}

bool CompressionConfig::operator==(const CompressionConfig &o) const
{
    return defaults.samples == o.defaults.samples && defaults.box == o.defaults.box &&
           defaults.classes == o.defaults.classes && defaults.autoClasses == o.defaults.autoClasses &&
           defaults.lossThreshold == o.defaults.lossThreshold && layers == o.layers && skip == o.skip &&
           boxMode == o.boxMode && defaultMode == o.defaultMode;
}

double CompressionConfig::defaultTargetBitsPerWeight(CodecMode mode)
{
    switch (mode) {
    case CodecMode::Lattice:
        return 4.25;
    case CodecMode::Density:
        return 5.0;
    case CodecMode::Paper:
        break;
    }
    return 0;
}

std::string CompressionConfig::classesText(int classes, bool autoClasses)
{
    return autoClasses ? "auto:" + std::to_string(classes) : std::to_string(classes);
}

Status CompressionConfig::parseClasses(const QJsonValue &v, int &classes, bool &autoClasses)
{
    if (v.isDouble()) {
        if (!wholeNumber(v, classes))
            return Status::failure("a \"classes\" value that is not a whole number");
        autoClasses = false;
        return {};
    }
    if (v.isString()) {
        const QString s = v.toString();
        if (s.startsWith(QStringLiteral("auto:"))) {
            bool ok = false;
            classes = s.mid(5).toInt(&ok);
            if (ok && !s.mid(5).isEmpty() && s.mid(5).at(0).isDigit()) {
                autoClasses = true;
                return {};
            }
        }
        return Status::failure("the \"classes\" value \"" + s.toStdString() +
                               "\", which is neither a whole number nor \"auto:KMAX\"");
    }
    return Status::failure("a \"classes\" value that is neither a whole number nor \"auto:KMAX\"");
}

Result<CompressionConfig> CompressionConfig::load(const std::string &path)
{
    using R = Result<CompressionConfig>;
    const QString qpath = QString::fromStdString(path);
    const QFileInfo info(qpath);
    if (!info.exists())
        return R::failure(path + ": the file does not exist");
    if (info.isDir())
        return R::failure(path + ": is a folder, not a file");
    QFile f(qpath);
    if (!f.open(QIODevice::ReadOnly))
        return R::failure(path + ": the file cannot be read (" + f.errorString().toStdString() + ")");
    if (f.size() > (qint64(64) << 20))
        return R::failure(path + ": the file is too large to be a config (" + std::to_string(f.size()) + " bytes)");
    return fromJson(f.readAll(), path);
}

Result<CompressionConfig> CompressionConfig::fromJson(const QByteArray &json, const std::string &sourceName)
{
    using R = Result<CompressionConfig>;
    const std::string &src = sourceName;
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError)
        return R::failure(src + ": the config is not valid JSON (" + err.errorString().toStdString() + " at byte " +
                          std::to_string(err.offset) + ")");
    if (!doc.isObject())
        return R::failure(src + ": the config is not a JSON object");
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormatName))
        return R::failure(src + ": is not a HyperComp config (\"format\" must be \"" + kFormatName + "\")");
    int version = 0;
    if (!wholeNumber(root.value(QStringLiteral("version")), version) || version < 1)
        return R::failure(src + ": the config has no valid \"version\" (a whole number from 1)");
    if (version > kVersion)
        return R::failure(src + ": was written by a newer HyperComp (config version " + std::to_string(version) +
                          "; this build reads version " + std::to_string(kVersion) + ")");

    CompressionConfig c;
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = it.key();
        if (key == QStringLiteral("format") || key == QStringLiteral("version"))
            continue;
        if (key == QStringLiteral("defaults")) {
            if (!it.value().isObject())
                return R::failure(src + ": \"defaults\" is not a JSON object");
            LayerOverride o;
            if (Status s = readParams(it.value().toObject(), "\"defaults\"", o); !s)
                return R::failure(src + ": " + s.error());
            apply(o, c.defaults);
            applyMode(o, c.defaultMode);
        } else if (key == QStringLiteral("layers")) {
            if (!it.value().isObject())
                return R::failure(src + ": \"layers\" is not a JSON object");
            const QJsonObject layers = it.value().toObject();
            for (auto l = layers.begin(); l != layers.end(); ++l) {
                const std::string what = "the layer \"" + l.key().toStdString() + "\"";
                if (!l.value().isObject())
                    return R::failure(src + ": " + what + " is not described by a JSON object");
                LayerOverride o;
                if (Status s = readParams(l.value().toObject(), what, o); !s)
                    return R::failure(src + ": " + s.error());
                c.layers[l.key().toStdString()] = o;
            }
        } else if (key == QStringLiteral("box_mode")) {
            const auto mode = BoxResolver::modeFromName(it.value().toString().toStdString());
            if (!it.value().isString() || !mode)
                return R::failure(src + ": \"box_mode\" must be \"absolute\" or \"sigma\"");
            c.boxMode = *mode;
        } else if (key == QStringLiteral("skip")) {
            if (!it.value().isArray())
                return R::failure(src + ": \"skip\" is not a list of regular expressions");
            for (const QJsonValue &v : it.value().toArray()) {
                if (!v.isString())
                    return R::failure(src + ": \"skip\" holds an entry that is not a string");
                c.skip.push_back(v.toString().toStdString());
            }
        } else {
            return R::failure(src + ": the config has the unknown key \"" + key.toStdString() +
                              "\" (known: format, version, defaults, layers, skip, box_mode)");
        }
    }
    if (Status s = c.validate(src); !s)
        return R::failure(s.error());
    return c;
}

Status CompressionConfig::validate(const std::string &sourceName) const
{
    if (Status s = HyperCodec::validate(defaults); !s)
        return Status::failure(sourceName + ": in \"defaults\", " + s.error());
    if (Status s = checkMode(defaultMode, defaultMode.targetBitsPerWeight.has_value()); !s)
        return Status::failure(sourceName + ": in \"defaults\", " + s.error());
    for (const auto &[name, o] : layers) {
        CodecParams p = defaults;
        apply(o, p);
        if (Status s = HyperCodec::validate(p); !s)
            return Status::failure(sourceName + ": in the layer \"" + name + "\", " + s.error());
        if (Status s = checkMode(modeFor(name), o.targetBitsPerWeight.has_value()); !s)
            return Status::failure(sourceName + ": in the layer \"" + name + "\", " + s.error());
    }
    for (const auto &pattern : skip) {
        const QRegularExpression re(QString::fromStdString(pattern));
        if (!re.isValid())
            return Status::failure(sourceName + ": the skip pattern \"" + pattern + "\" is not a valid regular expression (" +
                                   re.errorString().toStdString() + " at offset " +
                                   std::to_string(re.patternErrorOffset()) + ")");
    }
    return {};
}

QJsonObject CompressionConfig::toJsonObject() const
{
    QJsonObject root;
    root.insert(QStringLiteral("format"), QLatin1String(kFormatName));
    root.insert(QStringLiteral("version"), kVersion);
    QJsonObject d;
    d.insert(QStringLiteral("samples"), defaults.samples);
    d.insert(QStringLiteral("box"), defaults.box);
    d.insert(QStringLiteral("classes"), classesJson(defaults.classes, defaults.autoClasses));
    if (defaults.lossThreshold != CodecParams{}.lossThreshold)
        d.insert(QStringLiteral("loss_threshold"), defaults.lossThreshold);
    // Written only when they differ from paper mode, fixed-width: such configs keep their bytes
    // and still load in builds that predate the modes.
    if (defaultMode.mode != CodecMode::Paper)
        d.insert(QStringLiteral("mode"), QLatin1String(codecModeName(defaultMode.mode)));
    if (defaultMode.entropy)
        d.insert(QStringLiteral("entropy"), true);
    if (defaultMode.targetBitsPerWeight)
        d.insert(QStringLiteral("target_bpw"), *defaultMode.targetBitsPerWeight);
    root.insert(QStringLiteral("defaults"), d);
    root.insert(QStringLiteral("box_mode"), QLatin1String(BoxResolver::modeName(boxMode)));
    QJsonObject layersJson;
    for (const auto &[name, o] : layers) {
        QJsonObject l;
        if (o.samples)
            l.insert(QStringLiteral("samples"), *o.samples);
        if (o.box)
            l.insert(QStringLiteral("box"), *o.box);
        if (o.classes)
            l.insert(QStringLiteral("classes"),
                     classesJson(*o.classes, o.autoClasses.value_or(defaults.autoClasses)));
        if (o.lossThreshold)
            l.insert(QStringLiteral("loss_threshold"), *o.lossThreshold);
        if (o.mode)
            l.insert(QStringLiteral("mode"), QLatin1String(codecModeName(*o.mode)));
        if (o.entropy)
            l.insert(QStringLiteral("entropy"), *o.entropy);
        if (o.targetBitsPerWeight)
            l.insert(QStringLiteral("target_bpw"), *o.targetBitsPerWeight);
        layersJson.insert(QString::fromStdString(name), l);
    }
    root.insert(QStringLiteral("layers"), layersJson);
    QJsonArray s;
    for (const auto &p : skip)
        s.append(QString::fromStdString(p));
    root.insert(QStringLiteral("skip"), s);
    return root;
}

QByteArray CompressionConfig::toJson() const
{
    return QJsonDocument(toJsonObject()).toJson(QJsonDocument::Indented);
}

Status CompressionConfig::save(const std::string &path) const
{
    return writeFileAtomically(path, toJson(), "the config could not be saved");
}

CodecParams CompressionConfig::paramsFor(const std::string &tensorName) const
{
    CodecParams p = defaults;
    const auto it = layers.find(tensorName);
    if (it != layers.end())
        apply(it->second, p);
    return p;
}

CompressionConfig::ModeChoice CompressionConfig::modeFor(const std::string &tensorName) const
{
    ModeChoice m = defaultMode;
    const auto it = layers.find(tensorName);
    if (it != layers.end())
        applyMode(it->second, m);
    return m;
}

ModeOptions CompressionConfig::modeOptionsFor(const std::string &tensorName) const
{
    const ModeChoice m = modeFor(tensorName);
    ModeOptions o;
    o.mode = m.mode;
    o.entropy = m.entropy;
    o.paper = paramsFor(tensorName);
    o.targetBitsPerWeight = m.targetBitsPerWeight.value_or(defaultTargetBitsPerWeight(m.mode));
    return o;
}

std::string CompressionConfig::skipPattern(const std::string &tensorName) const
{
    const QString name = QString::fromStdString(tensorName);
    for (const auto &pattern : skip)
        if (QRegularExpression(QString::fromStdString(pattern)).match(name).hasMatch())
            return pattern;
    return {};
}

} // namespace hc
