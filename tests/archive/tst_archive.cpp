#include "core/archive/archiveformat.h"
#include "tests/testsupport/testfiles.h"
#include "core/archive/archivereader.h"
#include "core/archive/archivewriter.h"
#include "core/archive/crc32.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodec.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/tensor/halffloat.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>

using namespace hc;
using namespace hc::testsupport;

namespace {

std::string s(const QString &q)
{
    return q.toStdString();
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// A tensor in its own dtype, with its encoding.
struct Sample {
    std::string name;
    TensorData data;
    EncodedTensor encoded;
};

TensorData makeTensor(DType dtype, const std::vector<std::int64_t> &shape, std::uint64_t seed)
{
    TensorData t;
    t.shape = shape;
    t.dtype = dtype;
    const std::size_t n = shapeNumel(shape);
    const std::vector<float> f = studentTWeights(n, 4.0, 0.05, seed);
    std::vector<double> d(f.begin(), f.end());
    t.bytes.resize(n * dtypeSize(dtype));
    fromDouble(d.data(), n, dtype, t.bytes.data());
    return t;
}

std::vector<Sample> samples()
{
    std::vector<Sample> out;
    const std::vector<std::pair<DType, std::vector<std::int64_t>>> kinds = {
        {DType::F32, {64, 33}}, {DType::F16, {17, 5}}, {DType::BF16, {3, 3, 11}}, {DType::F64, {101}}};
    CodecParams p; // U = 225, l = 0.1, K = auto:3
    std::uint64_t seed = 11;
    for (const auto &[dt, shape] : kinds) {
        Sample smp;
        smp.name = std::string("layer.") + dtypeName(dt) + ".weight";
        smp.data = makeTensor(dt, shape, seed++);
        auto e = HyperCodec::encode(smp.data.view(), shape, p);
        if (!e)
            qFatal("encode failed: %s", e.error().c_str());
        smp.encoded = std::move(e).value();
        out.push_back(std::move(smp));
    }
    return out;
}

TensorInfo infoOf(const std::string &name, const TensorData &d)
{
    TensorInfo i;
    i.name = name;
    i.shape = d.shape;
    i.dtype = d.dtype;
    i.dtypeName = dtypeName(d.dtype);
    i.byteSize = d.bytes.size();
    return i;
}

TensorData rawInts()
{
    TensorData t;
    t.shape = {2, 3};
    t.dtype = DType::I64;
    const std::vector<std::int64_t> v{1, -2, 3, 1ll << 50, 5, 6};
    t.bytes.resize(48);
    std::memcpy(t.bytes.data(), v.data(), 48);
    return t;
}

Status writeArchive(const QString &path, const std::vector<Sample> &smp)
{
    ArchiveWriter w(s(path));
    for (const auto &x : smp)
        if (Status st = w.addCompressed(x.name, x.encoded); !st)
            return st;
    const TensorData ints = rawInts();
    if (Status st = w.addRaw(infoOf("step", ints), ints.view(), "its dtype I64 is not a float type"); !st)
        return st;
    return w.commit();
}

// Copies an archive with its metadata changed by `edit`, and optionally its tensors re-declared.
void rewrite(const QString &from, const QString &to,
             const std::function<void(std::map<std::string, std::string> &)> &edit)
{
    auto src = SafetensorsSource::openFile(s(from));
    QVERIFY(src.ok());
    SafetensorsWriter w(s(to));
    auto meta = (*src)->metadata();
    edit(meta);
    w.setMetadata(meta);
    for (const auto &t : (*src)->tensors())
        QVERIFY(w.declareTensor(t.name, t.dtypeName, t.shape, t.byteSize));
    for (std::size_t i = 0; i < (*src)->tensors().size(); ++i)
        QVERIFY(w.writeTensor(i, (*src)->view(i).data, (*src)->tensors()[i].byteSize));
    QVERIFY(w.commit());
}

// Edits the JSON of entry `index` inside the "hypercomp" metadata string.
std::function<void(std::map<std::string, std::string> &)> editEntry(int index,
                                                                   const std::function<void(QJsonObject &)> &edit)
{
    return [index, edit](std::map<std::string, std::string> &meta) {
        QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(meta["hypercomp"])).object();
        QJsonArray list = root.value(QStringLiteral("tensors")).toArray();
        QJsonObject o = list[index].toObject();
        edit(o);
        list[index] = o;
        root.insert(QStringLiteral("tensors"), list);
        meta["hypercomp"] = QJsonDocument(root).toJson(QJsonDocument::Compact).toStdString();
    };
}

// One tensor coded in every mode the archive stores (issue 9).
struct ModeSample {
    std::string name;
    TensorData data;
    ModeEncoded encoded;
};

std::vector<ModeSample> modeSamples()
{
    std::vector<ModeSample> out;
    std::uint64_t seed = 40;
    for (const auto &[dt, shape] : std::vector<std::pair<DType, std::vector<std::int64_t>>>{{DType::F32, {64, 40}},
                                                                                           {DType::F16, {51, 21}}}) {
        const TensorData t = makeTensor(dt, shape, seed++);
        auto add = [&](const std::string &label, Result<ModeEncoded> e) {
            if (!e)
                qFatal("encode failed: %s", e.error().c_str());
            out.push_back({"t." + label + "." + dtypeName(dt), t, std::move(e).value()});
        };
        ModeOptions o;
        o.mode = CodecMode::Paper;
        o.entropy = false;
        add("paper", ModeCodec::encode(t.view(), shape, o));
        o.entropy = true;
        add("paper_rans", ModeCodec::encode(t.view(), shape, o));
        o.mode = CodecMode::Lattice;
        o.targetBitsPerWeight = 4.0;
        add("lattice", ModeCodec::encode(t.view(), shape, o));
        o.mode = CodecMode::Density;
        o.entropy = false;
        o.targetBitsPerWeight = 4.0;
        add("density", ModeCodec::encode(t.view(), shape, o));
        o.entropy = true;
        o.targetBitsPerWeight = 5.0;
        add("density_rans", ModeCodec::encode(t.view(), shape, o));
    }
    return out;
}

Status writeModeArchive(const QString &path, const std::vector<ModeSample> &smp)
{
    ArchiveWriter w(s(path));
    for (const auto &x : smp)
        if (Status st = w.addEncoded(x.name, x.encoded); !st)
            return st;
    const TensorData ints = rawInts();
    if (Status st = w.addRaw(infoOf("step", ints), ints.view(), "its dtype I64 is not a float type"); !st)
        return st;
    return w.commit();
}

} // namespace

using MetadataEdit = std::function<void(std::map<std::string, std::string> &)>;
Q_DECLARE_METATYPE(MetadataEdit)

class TestArchive : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::vector<Sample> m_samples;
    QString m_good;

    // `edit` applied to a copy of `good` named `badName`: opening it fails with one sentence that
    // names the file and contains `problem`, and the file is left as it was.
    void expectRejected(const QString &good, const MetadataEdit &edit, const QString &problem, const QString &badName)
    {
        const QString bad = m_dir.filePath(badName);
        rewrite(good, bad, edit);
        const QByteArray before = readBytes(bad);
        auto r = ArchiveReader::open(s(bad));
        QVERIFY(!r.ok());
        const QString err = QString::fromStdString(r.error());
        QVERIFY2(err.startsWith(bad + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(err.contains(problem), qPrintable(err));
        QCOMPARE(readBytes(bad), before);
        QFile::remove(bad);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_samples = samples();
        m_good = m_dir.filePath(QStringLiteral("good.hca.safetensors"));
        const Status st = writeArchive(m_good, m_samples);
        QVERIFY2(st.ok(), st.error().c_str());
    }

    void crc32KnownValues()
    {
        QCOMPARE(Crc32::compute("123456789", 9), 0xCBF43926u);
        QCOMPARE(Crc32::compute("", 0), 0u);
        QByteArray big(1000, 'x');
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(i * 7 + 3);
        // Slice-by-8 and byte-wise continuation agree, whatever the split.
        const std::uint32_t whole = Crc32::compute(big.constData(), std::size_t(big.size()));
        for (int split : {0, 1, 7, 8, 9, 500, 999}) {
            const std::uint32_t a = Crc32::compute(big.constData(), std::size_t(split));
            QCOMPARE(Crc32::update(a, big.constData() + split, std::size_t(big.size() - split)), whole);
        }
    }

    void roundTrip()
    {
        auto r = ArchiveReader::open(s(m_good));
        QVERIFY2(r.ok(), r.error().c_str());
        const ArchiveReader &a = **r;
        QCOMPARE(a.formatName(), std::string("HyperComp archive"));
        QCOMPARE(a.entries().size(), m_samples.size() + 1);
        for (std::size_t i = 0; i < m_samples.size(); ++i) {
            const Sample &x = m_samples[i];
            const ArchiveEntry &e = a.entries()[i];
            QCOMPARE(e.name, x.name);
            QVERIFY(e.compressed());
            QCOMPARE(e.shape, x.data.shape);
            QCOMPARE(e.dtype, x.data.dtype);
            QCOMPARE(e.header.numel, x.encoded.numel);
            QCOMPARE(e.header.samples, x.encoded.samples);
            QCOMPARE(e.header.classes, x.encoded.classes);
            QCOMPARE(e.header.bits, x.encoded.bits);
            // Doubles come back bit for bit.
            QVERIFY(std::memcmp(&e.header.box, &x.encoded.box, 8) == 0);
            QVERIFY(std::memcmp(&e.header.centreX, &x.encoded.centreX, 8) == 0);
            QVERIFY(std::memcmp(&e.header.centreY, &x.encoded.centreY, 8) == 0);
            QVERIFY(std::memcmp(&e.header.farthest, &x.encoded.farthest, 8) == 0);
            QCOMPARE(e.payloadBytes, x.encoded.packedBytes());
            QCOMPARE(a.tensors()[i].name, x.name);
            QCOMPARE(a.tensors()[i].byteSize, std::uint64_t(x.data.bytes.size()));
            // Restoring gives exactly what the decoder makes of the encoding.
            std::vector<std::uint8_t> expected(x.data.bytes.size());
            HyperCodec::decode(x.encoded, expected.data());
            auto restored = a.restore(i);
            QVERIFY2(restored.ok(), restored.error().c_str());
            QCOMPARE(restored->bytes, expected);
            QCOMPARE(restored->shape, x.data.shape);
            QCOMPARE(restored->dtype, x.data.dtype);
            QCOMPARE(a.read(i)->bytes, expected);
        }
        const ArchiveEntry &raw = a.entries().back();
        QCOMPARE(raw.name, std::string("step"));
        QVERIFY(!raw.compressed());
        QCOMPARE(raw.reason, std::string("its dtype I64 is not a float type"));
        QCOMPARE(a.restore(m_samples.size())->bytes, rawInts().bytes);
    }

    void isAValidSafetensorsFile()
    {
        auto r = SafetensorsSource::openFile(s(m_good));
        QVERIFY2(r.ok(), r.error().c_str());
        const SafetensorsSource &src = **r;
        QCOMPARE(src.metadata().at("format"), std::string("hypercomp-archive"));
        QCOMPARE(src.metadata().at("version"), std::string("1"));
        QCOMPARE(src.tensors().size(), m_samples.size() + 1);
        for (std::size_t i = 0; i < m_samples.size(); ++i) {
            QCOMPARE(src.tensors()[i].name, m_samples[i].name);
            QCOMPARE(src.tensors()[i].dtypeName, std::string("U8"));
            QCOMPARE(src.tensors()[i].shape, (std::vector<std::int64_t>{std::int64_t(m_samples[i].encoded.packedBytes())}));
            QCOMPARE(src.read(i)->bytes, m_samples[i].encoded.packed());
        }
        QCOMPARE(src.tensors().back().dtypeName, std::string("I64"));
        const QJsonObject list = QJsonDocument::fromJson(QByteArray::fromStdString(src.metadata().at("hypercomp"))).object();
        const QJsonObject first = list.value(QStringLiteral("tensors")).toArray()[0].toObject();
        for (const char *key : {"name", "status", "shape", "dtype", "numel", "samples", "box", "classes", "centre",
                                "farthest", "bits", "payload_bytes", "crc32"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("compressed"));
        QVERIFY(ArchiveReader::isArchive(s(m_good)));
    }

    void sameInputsSameBytes()
    {
        const QString again = m_dir.filePath(QStringLiteral("again.safetensors"));
        QVERIFY(writeArchive(again, samples()));
        QCOMPARE(readBytes(again), readBytes(m_good));
        QFile::remove(again);
    }

    void archiveBytesAddUpToTheFile()
    {
        auto r = ArchiveReader::open(s(m_good));
        QVERIFY(r.ok());
        std::uint64_t sum = 0;
        for (const auto &e : (*r)->entries()) {
            QVERIFY(e.archiveBytes > e.payloadBytes);
            QVERIFY(e.archiveBytes < e.payloadBytes + 600); // payload + its share of the header
            sum += e.archiveBytes;
        }
        QCOMPARE(sum, std::uint64_t(QFileInfo(m_good).size()));
        QCOMPARE((*r)->fileSize(), std::uint64_t(QFileInfo(m_good).size()));

        // The writer reports the same figures it wrote.
        const QString again = m_dir.filePath(QStringLiteral("w.safetensors"));
        ArchiveWriter w(s(again));
        for (const auto &x : m_samples)
            QVERIFY(w.addCompressed(x.name, x.encoded));
        const TensorData ints = rawInts();
        QVERIFY(w.addRaw(infoOf("step", ints), ints.view(), "its dtype I64 is not a float type"));
        QVERIFY(w.commit());
        QCOMPARE(w.fileSize(), std::uint64_t(QFileInfo(again).size()));
        for (std::size_t i = 0; i < w.entries().size(); ++i)
            QCOMPARE(w.entries()[i].archiveBytes, (*r)->entries()[i].archiveBytes);
        QFile::remove(again);
    }

    void flippedPayloadByteFailsItsChecksum()
    {
        auto src = SafetensorsSource::openFile(s(m_good));
        QVERIFY(src.ok());
        const std::uint64_t at = (*src)->fileOffset(1) + 3; // inside tensor 1's payload
        QByteArray bytes = readBytes(m_good);
        bytes[qsizetype(at)] = char(bytes[qsizetype(at)] ^ 0x10);
        const QString bad = m_dir.filePath(QStringLiteral("flipped.safetensors"));
        writeBytes(bad, bytes);
        auto r = ArchiveReader::open(s(bad));
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error()),
                 bad + QStringLiteral(": the payload of tensor '") + QString::fromStdString(m_samples[1].name) +
                     QStringLiteral("' fails its checksum"));
        // Opened without the up-front check, restoring that tensor still catches it; others restore.
        ArchiveReader::Options lazy;
        lazy.verifyChecksums = false;
        auto l = ArchiveReader::open(s(bad), lazy);
        QVERIFY2(l.ok(), l.error().c_str());
        QVERIFY((*l)->restore(0).ok());
        auto t = (*l)->restore(1);
        QVERIFY(!t.ok());
        QVERIFY(t.error().find("fails its checksum") != std::string::npos);
        QCOMPARE(readBytes(bad), bytes); // untouched
        QFile::remove(bad);
    }

    void rejectsBadArchives_data()
    {
        using Edit = MetadataEdit;
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("problem");
        QTest::newRow("newer version") << Edit([](auto &m) { m["version"] = "2"; })
                                       << QStringLiteral("was written by a newer HyperComp (archive version 2; this build reads version 1)");
        QTest::newRow("bad version") << Edit([](auto &m) { m["version"] = "one"; })
                                     << QStringLiteral("the archive version 'one' is not a positive whole number");
        QTest::newRow("no version") << Edit([](auto &m) { m.erase("version"); }) << QStringLiteral("has no version");
        QTest::newRow("not an archive") << Edit([](auto &m) { m.erase("format"); })
                                        << QStringLiteral("is a safetensors file but not a HyperComp archive");
        QTest::newRow("other format") << Edit([](auto &m) { m["format"] = "gguf"; })
                                      << QStringLiteral("not a HyperComp archive");
        QTest::newRow("no tensor list") << Edit([](auto &m) { m.erase("hypercomp"); })
                                        << QStringLiteral("has no \"hypercomp\" tensor list");
        QTest::newRow("tensor list not JSON") << Edit([](auto &m) { m["hypercomp"] = "{oops"; })
                                              << QStringLiteral("tensor list is not valid JSON");
        QTest::newRow("tensor list no array") << Edit([](auto &m) { m["hypercomp"] = "{}"; })
                                              << QStringLiteral("has no \"tensors\" array");
        auto entry = [](int i, std::function<void(QJsonObject &)> f) { return Edit(editEntry(i, std::move(f))); };
        QTest::newRow("bits 0") << entry(0, [](QJsonObject &o) { o[QStringLiteral("bits")] = 0; })
                                << QStringLiteral("has an invalid index width");
        QTest::newRow("bits disagree with payload") << entry(0, [](QJsonObject &o) { o[QStringLiteral("bits")] = 16; })
                                                    << QStringLiteral("indices of 16 bits need");
        QTest::newRow("samples 0") << entry(0, [](QJsonObject &o) { o[QStringLiteral("samples")] = 0; })
                                   << QStringLiteral("has an invalid number of samples U");
        QTest::newRow("negative box") << entry(1, [](QJsonObject &o) { o[QStringLiteral("box")] = -0.1; })
                                      << QStringLiteral("has an invalid box size l");
        QTest::newRow("too many classes") << entry(0, [](QJsonObject &o) { o[QStringLiteral("classes")] = 65; })
                                          << QStringLiteral("has an invalid class count K");
        QTest::newRow("bad centre") << entry(0, [](QJsonObject &o) { o[QStringLiteral("centre")] = QJsonArray{1.0}; })
                                    << QStringLiteral("has an invalid centre");
        QTest::newRow("negative farthest") << entry(0, [](QJsonObject &o) { o[QStringLiteral("farthest")] = -1; })
                                           << QStringLiteral("has an invalid farthest distance D");
        QTest::newRow("bad checksum field") << entry(0, [](QJsonObject &o) { o[QStringLiteral("crc32")] = QStringLiteral("xyz"); })
                                            << QStringLiteral("has no valid crc32 checksum");
        QTest::newRow("wrong checksum") << entry(2, [](QJsonObject &o) { o[QStringLiteral("crc32")] = QStringLiteral("00000000"); })
                                        << QStringLiteral("fails its checksum");
        QTest::newRow("unknown dtype") << entry(0, [](QJsonObject &o) { o[QStringLiteral("dtype")] = QStringLiteral("F12"); })
                                       << QStringLiteral("has the unknown dtype 'F12'");
        QTest::newRow("compressed integer") << entry(0, [](QJsonObject &o) { o[QStringLiteral("dtype")] = QStringLiteral("I32"); })
                                            << QStringLiteral("is marked compressed but its dtype I32 is not a float type");
        QTest::newRow("numel disagrees with shape") << entry(0, [](QJsonObject &o) { o[QStringLiteral("numel")] = 5; })
                                                    << QStringLiteral("element count that does not match its shape");
        QTest::newRow("bad status") << entry(0, [](QJsonObject &o) { o[QStringLiteral("status")] = QStringLiteral("zipped"); })
                                    << QStringLiteral("has no valid status");
        QTest::newRow("raw size disagrees") << entry(4, [](QJsonObject &o) { o[QStringLiteral("shape")] = QJsonArray{7}; o[QStringLiteral("numel")] = 7; })
                                            << QStringLiteral("is stored raw with 48 bytes but its shape and dtype need 56");
        QTest::newRow("listed but missing") << entry(0, [](QJsonObject &o) { o[QStringLiteral("name")] = QStringLiteral("ghost"); })
                                            << QStringLiteral("tensor 'ghost' is listed in the metadata but its data is missing");
        QTest::newRow("stored tensor disagrees")
            << entry(4, [](QJsonObject &o) { o[QStringLiteral("dtype")] = QStringLiteral("U64"); })
            << QStringLiteral("the stored tensor 'step' (I64, 48 bytes) does not match its metadata (U64, 48 bytes)");
        QTest::newRow("listed twice") << Edit([](auto &m) {
            QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(m["hypercomp"])).object();
            QJsonArray list = root.value(QStringLiteral("tensors")).toArray();
            list.append(list[0]);
            root.insert(QStringLiteral("tensors"), list);
            m["hypercomp"] = QJsonDocument(root).toJson(QJsonDocument::Compact).toStdString();
        }) << QStringLiteral("is listed twice");
        QTest::newRow("stored but not listed") << Edit([](auto &m) {
            QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(m["hypercomp"])).object();
            QJsonArray list = root.value(QStringLiteral("tensors")).toArray();
            list.removeLast();
            root.insert(QStringLiteral("tensors"), list);
            m["hypercomp"] = QJsonDocument(root).toJson(QJsonDocument::Compact).toStdString();
        }) << QStringLiteral("the stored tensor 'step' is missing from the archive's tensor list");
    }

    void rejectsBadArchives()
    {
        using Edit = MetadataEdit;
        QFETCH(Edit, edit);
        QFETCH(QString, problem);
        expectRejected(m_good, edit, problem, QStringLiteral("bad.safetensors"));
    }

    void everyModeRoundTrips()
    {
        const std::vector<ModeSample> smp = modeSamples();
        const QString path = m_dir.filePath(QStringLiteral("modes.safetensors"));
        const Status st = writeModeArchive(path, smp);
        QVERIFY2(st.ok(), st.error().c_str());
        auto r = ArchiveReader::open(s(path));
        QVERIFY2(r.ok(), r.error().c_str());
        const ArchiveReader &a = **r;
        QCOMPARE(a.entries().size(), smp.size() + 1);
        auto stored = SafetensorsSource::openFile(s(path));
        QVERIFY(stored.ok());
        const QJsonArray list = QJsonDocument::fromJson(QByteArray::fromStdString((*stored)->metadata().at("hypercomp")))
                                    .object().value(QStringLiteral("tensors")).toArray();
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < smp.size(); ++i) {
            const ModeSample &x = smp[i];
            const ArchiveEntry &e = a.entries()[i];
            QCOMPARE(e.name, x.name);
            QCOMPARE(e.mode, x.encoded.mode);
            QCOMPARE(e.entropy, x.encoded.entropy);
            QCOMPARE(e.payloadBytes, std::uint64_t(x.encoded.payload.size()));
            // The payload is the U8 tensor, byte for byte.
            QCOMPARE((*stored)->tensors()[i].dtypeName, std::string("U8"));
            QCOMPARE((*stored)->read(i)->bytes, x.encoded.payload);
            // The parameters come back exactly: the same JSON as the encoder's.
            QCOMPARE(ArchiveFormat::modeEncoded(e).toJson(), x.encoded.toJson());
            // Restoring gives exactly what ModeEncoded::decode makes of the encoding.
            std::vector<std::uint8_t> expected(x.data.bytes.size());
            QVERIFY(x.encoded.decode(expected.data()));
            auto restored = a.restore(i);
            QVERIFY2(restored.ok(), restored.error().c_str());
            QVERIFY2(restored->bytes == expected, x.name.c_str());
            QCOMPARE(restored->shape, x.data.shape);
            QCOMPARE(restored->dtype, x.data.dtype);
            // Fixed-width paper entries carry no mode keys (the original format); the others do.
            const QJsonObject o = list[qsizetype(i)].toObject();
            const bool original = x.encoded.mode == CodecMode::Paper && !x.encoded.entropy;
            QCOMPARE(o.contains(QStringLiteral("mode")), !original);
            QCOMPARE(o.contains(QStringLiteral("entropy")), !original);
            if (!original) {
                QCOMPARE(o.value(QStringLiteral("mode")).toString(), QLatin1String(codecModeName(x.encoded.mode)));
                QCOMPARE(o.value(QStringLiteral("entropy")).toBool(), x.encoded.entropy);
            }
            if (x.encoded.mode == CodecMode::Lattice) // layout 2: the parameters are in the payload
                for (const char *key : {"cx", "cy", "h", "shear", "row_min", "col_min", "rows", "cols"})
                    QVERIFY2(!o.contains(QLatin1String(key)), key);
            if (x.encoded.mode == CodecMode::Density)
                for (const char *key : {"side", "breakpoints"})
                    QVERIFY2(o.contains(QLatin1String(key)), key);
            sum += e.archiveBytes;
        }
        QCOMPARE(a.restore(smp.size())->bytes, rawInts().bytes);
        sum += a.entries().back().archiveBytes;
        QCOMPARE(sum, std::uint64_t(QFileInfo(path).size())); // bytes_out is the real size, in every mode

        // The same inputs give the same bytes.
        const QString again = m_dir.filePath(QStringLiteral("modes2.safetensors"));
        QVERIFY(writeModeArchive(again, modeSamples()));
        QCOMPARE(readBytes(again), readBytes(path));
        QFile::remove(again);
    }

    void fixedWidthPaperThroughAddEncodedIsTheOriginalFormat()
    {
        const QString path = m_dir.filePath(QStringLiteral("viaencoded.safetensors"));
        {
            ArchiveWriter w(s(path));
            for (const auto &x : m_samples)
                QVERIFY(w.addEncoded(x.name, ModeCodec::fromPaper(x.encoded, false)));
            const TensorData ints = rawInts();
            QVERIFY(w.addRaw(infoOf("step", ints), ints.view(), "its dtype I64 is not a float type"));
            QVERIFY(w.commit());
        }
        QCOMPARE(readBytes(path), readBytes(m_good));
        for (const auto &x : m_samples)
            QCOMPARE(ArchiveFormat::standaloneBytes(x.name, ModeCodec::fromPaper(x.encoded, false)),
                     ArchiveFormat::standaloneBytes(x.name, x.encoded));
        QFile::remove(path);
    }

    void standaloneBytesIsAOneTensorArchive()
    {
        QTemporaryDir dir;
        for (const ModeSample &x : modeSamples()) {
            const QString path = dir.filePath(QStringLiteral("one.safetensors"));
            ArchiveWriter w(s(path));
            QVERIFY(w.addEncoded(x.name, x.encoded));
            QVERIFY(w.commit());
            QCOMPARE(ArchiveFormat::standaloneBytes(x.name, x.encoded), std::uint64_t(QFileInfo(path).size()));
            QVERIFY(ArchiveFormat::standaloneBytes(x.name, x.encoded) > x.encoded.totalBytes());
            QFile::remove(path);
        }
    }

    void rejectsCorruptModeParameters_data()
    {
        // Entries of modes.safetensors (see modeSamples): 0 paper, 1 paper_rans, 2 lattice,
        // 3 density, 4 density_rans (F32), then the same for F16.
        QTest::addColumn<MetadataEdit>("edit");
        QTest::addColumn<QString>("problem");
        auto entry = [](int i, std::function<void(QJsonObject &)> f) { return MetadataEdit(editEntry(i, std::move(f))); };
        QTest::newRow("unknown mode") << entry(2, [](QJsonObject &o) { o[QStringLiteral("mode")] = QStringLiteral("zip"); })
                                      << QStringLiteral("tensor 't.lattice.F32' has an unknown coding mode \"zip\" (paper, lattice or density is needed)");
        QTest::newRow("mode not text") << entry(1, [](QJsonObject &o) { o[QStringLiteral("mode")] = 3; })
                                       << QStringLiteral("has an unknown coding mode value");
        QTest::newRow("entropy not bool") << entry(1, [](QJsonObject &o) { o[QStringLiteral("entropy")] = QStringLiteral("yes"); })
                                          << QStringLiteral("tensor 't.paper_rans.F32' has an \"entropy\" flag that is not true or false");
        QTest::newRow("density without entropy flag") << entry(3, [](QJsonObject &o) { o.remove(QStringLiteral("entropy")); })
                                                       << QStringLiteral("is in density mode but has no \"entropy\" flag");
        QTest::newRow("lattice not entropy-coded") << entry(2, [](QJsonObject &o) { o[QStringLiteral("entropy")] = false; })
                                                   << QStringLiteral("is in lattice mode, which is always entropy-coded");
        // Layout-1 keys on a layout-2 entry make it a layout-1 entry with parameters missing.
        QTest::newRow("lattice stray spacing") << entry(2, [](QJsonObject &o) { o[QStringLiteral("h")] = -1; })
                                               << QStringLiteral("tensor 't.lattice.F32' has invalid lattice-mode parameters: its lattice centre is missing or invalid");
        QTest::newRow("lattice layout 1 without rows") << entry(7, [](QJsonObject &o) {
            o[QStringLiteral("cx")] = 0;
            o[QStringLiteral("cy")] = 0;
            o[QStringLiteral("h")] = 0.1;
            o[QStringLiteral("shear")] = 2;
            o[QStringLiteral("row_min")] = 0;
            o[QStringLiteral("col_min")] = 0;
        }) << QStringLiteral("tensor 't.lattice.F16' has invalid lattice-mode parameters: its lattice row count is missing or invalid");
        QTest::newRow("lattice layout 1 shear text") << entry(2, [](QJsonObject &o) {
            o[QStringLiteral("cx")] = 0;
            o[QStringLiteral("cy")] = 0;
            o[QStringLiteral("h")] = 0.1;
            o[QStringLiteral("shear")] = QStringLiteral("2");
        }) << QStringLiteral("its lattice shear is missing or invalid");
        QTest::newRow("density side") << entry(3, [](QJsonObject &o) { o[QStringLiteral("side")] = 1; })
                                      << QStringLiteral("has invalid density-mode parameters: its density lattice side is missing or invalid");
        QTest::newRow("density breakpoints") << entry(4, [](QJsonObject &o) { o[QStringLiteral("breakpoints")] = 2.5; })
                                             << QStringLiteral("its compander breakpoint count is missing or invalid");
        QTest::newRow("density payload disagrees") << entry(3, [](QJsonObject &o) { o[QStringLiteral("side")] = 64; })
                                                   << QStringLiteral("fixed-width indices need");
        QTest::newRow("paper entropy without width") << entry(1, [](QJsonObject &o) { o.remove(QStringLiteral("bits")); })
                                                     << QStringLiteral("has an invalid index width");
    }

    void rejectsCorruptModeParameters()
    {
        QFETCH(MetadataEdit, edit);
        QFETCH(QString, problem);
        const QString good = m_dir.filePath(QStringLiteral("modes.safetensors"));
        if (!QFile::exists(good))
            QVERIFY(writeModeArchive(good, modeSamples()));
        expectRejected(good, edit, problem, QStringLiteral("badmode.safetensors"));
    }

    // Parameters that pass every check but do not fit the payload: the reader opens the archive,
    // and restoring that tensor (only) fails with one sentence.
    void undecodablePayloadIsAClearError()
    {
        const QString good = m_dir.filePath(QStringLiteral("modes.safetensors"));
        if (!QFile::exists(good))
            QVERIFY(writeModeArchive(good, modeSamples()));
        const QString bad = m_dir.filePath(QStringLiteral("undecodable.safetensors"));
        rewrite(good, bad, editEntry(4, [](QJsonObject &o) { o[QStringLiteral("side")] = 4; }));
        auto r = ArchiveReader::open(s(bad));
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY((*r)->restore(3).ok());
        auto t = (*r)->restore(4);
        QVERIFY(!t.ok());
        QVERIFY2(QString::fromStdString(t.error()).startsWith(bad + QStringLiteral(": tensor 't.density_rans.F32' cannot be decoded (density mode): ")),
                 t.error().c_str());
        QFile::remove(bad);
    }

    void rejectsNonArchives()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("none.safetensors"));
        auto r = ArchiveReader::open(s(missing));
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error()), missing + QStringLiteral(": the file does not exist"));
        const QString junk = dir.filePath(QStringLiteral("junk.safetensors"));
        writeBytes(junk, "abc");
        r = ArchiveReader::open(s(junk));
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("too short") != std::string::npos);
        QVERIFY(!ArchiveReader::isArchive(s(junk)));
    }

    void nothingLeftOnCancelOrFailure()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.safetensors"));
        {
            ArchiveWriter w(s(path));
            QVERIFY(w.addCompressed(m_samples[0].name, m_samples[0].encoded));
            // The spool is there, though on Linux it has no name (QTemporaryFile uses O_TMPFILE).
            QVERIFY(filesIn(dir.path()).size() <= 1);
        }
        QCOMPARE(filesIn(dir.path()), QStringList{});
        {
            ArchiveWriter w(s(path));
            QVERIFY(w.addCompressed(m_samples[0].name, m_samples[0].encoded));
            const Status dup = w.addCompressed(m_samples[0].name, m_samples[0].encoded);
            QVERIFY(!dup.ok());
            QVERIFY(dup.error().find("is added twice") != std::string::npos);
            w.cancel();
        }
        QCOMPARE(filesIn(dir.path()), QStringList{});
        {
            // A raw tensor given fewer bytes than it declares.
            ArchiveWriter w(s(path));
            TensorData ints = rawInts();
            TensorInfo info = infoOf("step", ints);
            TensorView v = ints.view();
            v.numel = 3;
            const Status st = w.addRaw(info, v, "x");
            QVERIFY(!st.ok());
            QVERIFY2(st.error().find("tensor 'step' is given 24 bytes but its shape and dtype need 48") != std::string::npos,
                     st.error().c_str());
        }
        QCOMPARE(filesIn(dir.path()), QStringList{});
        // An output folder that does not exist.
        const QString nowhere = dir.filePath(QStringLiteral("no/such/a.safetensors"));
        ArchiveWriter w(s(nowhere));
        const Status st = w.addCompressed(m_samples[0].name, m_samples[0].encoded);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error()).startsWith(nowhere + QStringLiteral(": cannot be written because the folder")),
                 st.error().c_str());
        QVERIFY(!w.commit().ok());
        QCOMPARE(filesIn(dir.path()), QStringList{});
    }

    void rawTensorsKeepNaNAndEmptyArchives()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nan.safetensors"));
        TensorData t;
        t.shape = {4};
        t.dtype = DType::F32;
        const float v[4] = {1.f, NAN, -INFINITY, 2.f};
        t.bytes.assign(reinterpret_cast<const std::uint8_t *>(v), reinterpret_cast<const std::uint8_t *>(v) + 16);
        {
            ArchiveWriter w(s(path));
            QVERIFY(w.addRaw(infoOf("odd", t), t.view(), "it contains NaN or infinite values"));
            QVERIFY(w.commit());
        }
        auto r = ArchiveReader::open(s(path));
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE((*r)->restore(0)->bytes, t.bytes);
        QCOMPARE((*r)->entries()[0].reason, std::string("it contains NaN or infinite values"));

        const QString empty = dir.filePath(QStringLiteral("empty.safetensors"));
        {
            ArchiveWriter w(s(empty));
            QVERIFY(w.commit());
        }
        auto e = ArchiveReader::open(s(empty));
        QVERIFY2(e.ok(), e.error().c_str());
        QCOMPARE((*e)->entries().size(), std::size_t(0));
        QCOMPARE(filesIn(dir.path()).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestArchive)
#include "tst_archive.moc"
