// Inputs the fuzzers (tests/fuzz) found or were seeded with, fed through the normal API: every file
// of the safetensors and archive corpora opens cleanly or fails with one sentence naming the file,
// nothing crashes, and each crash the fuzzers found gives the error it should.
#include "core/archive/archivereader.h"
#include "core/io/safetensorssource.h"

#include <QDir>
#include <QtTest>

using namespace hc;

namespace {

const QString kCorpus = QStringLiteral(HC_SOURCE_DIR "/tests/fuzz/corpus/");

QStringList corpusFiles(const QString &target)
{
    QStringList out;
    const QDir dir(kCorpus + target);
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        out << dir.filePath(name);
    return out;
}

// Copies a corpus file to a temporary folder, so that the check can also prove it is never touched.
QString copyOf(const QTemporaryDir &tmp, const QString &path)
{
    const QString copy = tmp.filePath(QFileInfo(path).fileName());
    QFile::remove(copy);
    if (!QFile::copy(path, copy))
        return {};
    return copy;
}

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void corpusOpensOrFailsCleanly_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("archive");
        for (const QString &p : corpusFiles(QStringLiteral("safetensors")))
            QTest::newRow(qPrintable(QStringLiteral("safetensors/") + QFileInfo(p).fileName())) << p << false;
        for (const QString &p : corpusFiles(QStringLiteral("archive")))
            QTest::newRow(qPrintable(QStringLiteral("archive/") + QFileInfo(p).fileName())) << p << true;
    }

    void corpusOpensOrFailsCleanly()
    {
        QFETCH(QString, path);
        QFETCH(bool, archive);
        QTemporaryDir tmp;
        const QString copy = copyOf(tmp, path);
        QVERIFY(!copy.isEmpty());
        const QByteArray before = contents(copy);
        const std::string p = copy.toStdString();
        if (archive) {
            auto a = ArchiveReader::open(p);
            if (a) {
                for (std::size_t i = 0; i < (*a)->tensors().size(); ++i) {
                    auto r = (*a)->restore(i, 1);
                    if (r)
                        QCOMPARE(std::uint64_t(r->bytes.size()), (*a)->tensors()[i].byteSize);
                    else
                        QVERIFY2(r.error().rfind(p + ": ", 0) == 0, r.error().c_str());
                }
            } else {
                QVERIFY2(a.error().rfind(p + ": ", 0) == 0, a.error().c_str());
            }
        }
        auto src = SafetensorsSource::openFile(p);
        if (src) {
            for (std::size_t i = 0; i < (*src)->tensors().size(); ++i) {
                const TensorInfo &t = (*src)->tensors()[i];
                QVERIFY((*src)->fileOffset(i) + t.byteSize <= (*src)->fileSize());
                QCOMPARE(t.numel() * dtypeSize(t.dtype), t.byteSize);
                auto r = (*src)->read(i);
                QVERIFY(r.ok());
                QCOMPARE(std::uint64_t(r->bytes.size()), t.byteSize);
            }
        } else {
            QVERIFY2(src.error().rfind(p + ": ", 0) == 0, src.error().c_str());
        }
        QCOMPARE(contents(copy), before);
    }

    // fuzz_safetensors: a shape needing more than 2^64 bytes (9007199254740992 x 9007 x 99254740992
    // F16) was reported through an out-of-range float-to-integer conversion (undefined behaviour,
    // UBSan: "outside the range of representable values of type 'unsigned long'").
    void shapeBeyondSixtyFourBits()
    {
        QTemporaryDir tmp;
        const QString copy = copyOf(tmp, kCorpus + QStringLiteral("safetensors/crash-shape-beyond-2p64.safetensors"));
        QVERIFY(!copy.isEmpty());
        auto src = SafetensorsSource::open(copy.toStdString());
        QVERIFY(!src);
        QCOMPARE(QString::fromStdString(src.error()), copy + QStringLiteral(": tensor 'a' has 0 bytes but its shape and dtype need more than 2^64"));
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
