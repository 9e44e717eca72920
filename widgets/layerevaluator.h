#pragma once
#include "core/baselines/baselineresult.h"
#include <optional>
#include <map>

#include "core/codec/codecparams.h"
#include "core/io/modelsource.h"
#include "core/util/result.h"
#include "widgets/layerevaluation.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

namespace hc {

// Runs HyperCodec::encode + decode + ErrorMetrics::measure + the round-to-nearest baseline for
// one layer off the GUI thread and hands the result back as a LayerEvaluation.
//
// Requests are coalesced: at most one job runs and one waits. A Live request (a slider being
// dragged) lets the running job finish and show its result, and replaces the waiting one; a Final
// request (a layer picked, a slider released, a value typed) also cancels the running job, whose
// result is then dropped even if it completes. The original tensor of the current layer is read
// once and kept in memory, and so is the last decoded tensor (in the evaluation).
// GUI thread only; the destructor cancels and waits for the running job.
class LayerEvaluator : public QObject {
    Q_OBJECT

public:
    enum class Urgency { Live, Final };

    struct Options {
        int threads = 0;                     // codec and metrics threads, 0 = all cores
        std::size_t cloudPointsPerClass = 20000; // the chart's cap per class series
        int baselineGroupSize = 0;           // round-to-nearest groups, 0 = one per tensor
    };

    explicit LayerEvaluator(QObject *parent = nullptr);
    ~LayerEvaluator() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }

    // The model to evaluate layers of; drops any running or waiting job and the cached layer.
    void setSource(std::shared_ptr<const ModelSource> source);
    const std::shared_ptr<const ModelSource> &source() const { return m_source; }

    void request(int layer, const CodecParams &params, Urgency urgency = Urgency::Final);
    // Cancels the running job and forgets the waiting one.
    void cancel();
    bool isBusy() const { return m_running; }
    // The last result delivered through finished(), or null.
    const LayerEvaluationPtr &current() const { return m_current; }

    // What stays true of one layer across evaluations: whether it must stay raw, and the
    // baseline at each bits per weight (it changes only when the index width does). Dragging a
    // slider then pays for the codec alone. Safe to share between jobs.
    struct Memo {
        std::string name;
        std::mutex mutex;
        std::optional<std::string> rawReason;
        std::map<std::pair<double, int>, Result<BaselineResult>> baselines;
    };

    // The evaluation itself, synchronously: what a job runs (used by tests and benchmarks).
    // Fails with one sentence when the tensor must stay raw, the settings are invalid, or
    // `cancelled` turns true.
    static Result<LayerEvaluation> evaluate(const TensorView &w, const std::vector<std::int64_t> &shape,
                                            const CodecParams &params, const Options &options,
                                            const std::atomic<bool> *cancelled = nullptr, Memo *memo = nullptr);

Q_SIGNALS:
    void busyChanged(bool busy);
    void finished(const hc::LayerEvaluationPtr &result);
    // The job failed (not when it was cancelled): the message names the layer.
    void failed(int layer, const QString &message);

private:
    struct LayerCache;
    struct Job {
        int layer = -1;
        CodecParams params;
        std::uint64_t generation = 0;
    };
    using Outcome = std::shared_ptr<const Result<LayerEvaluation>>;

    void start(const Job &job);
    void onJobFinished();
    std::shared_ptr<LayerCache> cacheFor(int layer);

    std::shared_ptr<const ModelSource> m_source;
    std::shared_ptr<LayerCache> m_cache;
    Options m_options;
    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    Job m_runningJob;
    Job m_pendingJob;
    bool m_running = false;
    bool m_hasPending = false;
    std::uint64_t m_generation = 0;
    std::uint64_t m_dropBefore = 0; // results of older generations are dropped
    LayerEvaluationPtr m_current;
};

} // namespace hc
