#include "widgets/compressionjob.h"

#include "core/archive/modelcompressor.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace hc {

// What the worker and the GUI thread share: written by the worker, read by progress().
struct CompressionJob::Shared : public ProgressSink {
    std::atomic<bool> cancel{false};
    std::atomic<double> fraction{0};
    std::atomic<int> layersDone{0};
    std::atomic<std::uint64_t> paramsDone{0};
    std::atomic<bool> writing{false};
    int layers = 0;
    std::uint64_t params = 0;

    void setProgress(double f) override
    {
        // The codec reports within a tensor; keep the bar from going back between steps.
        double old = fraction.load();
        while (f > old && !fraction.compare_exchange_weak(old, f)) {
        }
    }
    void setStep(const std::string &title) override
    {
        // ModelCompressor's last step is "Writing ARCHIVE": every layer is done by then.
        if (title.rfind("Writing ", 0) == 0)
            writing = true;
    }
    bool cancelRequested() const override { return cancel.load(); }
};

CompressionJob::CompressionJob(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hc::TensorReport>();
    qRegisterMetaType<hc::CompressionJob::Outcome>();
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Outcome>>::finished, this, &CompressionJob::onFinished);
}

CompressionJob::~CompressionJob()
{
    if (m_shared)
        m_shared->cancel = true;
    m_watcher.waitForFinished();
}

bool CompressionJob::start(std::shared_ptr<const ModelSource> source, const CompressionConfig &config,
                           const QString &archivePath, int threads)
{
    if (m_running || !source)
        return false;
    auto shared = std::make_shared<Shared>();
    shared->layers = int(source->tensors().size());
    for (const TensorInfo &t : source->tensors())
        shared->params += t.numel();
    m_shared = shared;
    m_source = source;
    m_archivePath = archivePath;
    m_running = true;
    m_clock.start();

    EncodeOptions options;
    options.threads = threads;
    ModelCompressor compressor(config, options);
    // The hook runs on the worker; the row reaches the GUI thread as a queued call, which Qt drops
    // if this job is gone by then (the destructor waits for the worker, so `this` outlives it).
    compressor.setTensorDone([this, shared](std::size_t index, const TensorReport &row) {
        shared->layersDone = int(index) + 1;
        shared->paramsDone += row.numel;
        QMetaObject::invokeMethod(
            this, [this, index, row] { Q_EMIT tensorDone(int(index), row); }, Qt::QueuedConnection);
    });
    const std::string path = archivePath.toStdString();
    m_watcher.setFuture(QtConcurrent::run([compressor = std::move(compressor), source, shared, path] {
        auto outcome = std::make_shared<Outcome>();
        auto report = compressor.compress(*source, path, shared.get());
        if (report) {
            outcome->ok = true;
            outcome->report = std::move(report).value();
        } else if (shared->cancel) {
            outcome->cancelled = true;
            // ModelCompressor leaves nothing behind; make sure of it for a cancel that came late.
            QFile::remove(QString::fromStdString(path));
        } else {
            outcome->error = QString::fromStdString(report.error());
        }
        return outcome;
    }));
    return true;
}

void CompressionJob::cancel()
{
    if (m_shared && m_running)
        m_shared->cancel = true;
}

CompressionJob::Progress CompressionJob::progress() const
{
    Progress p;
    if (!m_shared)
        return p;
    const Shared &s = *m_shared;
    p.layers = s.layers;
    p.params = s.params;
    p.writing = s.writing.load();
    p.layer = p.writing ? s.layers : std::min(s.layersDone.load(), std::max(0, s.layers - 1));
    p.paramsDone = s.paramsDone.load();
    p.fraction = std::clamp(s.fraction.load(), 0.0, 1.0);
    p.seconds = m_clock.isValid() ? double(m_clock.nsecsElapsed()) * 1e-9 : 0.0;
    if (p.seconds > 0.2 && p.fraction > 0.005) {
        // Bytes weight the run's fraction, which is parameters for one dtype; the last 5% are
        // the archive's write, not parameters.
        const double encoded = std::min(1.0, p.fraction / 0.95);
        p.paramsPerSecond = double(p.params) * encoded / p.seconds;
        p.secondsLeft = p.seconds * (1.0 - p.fraction) / p.fraction;
    }
    return p;
}

void CompressionJob::onFinished()
{
    m_running = false;
    std::shared_ptr<Outcome> outcome = m_watcher.result();
    m_source.reset();
    Q_EMIT finished(outcome ? *outcome : Outcome{});
}

} // namespace hc
