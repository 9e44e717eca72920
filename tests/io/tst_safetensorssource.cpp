#include "core/io/safetensorssource.h"
#include "tests/testsupport/testfiles.h"
#include "core/io/safetensorswriter.h"
#include "core/io/shardedsafetensorssource.h"
#include "core/tensor/halffloat.h"

#include <QtTest>

#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using namespace hc;
using namespace hc::testsupport;

namespace {

QByteArray le64(std::uint64_t n)
{
    QByteArray b(8, 0);
    for (int k = 0; k < 8; ++k, n >>= 8)
        b[k] = char(n & 0xff);
    return b;
}

// A safetensors file from a literal header and `dataBytes` bytes of data (0, 1, 2, ...).
QByteArray makeFile(const QByteArray &header, int dataBytes)
{
    QByteArray f = le64(std::uint64_t(header.size())) + header;
    for (int i = 0; i < dataBytes; ++i)
        f.append(char(i & 0xff));
    return f;
}

std::string s(const QString &q)
{
    return q.toStdString();
}

template <typename T>
std::vector<std::uint8_t> asBytes(const std::vector<T> &v)
{
    std::vector<std::uint8_t> b(v.size() * sizeof(T));
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}

} // namespace

class TestSafetensorsSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsEveryDtype()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("all.safetensors"));
        std::vector<std::pair<std::string, std::vector<std::uint8_t>>> data;
        data.push_back({"F32", asBytes(std::vector<float>{1.5f, -2.25f, 3e-8f, 1e30f, 0.f, -0.f})});
        data.push_back({"F64", asBytes(std::vector<double>{0.1, -1e300, 3.141592653589793, 2.0, 5.0, 6.0})});
        std::vector<std::uint16_t> halfs, bfs;
        for (float f : {0.5f, -1.0f, 65504.f, 6.1e-5f, 3.0f, -7.5f}) {
            halfs.push_back(floatToHalf(f));
            bfs.push_back(floatToBf16(f));
        }
        data.push_back({"F16", asBytes(halfs)});
        data.push_back({"BF16", asBytes(bfs)});
        data.push_back({"I64", asBytes(std::vector<std::int64_t>{-1, 2, 3, 4, 5, 1ll << 40})});
        data.push_back({"I32", asBytes(std::vector<std::int32_t>{-1, 2, 3, 4, 5, 6})});
        data.push_back({"I16", asBytes(std::vector<std::int16_t>{-1, 2, 3, 4, 5, 6})});
        data.push_back({"I8", {0xff, 1, 2, 3, 4, 5}});
        data.push_back({"U8", {0, 1, 2, 3, 4, 255}});
        data.push_back({"U16", asBytes(std::vector<std::uint16_t>{1, 2, 3, 4, 5, 65535})});
        data.push_back({"U32", asBytes(std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6})});
        data.push_back({"U64", asBytes(std::vector<std::uint64_t>{1, 2, 3, 4, 5, ~0ull})});
        data.push_back({"BOOL", {0, 1, 1, 0, 1, 0}});
        data.push_back({"F8_E4M3", {0x38, 0x40, 0xb8, 0, 1, 2}});
        data.push_back({"F8_E5M2", {0x3c, 0x40, 0xbc, 0, 1, 2}});
        {
            SafetensorsWriter w(s(path));
            w.setMetadata({{"producer", "tst"}, {"quote\"d", "line\nbreak"}});
            for (const auto &[dt, bytes] : data)
                QVERIFY(w.declareTensor("t." + dt, dt, {2, 3}, bytes.size()));
            for (std::size_t i = 0; i < data.size(); ++i)
                QVERIFY(w.writeTensor(i, data[i].second.data(), data[i].second.size()));
            QVERIFY(w.commit());
        }
        auto r = SafetensorsSource::openFile(s(path));
        QVERIFY2(r.ok(), r.error().c_str());
        const SafetensorsSource &src = **r;
        QCOMPARE(src.formatName(), std::string("safetensors"));
        QCOMPARE(src.tensors().size(), data.size());
        QCOMPARE(src.metadata().at("producer"), std::string("tst"));
        QCOMPARE(src.metadata().at("quote\"d"), std::string("line\nbreak"));
        for (std::size_t i = 0; i < data.size(); ++i) {
            const TensorInfo &t = src.tensors()[i];
            QCOMPARE(t.name, "t." + data[i].first); // file order = declared order
            QCOMPARE(t.dtypeName, data[i].first);
            QCOMPARE(t.dtype, dtypeFromName(data[i].first));
            QCOMPARE(t.shape, (std::vector<std::int64_t>{2, 3}));
            QCOMPARE(t.byteSize, std::uint64_t(data[i].second.size()));
            auto d = src.read(i);
            QVERIFY(d.ok());
            QCOMPARE(d->bytes, data[i].second);
            const TensorView v = src.view(i);
            QCOMPARE(v.numel, std::size_t(6));
            QCOMPARE(std::memcmp(v.data, data[i].second.data(), data[i].second.size()), 0);
            // Zero-copy: the view points into the mapping.
            QCOMPARE(static_cast<const std::uint8_t *>(v.data), src.fileData() + src.fileOffset(i));
        }
        QCOMPARE((8 + src.headerLength()) % 8, std::uint64_t(0));
        // Float values come back through the view.
        QCOMPARE(src.view(0).at(1), -2.25);
        QCOMPARE(src.view(1).at(2), 3.141592653589793);
        QCOMPARE(src.view(2).at(2), 65504.0);
        QCOMPARE(src.view(3).at(4), 3.0);
        QCOMPARE(src.indexOf("t.BF16"), 3L);
        // Released pages come back from the file when touched again.
        for (std::size_t i = 0; i < data.size(); ++i)
            src.release(i);
        QCOMPARE(src.view(0).at(1), -2.25);
        QCOMPARE(src.read(14)->bytes, data[14].second);
        QVERIFY(SafetensorsSource::isSafetensorsFile(s(path)));
    }

    void listsTensorsInFileOrderAndAcceptsForeignHeaders()
    {
        // Written by hand like Python's safetensors: keys sorted, no padding, scalar and empty tensors.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("py.safetensors"));
        const QByteArray header =
            R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[],"data_offsets":[8,12]},)"
            R"("e":{"dtype":"F16","shape":[0,4],"data_offsets":[12,12]},"__metadata__":{"format":"pt"}}  )";
        writeBytes(path, makeFile(header, 12));
        auto r = SafetensorsSource::openFile(s(path));
        QVERIFY2(r.ok(), r.error().c_str());
        const auto &t = (*r)->tensors();
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t[0].name, std::string("b"));
        QCOMPARE(t[1].name, std::string("a"));
        QCOMPARE(t[1].numel(), std::uint64_t(1));
        QCOMPARE(t[2].name, std::string("e"));
        QCOMPARE(t[2].byteSize, std::uint64_t(0));
        QCOMPARE((*r)->read(2)->bytes.size(), std::size_t(0));
        QCOMPARE((*r)->metadata().at("format"), std::string("pt"));
    }

    void rejectsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const QByteArray ok = R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
        QTest::newRow("shorter than 8 bytes") << QByteArray("\x05\x00\x00", 3) << QStringLiteral("too short");
        QTest::newRow("empty file") << QByteArray() << QStringLiteral("too short");
        QTest::newRow("header length beyond the file")
            << (le64(4096) + QByteArray("{}")) << QStringLiteral("header length 4096 is larger than the file (10 bytes)");
        QTest::newRow("huge header length") << (le64(~0ull) + QByteArray("{}")) << QStringLiteral("is larger than the file");
        QTest::newRow("malformed JSON") << makeFile("{\"w\": {\"dtype\": ", 0) << QStringLiteral("not valid JSON");
        QTest::newRow("header not an object") << makeFile("[1, 2, 3]", 0) << QStringLiteral("not a JSON object");
        QTest::newRow("tensor not an object") << makeFile(R"({"w": 5})", 0)
                                              << QStringLiteral("tensor 'w' is not described by a JSON object");
        QTest::newRow("unknown dtype") << makeFile(R"({"w":{"dtype":"F12","shape":[2],"data_offsets":[0,8]}})", 8)
                                       << QStringLiteral("tensor 'w' has the unknown dtype 'F12'");
        QTest::newRow("missing dtype") << makeFile(R"({"w":{"shape":[2],"data_offsets":[0,8]}})", 8)
                                       << QStringLiteral("tensor 'w' has no dtype");
        QTest::newRow("offsets out of bounds") << makeFile("{" + ok + "}", 4) << QStringLiteral("tensor 'w' lies outside the file");
        QTest::newRow("negative offset") << makeFile(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", 8)
                                         << QStringLiteral("no valid data_offsets");
        QTest::newRow("offsets reversed") << makeFile(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}})", 8)
                                          << QStringLiteral("ends before it begins");
        QTest::newRow("overlapping offsets")
            << makeFile("{" + ok + R"(,"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12)
            << QStringLiteral("tensors 'w' and 'v' overlap");
        QTest::newRow("shape and bytes disagree")
            << makeFile(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8)
            << QStringLiteral("tensor 'w' has 8 bytes but its shape and dtype need 12");
        QTest::newRow("negative dimension")
            << makeFile(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8)
            << QStringLiteral("tensor 'w' has a negative dimension");
        QTest::newRow("fractional dimension")
            << makeFile(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}})", 8)
            << QStringLiteral("not a whole number");
        QTest::newRow("metadata not strings") << makeFile(R"({"__metadata__":{"n":3}})", 0)
                                              << QStringLiteral("metadata value 'n' is not a string");
    }

    void rejectsBadFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
        writeBytes(path, bytes);
        auto r = SafetensorsSource::open(s(path));
        QVERIFY(!r.ok());
        const QString err = QString::fromStdString(r.error());
        QVERIFY2(err.startsWith(path + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(err.contains(problem), qPrintable(err));
        QVERIFY2(!err.contains(QLatin1Char('\n')), "one sentence");
        QCOMPARE(readBytes(path), bytes); // the input is never touched
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void rejectsMissingFileAndFolder()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("nope.safetensors"));
        auto r = SafetensorsSource::open(s(missing));
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error()), missing + QStringLiteral(": the file does not exist"));
        auto d = SafetensorsSource::open(s(dir.path()));
        QVERIFY(!d.ok());
        QCOMPARE(QString::fromStdString(d.error()), dir.path() + QStringLiteral(": is a folder, not a file"));
        QVERIFY(!SafetensorsSource::isSafetensorsFile(s(missing)));
        QVERIFY(!SafetensorsSource::isSafetensorsFile(s(dir.path())));
    }

    void contentCheck()
    {
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("x.bin"));
        writeBytes(good, makeFile("{}", 0));
        QVERIFY(SafetensorsSource::isSafetensorsFile(s(good)));
        const QString zip = dir.filePath(QStringLiteral("y.safetensors"));
        writeBytes(zip, QByteArray("PK\x03\x04 this is a zip file, not safetensors"));
        QVERIFY(!SafetensorsSource::isSafetensorsFile(s(zip)));
        const QString array = dir.filePath(QStringLiteral("z.safetensors"));
        writeBytes(array, makeFile("[]", 0));
        QVERIFY(!SafetensorsSource::isSafetensorsFile(s(array)));
    }

    // A 4 GB model (sparse on disk) opens in milliseconds: only its header is read.
    void opensHugeFileLazily()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.safetensors"));
        const std::uint64_t n = std::uint64_t(1) << 30; // 2^30 floats = 4 GiB
        QByteArray header = "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + QByteArray::number(qulonglong(n)) +
                            "],\"data_offsets\":[0," + QByteArray::number(qulonglong(4 * n)) + "]}}";
        while (header.size() % 8)
            header.append(' ');
        writeBytes(path, le64(std::uint64_t(header.size())) + header);
        const int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY);
        QVERIFY(fd >= 0);
        const int rc = ::ftruncate(fd, off_t(8 + header.size() + 4 * n));
        ::close(fd);
        if (rc != 0)
            QSKIP("this file system cannot hold a sparse 4 GB file");
        const auto t0 = std::chrono::steady_clock::now();
        auto r = SafetensorsSource::open(s(path));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY2(seconds < 0.5, qPrintable(QString::number(seconds)));
        QCOMPARE((*r)->tensors()[0].byteSize, 4 * n);
        const TensorView v = (*r)->view(0);
        QCOMPARE(v.numel, std::size_t(n));
        QCOMPARE(v.at(n - 1), 0.0); // the last page is reachable through the mapping
    }

    void shardedModel()
    {
        QTemporaryDir dir;
        const std::vector<float> a{1, 2, 3, 4}, b{5, 6}, c{7, 8, 9};
        auto write = [&](const QString &name, const std::vector<std::pair<std::string, std::vector<float>>> &ts) {
            SafetensorsWriter w(s(dir.filePath(name)));
            for (const auto &[n, v] : ts)
                QVERIFY(w.declareTensor(n, "F32", {std::int64_t(v.size())}, v.size() * 4));
            for (std::size_t i = 0; i < ts.size(); ++i)
                QVERIFY(w.writeTensor(i, ts[i].second.data(), ts[i].second.size() * 4));
            QVERIFY(w.commit());
        };
        write(QStringLiteral("model-00001-of-00002.safetensors"), {{"layer.0.w", a}, {"layer.0.b", b}});
        write(QStringLiteral("model-00002-of-00002.safetensors"), {{"layer.1.w", c}});
        const QString index = dir.filePath(QStringLiteral("model.safetensors.index.json"));
        writeBytes(index, R"({"metadata":{"total_size":36},"weight_map":{"layer.1.w":"model-00002-of-00002.safetensors",)"
                          R"("layer.0.w":"model-00001-of-00002.safetensors","layer.0.b":"model-00001-of-00002.safetensors"}})");
        QVERIFY(ShardedSafetensorsSource::isIndexFile(s(index)));
        auto r = ShardedSafetensorsSource::open(s(index));
        QVERIFY2(r.ok(), r.error().c_str());
        const ModelSource &m = **r;
        QCOMPARE(m.tensors().size(), std::size_t(3));
        QCOMPARE(m.tensors()[0].name, std::string("layer.0.w"));
        QCOMPARE(m.tensors()[1].name, std::string("layer.0.b"));
        QCOMPARE(m.tensors()[2].name, std::string("layer.1.w"));
        QCOMPARE(m.view(2).at(2), 9.0);
        QCOMPARE(m.read(1)->bytes.size(), std::size_t(8));
        QCOMPARE(m.view(1).at(1), 6.0);
        QCOMPARE(static_cast<const ShardedSafetensorsSource &>(m).metadata().at("total_size"), std::string("36"));

        // A tensor the index assigns to a shard that lacks it.
        writeBytes(index, R"({"weight_map":{"layer.9.w":"model-00002-of-00002.safetensors"}})");
        auto bad = ShardedSafetensorsSource::open(s(index));
        QVERIFY(!bad.ok());
        QVERIFY2(QString::fromStdString(bad.error()).contains(QStringLiteral("tensor 'layer.9.w' is assigned to shard")),
                 bad.error().c_str());
        // A missing shard.
        writeBytes(index, R"({"weight_map":{"x":"model-00003-of-00003.safetensors"}})");
        bad = ShardedSafetensorsSource::open(s(index));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().find("model-00003-of-00003.safetensors: the file does not exist") != std::string::npos,
                 bad.error().c_str());
        QVERIFY(bad.error().rfind(s(index), 0) == 0);
        // Not JSON, no weight map.
        writeBytes(index, "{nope");
        bad = ShardedSafetensorsSource::open(s(index));
        QVERIFY(!bad.ok() && bad.error().find("not valid JSON") != std::string::npos);
        writeBytes(index, "{}");
        bad = ShardedSafetensorsSource::open(s(index));
        QVERIFY(!bad.ok() && bad.error().find("no \"weight_map\"") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsSource)
#include "tst_safetensorssource.moc"
