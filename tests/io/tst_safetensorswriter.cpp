#include "core/io/safetensorssource.h"
#include "tests/testsupport/testfiles.h"
#include "core/io/safetensorswriter.h"

#include <QtTest>

#include <cstring>

using namespace hc;
using namespace hc::testsupport;

namespace {

std::string s(const QString &q)
{
    return q.toStdString();
}

QStringList filesIn(const QTemporaryDir &dir)
{
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

std::vector<float> ramp(std::size_t n, float start)
{
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = start + float(i) * 0.5f;
    return v;
}

// Writes two F32 tensors (one in chunks) and commits.
Status writeModel(const QString &path)
{
    const auto a = ramp(1000, 1), b = ramp(7, -3);
    SafetensorsWriter w(s(path));
    w.setMetadata({{"b", "2"}, {"a", "1"}});
    if (Status st = w.declareTensor("layer.weight", "F32", {10, 100}, 4000); !st)
        return st;
    if (Status st = w.declareTensor("layer.bias", "F32", {7}, 28); !st)
        return st;
    if (Status st = w.writeTensor(0, a.data(), 1200); !st)
        return st;
    if (Status st = w.writeTensor(0, reinterpret_cast<const char *>(a.data()) + 1200, 2800); !st)
        return st;
    if (Status st = w.writeTensor(1, b.data(), 28); !st)
        return st;
    return w.commit();
}

} // namespace

class TestSafetensorsWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripInChunks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.safetensors"));
        const Status st = writeModel(path);
        QVERIFY2(st.ok(), st.error().c_str());
        QCOMPARE(filesIn(dir), QStringList{QStringLiteral("m.safetensors")}); // no temporary left
        auto r = SafetensorsSource::openFile(s(path));
        QVERIFY2(r.ok(), r.error().c_str());
        const auto &src = **r;
        QCOMPARE(src.tensors()[0].name, std::string("layer.weight")); // declared order
        QCOMPARE(src.tensors()[1].name, std::string("layer.bias"));
        QCOMPARE(src.view(0).at(999), 1 + 999 * 0.5);
        QCOMPARE(src.view(1).at(6), -3 + 6 * 0.5);
        QCOMPARE(src.metadata().at("a"), std::string("1"));
        // The header is padded with spaces to a multiple of 8, so the data is aligned.
        QCOMPARE(src.headerLength() % 8, std::uint64_t(0));
        const QByteArray bytes = readBytes(path);
        QCOMPARE(std::uint64_t(bytes.size()), 8 + src.headerLength() + 4000 + 28);
        const QByteArray header = bytes.mid(8, qsizetype(src.headerLength()));
        QVERIFY(header.startsWith("{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\"},\"layer.weight\":"));
        QVERIFY(header.trimmed().endsWith('}'));
    }

    void sameCallsSameBytes()
    {
        QTemporaryDir dir;
        QVERIFY(writeModel(dir.filePath(QStringLiteral("1.safetensors"))));
        QVERIFY(writeModel(dir.filePath(QStringLiteral("2.safetensors"))));
        QCOMPARE(readBytes(dir.filePath(QStringLiteral("1.safetensors"))),
                 readBytes(dir.filePath(QStringLiteral("2.safetensors"))));
    }

    void nothingWithoutCommit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.safetensors"));
        {
            SafetensorsWriter w(s(path));
            QVERIFY(w.declareTensor("x", "F32", {4}, 16));
            QVERIFY(w.begin());
            const float v[4] = {1, 2, 3, 4};
            QVERIFY(w.writeTensor(0, v, 16));
            QVERIFY(!QFile::exists(path)); // only a temporary so far
        }
        QCOMPARE(filesIn(dir), QStringList{});
        {
            SafetensorsWriter w(s(path));
            QVERIFY(w.declareTensor("x", "F32", {4}, 16));
            QVERIFY(w.begin());
            w.cancel();
            QVERIFY(!w.commit());
        }
        QCOMPARE(filesIn(dir), QStringList{});
    }

    // A failed write never harms an existing file of the same name.
    void failureKeepsExistingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.safetensors"));
        QVERIFY(writeModel(path));
        const QByteArray before = readBytes(path);
        SafetensorsWriter w(s(path));
        QVERIFY(w.declareTensor("x", "F32", {4}, 16));
        const float v[2] = {1, 2};
        QVERIFY(w.writeTensor(0, v, 8));
        const Status st = w.commit(); // incomplete
        QVERIFY(!st.ok());
        QCOMPARE(QString::fromStdString(st.error()), path + QStringLiteral(": tensor 'x' got only 8 of its 16 bytes"));
        QCOMPARE(readBytes(path), before);
        QCOMPARE(filesIn(dir), QStringList{QStringLiteral("m.safetensors")});
    }

    void rejectsMisuse_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("problem");
        QTest::newRow("duplicate name") << 0 << QStringLiteral("tensor 'x' is declared twice");
        QTest::newRow("unknown dtype") << 1 << QStringLiteral("tensor 'y' has the unknown dtype 'F7'");
        QTest::newRow("bytes disagree with shape") << 2 << QStringLiteral("tensor 'y' is declared with 10 bytes but its shape and dtype need 12");
        QTest::newRow("negative dimension") << 3 << QStringLiteral("tensor 'y' has a negative dimension (-3)");
        QTest::newRow("out of order") << 4 << QStringLiteral("tensor 'y' is written out of order");
        QTest::newRow("too many bytes") << 5 << QStringLiteral("tensor 'x' is given more bytes than its declared 16");
        QTest::newRow("reserved name") << 6 << QStringLiteral("'__metadata__' cannot be used as a tensor name");
        QTest::newRow("declared after begin") << 7 << QStringLiteral("tensor 'y' is declared after writing has begun");
    }

    void rejectsMisuse()
    {
        QFETCH(int, kind);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.safetensors"));
        const float v[8] = {};
        Status st;
        {
            SafetensorsWriter w(s(path));
            QVERIFY(w.declareTensor("x", "F32", {4}, 16));
            switch (kind) {
            case 0: st = w.declareTensor("x", "F32", {4}, 16); break;
            case 1: st = w.declareTensor("y", "F7", {4}, 16); break;
            case 2: st = w.declareTensor("y", "F32", {3}, 10); break;
            case 3: st = w.declareTensor("y", "F32", {-3}, 0); break;
            case 4:
                QVERIFY(w.declareTensor("y", "F32", {2}, 8));
                st = w.writeTensor(1, v, 8);
                break;
            case 5: st = w.writeTensor(0, v, 20); break;
            case 6: st = w.declareTensor("__metadata__", "F32", {4}, 16); break;
            case 7:
                QVERIFY(w.begin());
                st = w.declareTensor("y", "F32", {2}, 8);
                break;
            }
            QVERIFY(!st.ok());
            if (kind >= 4 && kind != 6 && kind != 7)
                QVERIFY(!w.commit().ok()); // a failed writer stays failed
        }
        const QString err = QString::fromStdString(st.error());
        QVERIFY2(err.startsWith(path + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(err.contains(problem), qPrintable(err));
        QCOMPARE(filesIn(dir), QStringList{});
    }

    void rejectsUnwritableFolders_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("problem");
        QTest::newRow("missing folder") << QStringLiteral("no/such/folder/m.safetensors") << QStringLiteral("does not exist");
        // Not even root may create files in /proc.
        QTest::newRow("read-only folder") << QStringLiteral("/proc/hc-test.safetensors") << QStringLiteral("cannot be written");
        QTest::newRow("a folder as output") << QStringLiteral(".") << QStringLiteral("it is a folder");
    }

    void rejectsUnwritableFolders()
    {
        QFETCH(QString, path);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString full = path.startsWith(QLatin1Char('/')) ? path : dir.filePath(path);
        SafetensorsWriter w(s(full));
        QVERIFY(w.declareTensor("x", "U8", {1}, 1));
        const std::uint8_t b = 7;
        const Status st = w.writeTensor(0, &b, 1);
        QVERIFY(!st.ok());
        const QString err = QString::fromStdString(st.error());
        QVERIFY2(err.startsWith(full + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(err.contains(problem), qPrintable(err));
        QVERIFY(!w.commit().ok());
        QCOMPARE(filesIn(dir), QStringList{});
    }

    void emptyModelAndZeroSizedTensors()
    {
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("e.safetensors"));
        {
            SafetensorsWriter w(s(empty));
            QVERIFY(w.commit());
        }
        auto r = SafetensorsSource::open(s(empty));
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE((*r)->tensors().size(), std::size_t(0));

        const QString zero = dir.filePath(QStringLiteral("z.safetensors"));
        {
            SafetensorsWriter w(s(zero));
            QVERIFY(w.declareTensor("a", "F32", {0, 3}, 0));
            QVERIFY(w.declareTensor("b", "U8", {2}, 2));
            QVERIFY(w.declareTensor("c", "F16", {0}, 0));
            const std::uint8_t two[2] = {9, 8};
            QVERIFY(w.writeTensor(1, two, 2)); // skips the empty tensor before it
            QVERIFY(w.commit());
        }
        r = SafetensorsSource::open(s(zero));
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE((*r)->tensors().size(), std::size_t(3));
        QCOMPARE((*r)->read(1)->bytes, (std::vector<std::uint8_t>{9, 8}));
    }

    void jsonQuoting()
    {
        QCOMPARE(SafetensorsWriter::jsonQuote("a\"b\\c\n\x01"), std::string("\"a\\\"b\\\\c\\n\\u0001\""));
        QCOMPARE(SafetensorsWriter::jsonQuote("\xc3\xa9"), std::string("\"\xc3\xa9\""));
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsWriter)
#include "tst_safetensorswriter.moc"
