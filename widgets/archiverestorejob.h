#pragma once

#include "core/torch/modelfiles.h"
#include "core/util/result.h"

#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>

namespace hc {

class ArchiveReader;

// Writes the model restored from a HyperComp archive: the archive's tensors as safetensors, a
// PyTorch state dict, or a TorchScript module like an original one (its parameters replaced).
// write() does it synchronously, for work that is already off the GUI thread; start() runs it
// off the GUI thread (QtConcurrent + QFutureWatcher) with progressChanged() for a progress bar
// and cancel(); finished() ends every run, also a cancelled or failed one. The file appears
// complete or not at all, so a cancel or an error leaves nothing behind. Starting a run while
// one is going is refused. GUI thread only (write() is thread-safe); the destructor cancels and
// waits.
class ArchiveRestoreJob : public QObject {
    Q_OBJECT

public:
    struct Outcome {
        bool ok = false;
        bool cancelled = false;
        QString error; // one sentence naming the file, when !ok and !cancelled
        QString path;  // the file the run wrote (or would have written)
    };

    explicit ArchiveRestoreJob(QObject *parent = nullptr);
    ~ArchiveRestoreJob() override;

    // Writes every tensor `reader` restores to `path` in `format`; `likePath` is the original
    // TorchScript module (TorchScript output only).
    static Status write(const ArchiveReader &reader, const std::string &path, ModelFormat format,
                        const std::string &likePath = {}, ProgressSink *progress = nullptr);

    // Starts writing in the background; false (and nothing happens) while a run is going.
    bool start(std::shared_ptr<const ArchiveReader> reader, const QString &path, ModelFormat format,
               const QString &likePath = {});
    // Asks a running write to stop; it then ends with a cancelled outcome.
    void cancel();
    // Blocks until a running write has stopped (finished() still follows from the event loop).
    void waitForFinished();
    bool isRunning() const { return m_watcher.isRunning(); }
    const QString &path() const { return m_path; }

Q_SIGNALS:
    // Share of the write done, in thousandths; only ever forward within a run.
    void progressChanged(int permille);
    void finished(const hc::ArchiveRestoreJob::Outcome &outcome);

private:
    void onFinished();

    QFutureWatcher<QString> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QString m_path;
};

} // namespace hc

Q_DECLARE_METATYPE(hc::ArchiveRestoreJob::Outcome)
