// Inputs the fuzzers (tests/fuzz) found or were seeded with, fed through the state-dict loader:
// every file of the state-dict corpus (zip and legacy) opens cleanly or fails with one sentence
// naming the file, and each problem the fuzzers found gives a clean error.
#include "core/torch/modelfiles.h"
#include "core/torch/torchmodelsource.h"
#include "core/torch/torchpickle.h"

#include <QDir>
#include <QtTest>

using namespace hc;

namespace {

const QString kCorpus = QStringLiteral(HC_SOURCE_DIR "/tests/fuzz/corpus/");

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A byte string literal, embedded NULs included.
template <std::size_t N>
QByteArray raw(const char (&s)[N])
{
    return QByteArray(s, qsizetype(N - 1));
}

// A legacy torch.save file (magic number, protocol, system info) whose object is `pickle`.
QByteArray legacyFile(const QByteArray &pickle)
{
    const QByteArray magic = raw("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e");
    const QByteArray protocol = raw("\x80\x02M\xe9\x03.");
    const QByteArray sysInfo = raw("\x80\x02}q\x00(X\x0d\x00\x00\x00little_endianq\x01\x88u.");
    return magic + protocol + sysInfo + pickle + raw("\x80\x02].");
}

} // namespace

class TestTorchFuzzRegressions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void corpusOpensOrFailsCleanly_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &sub : {QStringLiteral("statedict"), QStringLiteral("torchpickle")}) {
            const QDir dir(kCorpus + sub);
            for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
                QTest::newRow(qPrintable(sub + QLatin1Char('/') + name)) << dir.filePath(name);
        }
    }

    void corpusOpensOrFailsCleanly()
    {
        QFETCH(QString, path);
        QTemporaryDir tmp;
        const QString copy = tmp.filePath(QFileInfo(path).fileName());
        QVERIFY(QFile::copy(path, copy));
        const QByteArray before = contents(copy);
        const std::string p = copy.toStdString();
        auto src = TorchModelSource::openStateDict(p);
        if (src) {
            for (std::size_t i = 0; i < (*src)->tensors().size(); ++i) {
                auto r = (*src)->read(i);
                QVERIFY2(r.ok(), r.error().c_str());
                QCOMPARE(std::uint64_t(r->bytes.size()), (*src)->tensors()[i].byteSize);
            }
        } else {
            QVERIFY2(src.error().rfind(p + ": ", 0) == 0, src.error().c_str());
        }
        QCOMPARE(contents(copy), before);
    }

    // A list nested a million deep (2 MB: ']' a million times, then 'a' to append each into the one
    // below). Freeing it recursively overflowed the stack: the loader crashed (SIGSEGV) instead of
    // saying the file holds no dict. tests/fuzz/corpus/torchpickle/deep-lists.pkl is the small form.
    void deeplyNestedListIsAnError()
    {
        constexpr int depth = 1000000;
        QByteArray pickle("\x80\x02", 2);
        pickle += QByteArray(depth, ']') + QByteArray(depth - 1, 'a') + QByteArray(".");
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("deep.pt"));
        QVERIFY(write(path, legacyFile(pickle)));
        auto src = openModel(path.toStdString());
        QVERIFY(!src);
        QCOMPARE(QString::fromStdString(src.error()), path + QStringLiteral(": cannot be read as a PyTorch state dict: it holds a list, not a dict of tensors"));
    }

    // A list appended to itself (DUP then APPEND; a memo entry does the same) and a dict holding
    // itself: shared pointers never freed such cycles, so every such file leaked (LeakSanitizer,
    // fuzz_torchpickle). Now they are freed with the reader; here they must still fail cleanly.
    void selfReferenceIsAnError_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("problem");
        QTest::newRow("list in itself") << raw("\x80\x02]2a.") << QStringLiteral("it holds a list, not a dict of tensors");
        QTest::newRow("dict in itself") << raw("\x80\x02}q\x00X\x01\x00\x00\x00" "ah\x00s.")
                                        << QStringLiteral("it holds a dict without any tensors");
    }

    void selfReferenceIsAnError()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, problem);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("cycle.pt"));
        QVERIFY(write(path, legacyFile(pickle)));
        auto src = openModel(path.toStdString());
        QVERIFY(!src);
        QCOMPARE(QString::fromStdString(src.error()), path + QStringLiteral(": cannot be read as a PyTorch state dict: ") + problem);
    }

    // A legacy storage view at offset 2^63 - 1 and a tensor at offset 1 in it: their sum overflowed
    // a signed 64-bit integer (undefined behaviour; UBSan in fuzz_torchpickle). The input is
    // tests/fuzz/corpus/torchpickle/crash-offset-overflow.pkl.
    void storageOffsetOverflowIsAnError()
    {
        const QByteArray pickle = contents(kCorpus + QStringLiteral("torchpickle/crash-offset-overflow.pkl"));
        QVERIFY(!pickle.isEmpty());
        QTemporaryDir tmp;
        for (const bool legacy : {true, false}) {
            const QString path = tmp.filePath(legacy ? QStringLiteral("legacy.pt") : QStringLiteral("data.pkl"));
            QVERIFY(write(path, legacy ? legacyFile(pickle) : pickle));
            if (!legacy) {
                // The same pickle as the data.pkl of a zip file goes through TorchPickle directly.
                auto parsed = TorchPickle::parseZipPickle(pickle.constData(), std::size_t(pickle.size()));
                QVERIFY(!parsed);
                QVERIFY2(parsed.error().rfind("a tensor in the pickle has a storage offset beyond 64 bits (at byte ", 0) == 0,
                         parsed.error().c_str());
                continue;
            }
            auto src = openModel(path.toStdString());
            QVERIFY(!src);
            const std::string expected = path.toStdString()
                                         + ": cannot be read as a PyTorch state dict: a tensor in the pickle has a storage offset beyond 64 bits";
            QVERIFY2(src.error().rfind(expected, 0) == 0, src.error().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestTorchFuzzRegressions)
#include "tst_fuzzregressions.moc"
