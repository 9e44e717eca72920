#include "core/archive/archivereader.h"
#include "core/archive/modelcompressor.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/torch/modelfiles.h"
#include "core/util/syntheticweights.h"
#include "widgets/archiverestorejob.h"

#include <QDir>
#include <QFileInfo>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace hc;

namespace {

constexpr int kTimeout = 60000;
constexpr int kLayers = 48;

// Enough compressed layers that a write takes far longer than asking it to stop.
void writeModel(const QString &path)
{
    SafetensorsWriter w(path.toStdString());
    std::vector<std::vector<float>> layers;
    for (int i = 0; i < kLayers; ++i) {
        layers.push_back(studentTWeights(64 * 96, 4.0, 0.05, std::uint64_t(i + 1)));
        QVERIFY(
            w.declareTensor("layer" + std::to_string(i) + ".weight", "F32", {64, 96}, layers.back().size() * 4).ok());
    }
    for (int i = 0; i < kLayers; ++i)
        QVERIFY(w.writeTensor(std::size_t(i), layers[std::size_t(i)].data(), layers[std::size_t(i)].size() * 4).ok());
    QVERIFY(w.commit().ok());
}

// Every written tensor equals ArchiveReader::restore's, byte for byte.
void checkRestored(const QString &restoredPath, const ArchiveReader &reader)
{
    auto restored = openModel(restoredPath.toStdString());
    QVERIFY2(restored.ok(), restored.ok() ? "" : restored.error().c_str());
    QCOMPARE((*restored)->tensors().size(), reader.tensors().size());
    for (std::size_t i = 0; i < reader.tensors().size(); ++i) {
        const long j = (*restored)->indexOf(reader.tensors()[i].name);
        QVERIFY(j >= 0);
        auto want = reader.restore(i);
        auto got = (*restored)->read(std::size_t(j));
        QVERIFY(want.ok() && got.ok());
        QCOMPARE(got->shape, want->shape);
        QVERIFY(got->bytes == want->bytes);
    }
}

struct CancelAtOnce : ProgressSink {
    bool cancelRequested() const override { return true; }
};

// Holds every thread of the global pool, so that a job started meanwhile cannot begin before the
// test has asked it to stop, however the machine schedules the threads.
class PoolBlocker {
public:
    PoolBlocker() : m_count(QThreadPool::globalInstance()->maxThreadCount())
    {
        for (int i = 0; i < m_count; ++i)
            QThreadPool::globalInstance()->start([this] {
                m_started.release();
                m_release.acquire();
            });
        m_started.acquire(m_count);
    }
    ~PoolBlocker() { unblock(); }
    void unblock()
    {
        if (!m_released.exchange(true))
            m_release.release(m_count);
    }

private:
    int m_count;
    QSemaphore m_started, m_release;
    std::atomic<bool> m_released{false};
};

} // namespace

class TestArchiveRestoreJob : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_archive;
    std::shared_ptr<const ArchiveReader> m_reader;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString model = m_dir.filePath(QStringLiteral("model.safetensors"));
        writeModel(model);
        m_archive = m_dir.filePath(QStringLiteral("model.hca"));
        auto src = SafetensorsSource::open(model.toStdString());
        QVERIFY(src.ok());
        QVERIFY(ModelCompressor(CompressionConfig()).compress(**src, m_archive.toStdString()).ok());
        auto reader = ArchiveReader::open(m_archive.toStdString());
        QVERIFY(reader.ok());
        m_reader = std::shared_ptr<const ArchiveReader>(std::move(reader).value());
    }

    void writesSynchronously()
    {
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("r.safetensors"));
        QVERIFY(ArchiveRestoreJob::write(*m_reader, path.toStdString(), ModelFormat::Safetensors).ok());
        checkRestored(path, *m_reader);

        // A cancel leaves nothing behind; the error names the file.
        const QString cancelled = out.filePath(QStringLiteral("c.safetensors"));
        CancelAtOnce sink;
        const Status s =
            ArchiveRestoreJob::write(*m_reader, cancelled.toStdString(), ModelFormat::Safetensors, {}, &sink);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error()).contains(cancelled));
        QVERIFY(!QFileInfo::exists(cancelled));
        QCOMPARE(QDir(out.path()).entryList(QDir::Files), QStringList{QStringLiteral("r.safetensors")});
    }

    void writesInTheBackground_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("file");
        QTest::newRow("safetensors") << int(ModelFormat::Safetensors) << QStringLiteral("r.safetensors");
        QTest::newRow("state dict") << int(ModelFormat::StateDict) << QStringLiteral("r.pt");
    }

    void writesInTheBackground()
    {
        QFETCH(int, format);
        QFETCH(QString, file);
        QTemporaryDir out;
        const QString path = out.filePath(file);
        ArchiveRestoreJob job;
        QSignalSpy progress(&job, &ArchiveRestoreJob::progressChanged);
        QSignalSpy finished(&job, &ArchiveRestoreJob::finished);
        QVERIFY(job.start(m_reader, path, ModelFormat(format)));
        QVERIFY(job.isRunning());
        QCOMPARE(job.path(), path);
        // One run at a time.
        QVERIFY(!job.start(m_reader, out.filePath(QStringLiteral("other.safetensors")), ModelFormat::Safetensors));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QVERIFY(!job.isRunning());
        const auto outcome = finished.at(0).at(0).value<ArchiveRestoreJob::Outcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY(!outcome.cancelled);
        QVERIFY(outcome.error.isEmpty());
        QCOMPARE(outcome.path, path);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toInt(), 1000);
        for (int i = 1; i < progress.count(); ++i)
            QVERIFY(progress.at(i).at(0).toInt() >= progress.at(i - 1).at(0).toInt());
        checkRestored(path, *m_reader);
        QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("other.safetensors"))));
    }

    void cancelLeavesNothing()
    {
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("r.safetensors"));
        ArchiveRestoreJob job;
        QSignalSpy finished(&job, &ArchiveRestoreJob::finished);
        {
            PoolBlocker blocker;
            QVERIFY(job.start(m_reader, path, ModelFormat::Safetensors));
            QVERIFY(job.isRunning());
            job.cancel();
        }
        job.waitForFinished();
        QVERIFY(!job.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        const auto outcome = finished.at(0).at(0).value<ArchiveRestoreJob::Outcome>();
        QVERIFY(!outcome.ok);
        QVERIFY(outcome.cancelled);
        QVERIFY(outcome.error.isEmpty());
        QVERIFY(QDir(out.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        // The job runs again after a cancel.
        QVERIFY(job.start(m_reader, path, ModelFormat::Safetensors));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kTimeout);
        QVERIFY(finished.at(1).at(0).value<ArchiveRestoreJob::Outcome>().ok);
        checkRestored(path, *m_reader);
    }

    void failureNamesTheFile()
    {
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("missing/r.safetensors"));
        ArchiveRestoreJob job;
        QSignalSpy finished(&job, &ArchiveRestoreJob::finished);
        QVERIFY(job.start(m_reader, path, ModelFormat::Safetensors));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        const auto outcome = finished.at(0).at(0).value<ArchiveRestoreJob::Outcome>();
        QVERIFY(!outcome.ok);
        QVERIFY(!outcome.cancelled);
        QVERIFY2(outcome.error.contains(QStringLiteral("r.safetensors")), qPrintable(outcome.error));
        QVERIFY(QDir(out.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
        // A null reader is refused.
        QVERIFY(!job.start(nullptr, path, ModelFormat::Safetensors));
    }

    void destructorCancelsAndWaits()
    {
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("r.safetensors"));
        {
            PoolBlocker blocker;
            // Lets the pool go while the destructor waits (in case it does not run the job itself).
            std::thread releaser([&blocker] {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                blocker.unblock();
            });
            {
                ArchiveRestoreJob job;
                QVERIFY(job.start(m_reader, path, ModelFormat::Safetensors));
            }
            releaser.join();
        }
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(QDir(out.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }
};

QTEST_MAIN(TestArchiveRestoreJob)
#include "tst_archiverestorejob.moc"
