#pragma once

#include "core/archive/compressionreport.h"
#include "core/config/compressionconfig.h"
#include "core/io/modelsource.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace hc {

// Runs ModelCompressor over a whole model off the GUI thread (QtConcurrent + QFutureWatcher).
// Each tensor's row arrives through tensorDone() as soon as it is encoded and measured (its
// bytesOut is then its payload; the final report holds its exact share of the archive); progress()
// gives the state of the run for a progress bar; finished() ends every run, also a cancelled or
// failed one. A cancel leaves no archive behind. Starting a run while one is going is refused.
// GUI thread only; the destructor cancels and waits.
class CompressionJob : public QObject {
    Q_OBJECT

public:
    struct Progress {
        double fraction = 0;       // of the whole run, weighted by bytes
        int layer = 0;             // the layer being compressed, 0-based (== layers while writing)
        int layers = 0;
        std::uint64_t paramsDone = 0; // parameters of the finished layers
        std::uint64_t params = 0;     // of the whole model
        double seconds = 0;           // since start
        // Parameters per second so far (finished layers plus the current one's share), and the
        // seconds left at the rate of the run so far; both 0 while too little is known.
        double paramsPerSecond = 0;
        double secondsLeft = 0;
        bool writing = false;         // the archive is being written (every layer is done)
    };

    struct Outcome {
        bool ok = false;
        bool cancelled = false;
        QString error;               // one sentence, when !ok and !cancelled
        CompressionReport report;    // when ok
    };

    explicit CompressionJob(QObject *parent = nullptr);
    ~CompressionJob() override;

    // Starts compressing `source` with `config` into `archivePath`; false (and nothing happens)
    // while a run is going.
    bool start(std::shared_ptr<const ModelSource> source, const CompressionConfig &config, const QString &archivePath,
               int threads = 0);
    void cancel();
    bool isRunning() const { return m_running; }
    Progress progress() const;
    const QString &archivePath() const { return m_archivePath; }

Q_SIGNALS:
    void tensorDone(int index, const hc::TensorReport &row);
    void finished(const hc::CompressionJob::Outcome &outcome);

private:
    struct Shared;
    void onFinished();

    QFutureWatcher<std::shared_ptr<Outcome>> m_watcher;
    std::shared_ptr<Shared> m_shared;
    std::shared_ptr<const ModelSource> m_source;
    QString m_archivePath;
    QElapsedTimer m_clock;
    bool m_running = false;
};

} // namespace hc

Q_DECLARE_METATYPE(hc::TensorReport)
Q_DECLARE_METATYPE(hc::CompressionJob::Outcome)
