#pragma once

#include "core/sweep/boxresolver.h"
#include "core/sweep/paretofront.h"
#include "widgets/sweepchartdata.h"

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QString>

#include <array>
#include <memory>
#include <vector>

class QGraphicsSimpleTextItem;
class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace hc {

// Error (y) against compression ratio (x) for one sweep (Qt Charts, raster): one point per grid
// config in grid order, the Pareto front as a line, and the comparisons (RTN per tensor, RTN group
// 128, NF4 block 64, and the issue-9 modes when computed) as series of their own with distinct
// markers. The error axis is linear unless setLogScale(true). Hovering a point reports its config and
// figures (pointHovered() and a tool tip); clicking a config reports its grid index.
// GUI thread only.
class SweepChart : public QChartView {
    Q_OBJECT

public:
    explicit SweepChart(QWidget *parent = nullptr);

    void setData(std::shared_ptr<const SweepChartData> data, ErrorMeasure measure, BoxMode boxMode);
    void clear();
    const std::shared_ptr<const SweepChartData> &data() const { return m_data; }
    void setMeasure(ErrorMeasure measure);
    ErrorMeasure measure() const { return m_measure; }
    void setLogScale(bool log);
    bool logScale() const { return m_log; }

    QScatterSeries *configSeries() const { return m_configs; }
    QLineSeries *frontSeries() const { return m_front; }
    QScatterSeries *comparisonSeries(ComparisonKind kind) const { return m_comparisons[std::size_t(kind)]; }
    // Grid indices on the Pareto front for the current measure, by ratio ascending.
    const std::vector<std::size_t> &front() const { return m_frontIndices; }
    // Where a config is drawn, in value and in viewport coordinates.
    QPointF valueOf(std::size_t gridIndex) const;
    QPoint viewportPositionOf(std::size_t gridIndex) const;

    // Text for a config or a comparison (what hovering shows).
    QString describeConfig(std::size_t gridIndex) const;
    QString describeComparison(std::size_t comparisonIndex) const;
    static QString comparisonName(ComparisonKind kind);

    // What a click on the config series does: picks the config drawn at (or nearest to) `value`.
    void onConfigClicked(const QPointF &value);

Q_SIGNALS:
    void configClicked(std::size_t gridIndex);
    void pointHovered(const QString &text); // empty when the pointer leaves a point

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void retranslateUi();
    void rebuild();
    void attachYAxis();
    double errorOf(const ErrorMetrics &m) const;
    double shownError(double e) const; // what the axis can draw (log: positive)
    long nearestConfig(const QPointF &value) const;
    long comparisonAt(ComparisonKind kind, const QPointF &value) const;
    void placeNote();

    std::shared_ptr<const SweepChartData> m_data;
    ErrorMeasure m_measure = ErrorMeasure::RelativeError;
    BoxMode m_boxMode = BoxMode::Absolute;
    bool m_log = false;
    double m_floor = 1e-12; // smallest positive error shown, for the log axis

    QValueAxis *m_axisX = nullptr;
    QValueAxis *m_axisYLinear = nullptr;
    QLogValueAxis *m_axisYLog = nullptr;
    QScatterSeries *m_configs = nullptr;
    QLineSeries *m_front = nullptr;
    std::array<QScatterSeries *, kComparisonKinds> m_comparisons{};
    std::array<std::vector<std::size_t>, kComparisonKinds> m_comparisonIndex; // series point -> comparison
    std::vector<std::size_t> m_frontIndices;
    QGraphicsSimpleTextItem *m_note = nullptr;
};

} // namespace hc
