#include "widgets/layerstatisticsjob.h"

#include "core/codec/hypercodec.h"
#include "core/metrics/tensorstatistics.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace hc {

LayerStatisticsJob::LayerStatisticsJob(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hc::LayerStatisticsJob::Item>();
    connect(&m_watcher, &QFutureWatcher<Item>::resultReadyAt, this,
            [this](int index) { Q_EMIT layerDone(m_watcher.resultAt(index)); });
    connect(&m_watcher, &QFutureWatcher<Item>::finished, this, [this] {
        m_running = false;
        Q_EMIT finished();
    });
}

LayerStatisticsJob::~LayerStatisticsJob()
{
    m_watcher.cancel();
    m_watcher.waitForFinished();
}

void LayerStatisticsJob::cancel()
{
    m_watcher.cancel();
}

void LayerStatisticsJob::start(std::shared_ptr<const ModelSource> source, std::vector<Request> requests, int threads)
{
    m_watcher.cancel();
    m_running = true;
    m_watcher.setFuture(QtConcurrent::run(
        [source, requests = std::move(requests), threads](QPromise<Item> &promise) {
            for (const Request &r : requests) {
                if (promise.isCanceled())
                    return;
                promise.addResult(compute(*source, r, threads));
            }
        }));
}

LayerStatisticsJob::Item LayerStatisticsJob::compute(const ModelSource &source, const Request &request, int threads)
{
    Item item;
    item.layer = request.layer;
    item.box = request.box;
    if (request.layer < 0 || std::size_t(request.layer) >= source.tensors().size()) {
        item.error = tr("there is no layer %1").arg(request.layer);
        return item;
    }
    TensorData owned;
    TensorView w = source.view(std::size_t(request.layer));
    if (!w.data) {
        auto r = source.read(std::size_t(request.layer));
        if (!r) {
            item.error = QString::fromStdString(r.error());
            return item;
        }
        owned = std::move(r).value();
        w = owned.view();
    }
    if (!isCompressibleFloat(w.dtype) || w.numel == 0) {
        item.error = tr("%1 is not a float tensor.").arg(QString::fromStdString(source.tensors()[std::size_t(request.layer)].name));
        return item;
    }
    double cx = request.centreX, cy = request.centreY;
    if (request.needStatistics) {
        const TensorStatistics s = TensorStatistics::compute(w, threads);
        if (!s.finite) {
            item.error = tr("%1 contains NaN or infinite values.")
                             .arg(QString::fromStdString(source.tensors()[std::size_t(request.layer)].name));
            return item;
        }
        item.hasStatistics = true;
        item.sigma = s.stddev;
        item.kurtosis = s.excessKurtosis;
        item.centreX = cx = s.pairCentreX;
        item.centreY = cy = s.pairCentreY;
    }
    item.outerShare = TensorStatistics::outerShare(w, request.box, cx, cy, threads);
    return item;
}

} // namespace hc
