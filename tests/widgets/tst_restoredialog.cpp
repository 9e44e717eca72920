#include "core/archive/archivereader.h"
#include "core/archive/modelcompressor.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/torch/demomodel.h"
#include "core/torch/modelfiles.h"
#include "core/util/syntheticweights.h"
#include "widgets/restoredialog.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <QtTest>

using namespace hc;

namespace {

constexpr int kTimeout = 60000;

void writeModel(const QString &path)
{
    const std::vector<float> a = studentTWeights(128 * 96, 4.0, 0.05, 1);
    const std::vector<float> b = studentTWeights(96, 4.0, 0.02, 2);
    const std::vector<float> c = studentTWeights(10 * 96, 4.0, 0.05, 3);
    const std::int64_t steps[1] = {42};
    SafetensorsWriter w(path.toStdString());
    QVERIFY(w.declareTensor("fc1.weight", "F32", {96, 128}, a.size() * 4).ok());
    QVERIFY(w.declareTensor("fc1.bias", "F32", {96}, b.size() * 4).ok());
    QVERIFY(w.declareTensor("fc2.weight", "F32", {10, 96}, c.size() * 4).ok());
    QVERIFY(w.declareTensor("steps", "I64", {1}, sizeof steps).ok());
    QVERIFY(w.writeTensor(0, a.data(), a.size() * 4).ok());
    QVERIFY(w.writeTensor(1, b.data(), b.size() * 4).ok());
    QVERIFY(w.writeTensor(2, c.data(), c.size() * 4).ok());
    QVERIFY(w.writeTensor(3, steps, sizeof steps).ok());
    QVERIFY(w.commit().ok());
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Closes the next modal message box as soon as it shows and records its text.
struct ModalCloser {
    QString text;
    bool seen = false;
    QTimer timer;
    ModalCloser()
    {
        timer.setInterval(20);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                text = box->text();
                seen = true;
                box->close();
                timer.stop();
            }
        });
        timer.start();
    }
};

// Every restored tensor equals ArchiveReader::restore's, byte for byte.
void checkRestored(const QString &restoredPath, const QString &archivePath)
{
    auto reader = ArchiveReader::open(archivePath.toStdString());
    QVERIFY(reader.ok());
    auto restored = openModel(restoredPath.toStdString());
    QVERIFY2(restored.ok(), restored.ok() ? "" : restored.error().c_str());
    const auto &expected = (*reader)->tensors();
    QCOMPARE((*restored)->tensors().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const long j = (*restored)->indexOf(expected[i].name);
        QVERIFY2(j >= 0, expected[i].name.c_str());
        auto want = (*reader)->restore(i);
        auto got = (*restored)->read(std::size_t(j));
        QVERIFY(want.ok() && got.ok());
        QCOMPARE(got->shape, want->shape);
        QCOMPARE(got->dtype, want->dtype);
        QVERIFY2(got->bytes == want->bytes, expected[i].name.c_str());
    }
}

} // namespace

class TestRestoreDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model, m_archive;

    void load(RestoreDialog &dialog, const QString &archive)
    {
        QSignalSpy loaded(&dialog, &RestoreDialog::archiveLoaded);
        dialog.setArchive(archive);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        QVERIFY(dialog.isArchiveLoaded());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("model.safetensors"));
        writeModel(m_model);
        m_archive = m_dir.filePath(QStringLiteral("model.hca"));
        auto src = SafetensorsSource::open(m_model.toStdString());
        QVERIFY(src.ok());
        CompressionConfig config;
        config.skip = {"bias$"};
        QVERIFY(ModelCompressor(config).compress(**src, m_archive.toStdString()).ok());
    }

    void showsLayersAndMetadata()
    {
        RestoreDialog dialog;
        load(dialog, m_archive);
        QTableWidget *t = dialog.layerTable();
        QCOMPARE(t->rowCount(), 4);
        QCOMPARE(t->item(0, RestoreDialog::ColName)->text(), QStringLiteral("fc1.weight"));
        QCOMPARE(t->item(0, RestoreDialog::ColShape)->text(), QStringLiteral("[96, 128]"));
        QCOMPARE(t->item(0, RestoreDialog::ColDType)->text(), QStringLiteral("F32"));
        QCOMPARE(t->item(0, RestoreDialog::ColStatus)->text(), QStringLiteral("compressed"));
        QCOMPARE(t->item(0, RestoreDialog::ColSamples)->text(), QStringLiteral("225"));
        QCOMPARE(t->item(1, RestoreDialog::ColStatus)->text(), QStringLiteral("raw"));
        QVERIFY(t->item(1, RestoreDialog::ColStatus)->toolTip().contains(QStringLiteral("skip")));
        QCOMPARE(t->item(3, RestoreDialog::ColDType)->text(), QStringLiteral("I64"));
        auto reader = ArchiveReader::open(m_archive.toStdString());
        QVERIFY(reader.ok());
        QCOMPARE(t->item(0, RestoreDialog::ColBits)->text(), QString::number((*reader)->entries()[0].header.bits));
        QVERIFY(dialog.metadataText().contains(QStringLiteral("hypercomp-archive")));
        QVERIFY(dialog.metadataText().contains(QStringLiteral("version <b>1</b>")));
        // The output is suggested next to the archive, in the chosen format.
        QCOMPARE(dialog.outputPath(), m_dir.filePath(QStringLiteral("model.restored.safetensors")));
        dialog.setOutputFormat(RestoreDialog::Output::StateDict);
        QCOMPARE(dialog.outputPath(), m_dir.filePath(QStringLiteral("model.restored.pt")));
        dialog.resize(900, 620);
        QDir().mkpath(QStringLiteral(HC_BINARY_DIR "/screenshots"));
        QVERIFY(dialog.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/restoredialog.png")));
    }

    void restores_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("file");
        QTest::newRow("safetensors") << int(RestoreDialog::Output::Safetensors) << QStringLiteral("r.safetensors");
        QTest::newRow("state dict") << int(RestoreDialog::Output::StateDict) << QStringLiteral("r.pt");
    }

    void restores()
    {
        QFETCH(int, format);
        QFETCH(QString, file);
        QTemporaryDir out;
        RestoreDialog dialog;
        load(dialog, m_archive);
        dialog.setOutputFormat(RestoreDialog::Output(format));
        const QString path = out.filePath(file);
        dialog.setOutputPath(path);
        QSignalSpy restored(&dialog, &RestoreDialog::restored);
        QVERIFY(dialog.restore());
        QVERIFY(dialog.isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kTimeout);
        QCOMPARE(restored.at(0).at(0).toString(), path);
        checkRestored(path, m_archive);
        const auto fmt = openModel(path.toStdString());
        QVERIFY(fmt.ok());
        QCOMPARE(QString::fromStdString((*fmt)->formatName()),
                 format == int(RestoreDialog::Output::Safetensors) ? QStringLiteral("safetensors")
                                                                   : QStringLiteral("PyTorch state dict"));
    }

    void restoresTorchScriptLikeTheOriginal()
    {
        const QString module = QStringLiteral(HC_SOURCE_DIR "/resources/demo/demo_classifier.pt");
        QTemporaryDir out;
        const QString archive = out.filePath(QStringLiteral("demo.hca"));
        auto src = openModel(module.toStdString());
        QVERIFY(src.ok());
        QVERIFY(ModelCompressor(CompressionConfig{}).compress(**src, archive.toStdString()).ok());

        RestoreDialog dialog;
        dialog.setQuiet(true);
        load(dialog, archive);
        dialog.setOutputFormat(RestoreDialog::Output::TorchScript);
        const QString path = out.filePath(QStringLiteral("restored.pt"));
        dialog.setOutputPath(path);
        QSignalSpy failed(&dialog, &RestoreDialog::restoreFailed);
        QVERIFY(!dialog.restore()); // no original module yet
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("original module")));
        dialog.setOriginalModule(module);
        QSignalSpy restored(&dialog, &RestoreDialog::restored);
        QVERIFY(dialog.restore());
        QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kTimeout);
        checkRestored(path, archive);
        // Still a runnable classifier.
        auto acc = DemoModel::accuracy(path.toStdString(), HC_SOURCE_DIR "/resources/demo/demo_testset.safetensors");
        QVERIFY2(acc.ok(), acc.ok() ? "" : acc.error().c_str());
        QVERIFY(*acc > 0.9);
    }

    void corruptArchiveShowsAnErrorAndWritesNothing()
    {
        QTemporaryDir out;
        const QString bad = out.filePath(QStringLiteral("corrupt.hca"));
        QByteArray bytes = fileBytes(m_archive);
        bytes[bytes.size() - 5] = char(bytes[bytes.size() - 5] ^ 0x5a); // inside the last payload
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        RestoreDialog dialog;
        dialog.show();
        QSignalSpy failed(&dialog, &RestoreDialog::archiveFailed);
        ModalCloser closer;
        dialog.setArchive(bad);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(closer.seen, kTimeout);
        QVERIFY2(closer.text.contains(QStringLiteral("corrupt.hca")), qPrintable(closer.text));
        QVERIFY2(closer.text.contains(QStringLiteral("checksum")), qPrintable(closer.text));
        QVERIFY(!dialog.isArchiveLoaded());
        QCOMPARE(dialog.layerTable()->rowCount(), 0);
        // Nothing can be restored from it, and nothing is written.
        dialog.setQuiet(true);
        dialog.setOutputPath(out.filePath(QStringLiteral("x.safetensors")));
        QVERIFY(!dialog.restore());
        QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList{QStringLiteral("corrupt.hca")});
        QCOMPARE(fileBytes(bad), bytes);
    }

    void notAnArchiveAndNewerVersion_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain model") << QStringLiteral("model") << QStringLiteral("model.safetensors");
        QTest::newRow("text file") << QStringLiteral("text") << QStringLiteral("notes.hca");
        QTest::newRow("newer version") << QStringLiteral("newer") << QStringLiteral("newer");
    }

    void notAnArchiveAndNewerVersion()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir out;
        QString path;
        if (kind == QLatin1String("model")) {
            path = m_model;
        } else if (kind == QLatin1String("text")) {
            path = out.filePath(QStringLiteral("notes.hca"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("these are notes, not an archive\n");
        } else {
            // The same archive claiming version 99 (same length, so the header stays valid).
            QByteArray bytes = fileBytes(m_archive);
            const int at = bytes.indexOf("\"version\":\"1\"");
            QVERIFY(at > 0);
            bytes.replace(at, 13, "\"version\":\"9\"");
            path = out.filePath(QStringLiteral("newer.hca"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        RestoreDialog dialog;
        dialog.show();
        QSignalSpy failed(&dialog, &RestoreDialog::archiveFailed);
        ModalCloser closer;
        dialog.setArchive(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(closer.seen, kTimeout);
        QVERIFY2(closer.text.contains(expected), qPrintable(closer.text));
        QCOMPARE(closer.text, failed.at(0).at(0).toString());
        QVERIFY(!dialog.isArchiveLoaded());
    }

    void outputErrorsLeaveNothing()
    {
        QTemporaryDir out;
        RestoreDialog dialog;
        dialog.setQuiet(true);
        load(dialog, m_archive);
        QSignalSpy failed(&dialog, &RestoreDialog::restoreFailed);
        // A folder that does not exist.
        dialog.setOutputPath(out.filePath(QStringLiteral("missing/r.safetensors")));
        QVERIFY(!dialog.restore());
        // A name that does not fit the format.
        dialog.setOutputFormat(RestoreDialog::Output::Safetensors);
        dialog.setOutputPath(out.filePath(QStringLiteral("r.pt")));
        QVERIFY(!dialog.restore());
        // The archive itself.
        dialog.setOutputPath(m_archive);
        QVERIFY(!dialog.restore());
        QCOMPARE(failed.count(), 3);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("does not exist")));
        QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("r.pt")));
        QVERIFY(failed.at(2).at(0).toString().contains(QStringLiteral("overwrite")));
        QVERIFY(QDir(out.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
        QVERIFY(ArchiveReader::open(m_archive.toStdString()).ok());
    }

    void cancelLeavesNothing()
    {
        QTemporaryDir out;
        RestoreDialog dialog;
        load(dialog, m_archive);
        const QString path = out.filePath(QStringLiteral("r.safetensors"));
        dialog.setOutputPath(path);
        QSignalSpy failed(&dialog, &RestoreDialog::restoreFailed);
        QSignalSpy restored(&dialog, &RestoreDialog::restored);
        {
            // Every pool thread held: the write cannot begin before Cancel, however threads are scheduled.
            const int threads = QThreadPool::globalInstance()->maxThreadCount();
            QSemaphore started, release;
            for (int i = 0; i < threads; ++i)
                QThreadPool::globalInstance()->start([&] {
                    started.release();
                    release.acquire();
                });
            started.acquire(threads);
            QVERIFY(dialog.restore());
            QVERIFY(dialog.isBusy());
            dialog.cancelRestore();
            release.release(threads);
        }
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("Restoring was cancelled; no file was written."));
        QCOMPARE(restored.count(), 0);
        QVERIFY(!dialog.isBusy());
        QVERIFY(QDir(out.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
        // It restores after a cancel.
        QVERIFY(dialog.restore());
        QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kTimeout);
        checkRestored(path, m_archive);
    }

    void retranslates()
    {
        RestoreDialog dialog;
        const QString title = dialog.windowTitle();
        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&dialog, &change);
        QCOMPARE(dialog.windowTitle(), title);
        QVERIFY(!title.isEmpty());
    }
};

QTEST_MAIN(TestRestoreDialog)
#include "tst_restoredialog.moc"
