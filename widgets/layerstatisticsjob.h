#pragma once

#include "core/io/modelsource.h"

#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace hc {

// Computes the layer table's statistics off the GUI thread: σ, kurtosis and the pairs' centroid
// of the layers that lack them, and the share of outer pairs at each layer's l. Results arrive
// one layer at a time (layerDone); starting a new run cancels the old one, whose remaining
// results are never delivered. The destructor cancels and waits. GUI thread only.
class LayerStatisticsJob : public QObject {
    Q_OBJECT

public:
    struct Request {
        int layer = -1;
        double box = 0.1;        // the l to measure the outer share at
        bool needStatistics = true;
        double centreX = 0, centreY = 0; // used when needStatistics is false
    };
    struct Item {
        int layer = -1;
        QString error;           // one sentence, when the layer could not be read or measured
        bool hasStatistics = false;
        double sigma = 0, kurtosis = 0, centreX = 0, centreY = 0;
        double outerShare = 0, box = 0;
    };

    explicit LayerStatisticsJob(QObject *parent = nullptr);
    ~LayerStatisticsJob() override;

    void start(std::shared_ptr<const ModelSource> source, std::vector<Request> requests, int threads = 1);
    void cancel();
    bool isRunning() const { return m_running; }

    // One layer, synchronously (what a run does for each request).
    static Item compute(const ModelSource &source, const Request &request, int threads = 1);

Q_SIGNALS:
    void layerDone(const hc::LayerStatisticsJob::Item &item);
    void finished();

private:
    QFutureWatcher<Item> m_watcher;
    bool m_running = false;
};

} // namespace hc

Q_DECLARE_METATYPE(hc::LayerStatisticsJob::Item)
