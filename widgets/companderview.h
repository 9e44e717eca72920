#pragma once

#include "core/codec/codecparams.h"
#include "core/io/modelsource.h"
#include "core/metrics/errormetrics.h"
#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <QFutureWatcher>
#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <atomic>
#include <memory>
#include <vector>

class QAreaSeries;
class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QSpinBox;
class QValueAxis;

namespace hc {

class CloudPointsItem;

// The density mode of one tensor (issue 9, "show the cloud in u-space and G as a curve"):
// left, the compander G that DensityMode builds for the tensor, drawn as the curve w -> u over the
// histogram of w; right, the pairs mapped to u-space, (G(w[2i]), G(w[2i+1])) from a deterministic
// subsample ("showing N of M pairs"), with the U = m² lattice samples over the unit square; below,
// the density mode's relative error and bits per weight against the paper mode's at the same index
// bits (U = 4^b / 4 - 1, K auto up to 3, the best l of 1..4 σ). Computed off the GUI thread; a new
// tensor or bit count cancels the running job. Charts are raster only. GUI thread only.
class CompanderView : public QWidget {
    Q_OBJECT

public:
    static constexpr std::size_t kMaxPairsShown = 4000;
    static constexpr std::size_t kMaxLatticeShown = 4096;
    static constexpr int kHistogramBins = 80;

    // What a job computes (immutable; shared with the GUI by pointer).
    struct Data {
        QString name;
        std::uint64_t numel = 0, pairCount = 0;
        double minValue = 0, maxValue = 0;
        int bitsPerWeight = 5;
        int side = 0; // m: U = m² lattice samples
        QList<QPointF> curve;     // (w_i, i / (B - 1)) for the stored breakpoints: G exactly
        QList<QPointF> histogram; // (bin left edge, share), step-shaped over [min, max]
        double histogramPeak = 0;
        QList<QPointF> pairs;     // u-space pairs shown
        QList<QPointF> lattice;   // lattice samples shown
        std::uint64_t latticeCount = 0;
        ErrorMetrics density;     // density mode, all elements
        double densityBitsPerWeight = 0;
        bool paperOk = false;
        CodecParams paper;        // the paper config compared with (box absolute)
        ErrorMetrics paperMetrics;
        double paperBitsPerWeight = 0;
        QString paperError;
    };

    explicit CompanderView(QWidget *parent = nullptr);
    ~CompanderView() override;

    // The tensor to show; `owner` keeps `w`'s memory alive while jobs use it (may be null when the
    // caller guarantees that itself). bitsPerWeight: the density mode's index bits, 1..12.
    void setTensor(std::shared_ptr<const void> owner, const TensorView &w, int bitsPerWeight,
                   const QString &name = QString());
    // Tensor `tensorIndex` of a model, read (or viewed) off the GUI thread.
    void setLayer(std::shared_ptr<const ModelSource> source, int tensorIndex, int bitsPerWeight);
    void setBitsPerWeight(int bits);
    int bitsPerWeight() const;
    void clear();
    bool isBusy() const { return m_running; }

    const std::shared_ptr<const Data> &data() const { return m_data; }
    QLineSeries *curveSeries() const { return m_curve; }
    QAreaSeries *histogramSeries() const { return m_histogram; }
    // Raster path: the u-space points are drawn by one item; these give what it draws.
    const QList<QPointF> &shownPairs() const;
    const QList<QPointF> &shownLattice() const;
    QString noteText() const { return m_noteText; }
    QLabel *readoutLabel() const { return m_readout; }
    QSpinBox *bitsSpinBox() const { return m_bits; }
    QChartView *curveView() const { return m_curveView; }
    QChartView *cloudView() const { return m_cloudView; }

    // The computation itself, synchronously (what a job runs). Fails with one sentence on a tensor
    // the density mode cannot code, or when `cancelled` turns true.
    static Result<Data> compute(const TensorView &w, int bitsPerWeight, const QString &name,
                                const std::atomic<bool> *cancelled = nullptr, int threads = 0);

Q_SIGNALS:
    void busyChanged(bool busy);
    void finished();
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Request {
        std::shared_ptr<const void> owner;
        std::shared_ptr<const ModelSource> source;
        int tensorIndex = -1;
        TensorView view;
        QString name;
        int bits = 5;
    };
    using Outcome = std::shared_ptr<const Result<Data>>;

    void retranslateUi();
    void request(Request r);
    void start(const Request &r);
    void onJobFinished();
    void showData();
    void showReadouts();
    void squareCloud();

    Request m_current;
    bool m_hasTensor = false;
    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    bool m_running = false;
    bool m_hasPending = false;
    Request m_pending;
    std::shared_ptr<const Data> m_data;
    QString m_error;

    QLabel *m_title = nullptr;
    QLabel *m_bitsLabel = nullptr;
    QSpinBox *m_bits = nullptr;
    QLabel *m_busy = nullptr;
    QChartView *m_curveView = nullptr;
    QChartView *m_cloudView = nullptr;
    QValueAxis *m_curveX = nullptr;
    QValueAxis *m_curveY = nullptr;
    QValueAxis *m_histY = nullptr;
    QLineSeries *m_curve = nullptr;
    QLineSeries *m_histUpper = nullptr;
    QAreaSeries *m_histogram = nullptr;
    QValueAxis *m_cloudX = nullptr;
    QValueAxis *m_cloudY = nullptr;
    QScatterSeries *m_pairsLegend = nullptr;
    QScatterSeries *m_latticeLegend = nullptr;
    QLineSeries *m_square = nullptr;
    CloudPointsItem *m_points = nullptr;
    QLabel *m_note = nullptr;
    QString m_noteText;
    QLabel *m_readout = nullptr;
};

} // namespace hc
