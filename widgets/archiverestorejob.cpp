#include "widgets/archiverestorejob.h"

#include "core/archive/archivereader.h"
#include "widgets/promisesink.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace hc {

ArchiveRestoreJob::ArchiveRestoreJob(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hc::ArchiveRestoreJob::Outcome>();
    connect(&m_watcher, &QFutureWatcher<QString>::progressValueChanged, this, &ArchiveRestoreJob::progressChanged);
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, &ArchiveRestoreJob::onFinished);
}

ArchiveRestoreJob::~ArchiveRestoreJob()
{
    cancel();
    m_watcher.waitForFinished();
}

Status ArchiveRestoreJob::write(const ArchiveReader &reader, const std::string &path, ModelFormat format,
                                const std::string &likePath, ProgressSink *progress)
{
    return writeModel(
        path, format, reader.tensors(), [&reader](std::size_t i) { return reader.read(i); }, likePath, progress);
}

bool ArchiveRestoreJob::start(std::shared_ptr<const ArchiveReader> reader, const QString &path, ModelFormat format,
                              const QString &likePath)
{
    if (isRunning() || !reader)
        return false;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_path = path;
    const std::shared_ptr<std::atomic<bool>> flag = m_cancel;
    const std::string outPath = path.toStdString(), like = likePath.toStdString();
    m_watcher.setFuture(QtConcurrent::run([reader, flag, format, outPath, like](QPromise<QString> &promise) {
        promise.setProgressRange(0, 1000);
        PromiseSink<QString> sink(promise, flag.get());
        const Status s = write(*reader, outPath, format, like, &sink);
        promise.addResult(s ? QString() : QString::fromStdString(s.error()));
    }));
    return true;
}

void ArchiveRestoreJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ArchiveRestoreJob::waitForFinished()
{
    m_watcher.waitForFinished();
}

void ArchiveRestoreJob::onFinished()
{
    const QFuture<QString> future = m_watcher.future();
    Outcome outcome;
    outcome.path = m_path;
    const QString error = future.resultCount() > 0 ? future.result() : tr("%1: the write did not run.").arg(m_path);
    outcome.ok = error.isEmpty();
    // A write that failed after a cancel was asked for stopped because of it.
    outcome.cancelled = !outcome.ok && m_cancel && m_cancel->load();
    if (!outcome.ok && !outcome.cancelled)
        outcome.error = error;
    Q_EMIT finished(outcome);
}

} // namespace hc
