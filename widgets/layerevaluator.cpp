#include "widgets/layerevaluator.h"

#include "core/util/cancelflagsink.h"

#include "core/archive/archiveformat.h"

#include "core/baselines/roundtonearestquantizer.h"
#include "core/codec/hypercodec.h"
#include "widgets/layertablemodel.h"

#include <QElapsedTimer>

#include <algorithm>
#include <QtConcurrent/QtConcurrentRun>

namespace hc {

namespace {

const char *const kCancelled = "cancelled";

} // namespace

// The current layer's original tensor: a view into the mapped file where the source has one,
// else its bytes, read once by whichever job needs them first and then shared by every job.
struct LayerEvaluator::LayerCache {
    std::shared_ptr<const ModelSource> source;
    int layer = -1;
    Memo memo;

    std::mutex mutex;
    bool loaded = false;
    std::string error;
    TensorData owned;
    TensorView view;
    std::vector<std::int64_t> shape;

    bool load()
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (loaded)
            return error.empty();
        loaded = true;
        const TensorInfo &info = source->tensors()[std::size_t(layer)];
        shape = info.shape;
        view = source->view(std::size_t(layer));
        if (view.data)
            return true;
        auto r = source->read(std::size_t(layer));
        if (!r) {
            error = r.error();
            return false;
        }
        owned = std::move(r).value();
        view = owned.view();
        return true;
    }
};

LayerEvaluator::LayerEvaluator(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hc::LayerEvaluationPtr>();
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &LayerEvaluator::onJobFinished);
}

LayerEvaluator::~LayerEvaluator()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_watcher.waitForFinished();
}

void LayerEvaluator::setSource(std::shared_ptr<const ModelSource> source)
{
    cancel();
    m_source = std::move(source);
    m_cache.reset();
    m_current.reset();
}

std::shared_ptr<LayerEvaluator::LayerCache> LayerEvaluator::cacheFor(int layer)
{
    if (!m_cache || m_cache->layer != layer || m_cache->source != m_source) {
        m_cache = std::make_shared<LayerCache>();
        m_cache->source = m_source;
        m_cache->layer = layer;
        m_cache->memo.name = m_source->tensors()[std::size_t(layer)].name;
    }
    return m_cache;
}

void LayerEvaluator::cancel()
{
    m_hasPending = false;
    m_dropBefore = ++m_generation;
    if (m_cancelFlag)
        m_cancelFlag->store(true);
}

void LayerEvaluator::request(int layer, const CodecParams &params, Urgency urgency)
{
    if (!m_source || layer < 0 || layer >= int(m_source->tensors().size()))
        return;
    // The running job already computes exactly this (a slider released where it was last dragged):
    // keep it and its result rather than start again.
    if (m_running && m_runningJob.layer == layer && LayerTableModel::sameParams(m_runningJob.params, params)
        && m_cancelFlag && !m_cancelFlag->load()) {
        m_hasPending = false;
        m_dropBefore = std::min(m_dropBefore, m_runningJob.generation);
        return;
    }
    Job job{layer, params, ++m_generation};
    if (urgency == Urgency::Final || (m_running && m_runningJob.layer != layer)) {
        m_dropBefore = job.generation;
        if (m_running && m_cancelFlag)
            m_cancelFlag->store(true);
    }
    if (m_running) {
        m_pendingJob = job;
        m_hasPending = true;
        return;
    }
    start(job);
    Q_EMIT busyChanged(true);
}

void LayerEvaluator::start(const Job &job)
{
    m_runningJob = job;
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    auto cache = cacheFor(job.layer);
    auto flag = m_cancelFlag;
    const Options options = m_options;
    m_watcher.setFuture(QtConcurrent::run([cache, flag, options, job]() -> Outcome {
        if (!cache->load())
            return std::make_shared<const Result<LayerEvaluation>>(Result<LayerEvaluation>::failure(cache->error));
        auto r = evaluate(cache->view, cache->shape, job.params, options, flag.get(), &cache->memo);
        if (r) {
            r->layer = job.layer;
            r->generation = job.generation;
        }
        return std::make_shared<const Result<LayerEvaluation>>(std::move(r));
    }));
}

void LayerEvaluator::onJobFinished()
{
    const Job job = m_runningJob;
    const Outcome outcome = m_watcher.future().result();
    m_running = false;
    const bool dropped = job.generation < m_dropBefore;

    if (m_hasPending) {
        m_hasPending = false;
        start(m_pendingJob);
    }
    if (!dropped && outcome) {
        if (outcome->ok()) {
            m_current = std::make_shared<const LayerEvaluation>(outcome->value());
            Q_EMIT finished(m_current);
        } else if (outcome->error() != kCancelled) {
            const QString name = m_source ? QString::fromStdString(m_source->tensors()[std::size_t(job.layer)].name)
                                          : QString();
            Q_EMIT failed(job.layer, tr("%1 cannot be evaluated: %2.").arg(name, QString::fromStdString(outcome->error())));
        }
    }
    if (!m_running)
        Q_EMIT busyChanged(false);
}

Result<LayerEvaluation> LayerEvaluator::evaluate(const TensorView &w, const std::vector<std::int64_t> &shape,
                                                 const CodecParams &params, const Options &options,
                                                 const std::atomic<bool> *cancelled, Memo *memo)
{
    using R = Result<LayerEvaluation>;
    QElapsedTimer timer;
    timer.start();
    std::string reason;
    if (memo) {
        std::lock_guard<std::mutex> lock(memo->mutex);
        if (!memo->rawReason)
            memo->rawReason = HyperCodec::rawReason(w);
        reason = *memo->rawReason;
    } else {
        reason = HyperCodec::rawReason(w);
    }
    if (!reason.empty())
        return R::failure("it is stored raw because " + reason);
    const Status valid = HyperCodec::validate(params);
    if (!valid)
        return R::failure(valid.error());

    CancelFlagSink sink(cancelled);
    EncodeOptions encodeOptions;
    encodeOptions.threads = options.threads;
    auto encoded = HyperCodec::encode(w, shape, params, encodeOptions, &sink);
    if (!encoded)
        return R::failure(encoded.error());
    if (sink.cancelRequested())
        return R::failure(kCancelled);

    LayerEvaluation e;
    e.params = params;
    auto decoded = std::make_shared<std::vector<std::uint8_t>>(w.byteSize());
    HyperCodec::decode(*encoded, decoded->data(), options.threads);
    if (sink.cancelRequested())
        return R::failure(kCancelled);
    e.metrics = ErrorMetrics::measure(w, TensorView{decoded->data(), w.dtype, w.numel}, options.threads);
    e.decoded = std::move(decoded);
    e.bytesIn = w.byteSize();
    e.bytesOut = ArchiveFormat::standaloneBytes(memo ? memo->name : std::string(), *encoded);
    e.bitsPerWeight = 8.0 * double(e.bytesOut) / double(w.numel);
    e.ratio = double(e.bytesIn) / double(e.bytesOut);
    e.histogram = encoded->classHistogram();
    e.histogram.resize(std::size_t(encoded->classes) + 1, 0);
    if (sink.cancelRequested())
        return R::failure(kCancelled);

    auto baselineAt = [&] {
        return RoundToNearestQuantizer::evaluate(w, e.bitsPerWeight, options.baselineGroupSize, options.threads);
    };
    Result<BaselineResult> baseline = Result<BaselineResult>::failure({});
    if (memo) {
        const auto key = std::make_pair(e.bitsPerWeight, options.baselineGroupSize);
        std::unique_lock<std::mutex> lock(memo->mutex);
        auto it = memo->baselines.find(key);
        if (it == memo->baselines.end()) {
            lock.unlock();
            auto computed = baselineAt();
            lock.lock();
            it = memo->baselines.emplace(key, std::move(computed)).first;
        }
        baseline = it->second;
    } else {
        baseline = baselineAt();
    }
    if (baseline) {
        e.baselineOk = true;
        e.baseline = *baseline;
    } else {
        e.baselineError = baseline.error();
    }
    if (sink.cancelRequested())
        return R::failure(kCancelled);

    e.cloud = CloudSample::build(w, *encoded, options.cloudPointsPerClass, cancelled);
    if (sink.cancelRequested())
        return R::failure(kCancelled);
    e.encoded = std::move(encoded).value();
    e.seconds = double(timer.nsecsElapsed()) * 1e-9;
    return e;
}

} // namespace hc
