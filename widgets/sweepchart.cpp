#include "widgets/sweepchart.h"

#include "widgets/chartstyle.h"

#include "widgets/numberformat.h"

#include <QCursor>
#include <QEvent>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace hc {

namespace {

QString num(double v, int digits = 4)
{
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    return QString::number(v, 'g', digits);
}

struct Style {
    QColor colour;
    QScatterSeries::MarkerShape shape;
    qreal size;
};

Style styleOf(ComparisonKind kind)
{
    switch (kind) {
    case ComparisonKind::RtnPerTensor: return {QColor(0x6b, 0x6b, 0x6b), QScatterSeries::MarkerShapeTriangle, 11};
    case ComparisonKind::RtnGroup128: return {QColor(0x9c, 0x75, 0x5f), QScatterSeries::MarkerShapeRotatedRectangle, 11};
    case ComparisonKind::Nf4Block64: return {QColor(0x59, 0xa1, 0x4f), QScatterSeries::MarkerShapeStar, 15};
    case ComparisonKind::Density: return {QColor(0xb0, 0x7a, 0xa1), QScatterSeries::MarkerShapePentagon, 13};
    case ComparisonKind::Lattice: return {QColor(0x76, 0xb7, 0xb2), QScatterSeries::MarkerShapeRectangle, 10};
    case ComparisonKind::PaperEntropy: return {QColor(0xf2, 0x8e, 0x2b), QScatterSeries::MarkerShapeCircle, 9};
    }
    return {Qt::black, QScatterSeries::MarkerShapeCircle, 8};
}

} // namespace

SweepChart::SweepChart(QWidget *parent)
    : QChartView(newStyledChart(Qt::AlignBottom, QMargins(6, 6, 6, 6), true), parent)
{
    QChart *chart = this->chart();
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(420, 300);

    m_axisX = new QValueAxis;
    m_axisYLinear = new QValueAxis;
    m_axisYLog = new QLogValueAxis;
    m_axisYLog->setBase(10);
    m_axisYLog->setMinorTickCount(8);
    m_axisX->setLabelFormat(QStringLiteral("%.3g"));
    m_axisYLinear->setLabelFormat(QStringLiteral("%.3g"));
    m_axisYLog->setLabelFormat(QStringLiteral("%.2g"));
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_axisX), static_cast<QAbstractAxis *>(m_axisYLinear),
                                static_cast<QAbstractAxis *>(m_axisYLog)}) {
        QFont f = axis->labelsFont();
        f.setPointSizeF(8.5);
        axis->setLabelsFont(f);
        QFont t = axis->titleFont();
        t.setPointSizeF(9);
        t.setBold(false);
        axis->setTitleFont(t);
    }
    m_axisX->setTickCount(8);
    m_axisYLinear->setTickCount(7);
    chart->addAxis(m_axisX, Qt::AlignBottom);

    m_configs = new QScatterSeries;
    QColor configColour(0x4e, 0x79, 0xa7);
    configColour.setAlpha(170);
    m_configs->setColor(configColour);
    m_configs->setBorderColor(QColor(0x2f, 0x4b, 0x6e));
    m_configs->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_configs->setMarkerSize(8);

    m_front = new QLineSeries;
    QPen frontPen(QColor(0xe1, 0x57, 0x59));
    frontPen.setWidthF(2.2);
    m_front->setPen(frontPen);
    m_front->setPointsVisible(true);

    for (int k = 0; k < kComparisonKinds; ++k) {
        const Style s = styleOf(ComparisonKind(k));
        auto *series = new QScatterSeries;
        series->setColor(s.colour);
        series->setBorderColor(s.colour.darker(150));
        series->setMarkerShape(s.shape);
        series->setMarkerSize(s.size);
        m_comparisons[std::size_t(k)] = series;
    }
    // Drawn in this order: the configs under everything, the front over them, the comparisons on top.
    chart->addSeries(m_configs);
    chart->addSeries(m_front);
    for (QScatterSeries *s : m_comparisons)
        chart->addSeries(s);
    for (QAbstractSeries *s : chart->series())
        s->attachAxis(m_axisX);
    attachYAxis();

    connect(m_configs, &QScatterSeries::clicked, this, &SweepChart::onConfigClicked);
    // The front line lies over its configs and takes their clicks.
    connect(m_front, &QLineSeries::clicked, this, &SweepChart::onConfigClicked);
    connect(m_configs, &QScatterSeries::hovered, this, [this](const QPointF &value, bool state) {
        const long i = state ? nearestConfig(value) : -1;
        const QString text = i >= 0 ? describeConfig(std::size_t(i)) : QString();
        if (state && !text.isEmpty())
            QToolTip::showText(QCursor::pos(), text, this);
        else
            QToolTip::hideText();
        Q_EMIT pointHovered(text);
    });
    for (int k = 0; k < kComparisonKinds; ++k) {
        connect(m_comparisons[std::size_t(k)], &QScatterSeries::hovered, this, [this, k](const QPointF &value, bool state) {
            const long i = state ? comparisonAt(ComparisonKind(k), value) : -1;
            const QString text = i >= 0 ? describeComparison(std::size_t(i)) : QString();
            if (state && !text.isEmpty())
                QToolTip::showText(QCursor::pos(), text, this);
            else
                QToolTip::hideText();
            Q_EMIT pointHovered(text);
        });
    }

    m_note = new QGraphicsSimpleTextItem(chart);
    m_note->setBrush(QColor(0x55, 0x55, 0x55));
    m_note->setZValue(20);
    connect(chart, &QChart::plotAreaChanged, this, [this] { placeNote(); });

    retranslateUi();
}

QString SweepChart::comparisonName(ComparisonKind kind)
{
    switch (kind) {
    case ComparisonKind::RtnPerTensor: return tr("RTN per tensor");
    case ComparisonKind::RtnGroup128: return tr("RTN group 128");
    case ComparisonKind::Nf4Block64: return tr("NF4 block 64");
    case ComparisonKind::Density: return tr("Density mode");
    case ComparisonKind::Lattice: return tr("Lattice mode");
    case ComparisonKind::PaperEntropy: return tr("Paper + entropy");
    }
    return {};
}

void SweepChart::retranslateUi()
{
    m_axisX->setTitleText(tr("Compression ratio (original bytes / stored bytes, ×)"));
    const QString yTitle = m_measure == ErrorMeasure::Mae ? tr("Mean absolute error (weight units)")
                                                          : tr("Relative error ‖w − ŵ‖ / ‖w‖");
    m_axisYLinear->setTitleText(yTitle);
    m_axisYLog->setTitleText(yTitle + tr(", log scale"));
    m_configs->setName(tr("Hyper-compression configs"));
    m_front->setName(tr("Pareto front"));
    for (int k = 0; k < kComparisonKinds; ++k)
        m_comparisons[std::size_t(k)]->setName(comparisonName(ComparisonKind(k)));
    if (m_data)
        rebuild();
    else
        clear();
}

void SweepChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QChartView::changeEvent(event);
}

void SweepChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    placeNote();
}

void SweepChart::placeNote()
{
    const QRectF area = chart()->plotArea();
    m_note->setPos(area.right() - m_note->boundingRect().width() - 6, area.top() + 4);
}

void SweepChart::attachYAxis()
{
    // Both axes stay in the chart (removing one leaves stray label items behind in Qt 6.4); the
    // series hang on the wanted one and the other is hidden.
    QAbstractAxis *wanted = m_log ? static_cast<QAbstractAxis *>(m_axisYLog) : static_cast<QAbstractAxis *>(m_axisYLinear);
    QAbstractAxis *other = m_log ? static_cast<QAbstractAxis *>(m_axisYLinear) : static_cast<QAbstractAxis *>(m_axisYLog);
    QChart *c = chart();
    for (QAbstractAxis *axis : {wanted, other})
        if (!c->axes(Qt::Vertical).contains(axis))
            c->addAxis(axis, Qt::AlignLeft);
    for (QAbstractSeries *s : c->series()) {
        if (s->attachedAxes().contains(other))
            s->detachAxis(other);
        if (!s->attachedAxes().contains(wanted))
            s->attachAxis(wanted);
    }
    other->setVisible(false);
    wanted->setVisible(true);
}

void SweepChart::clear()
{
    m_data.reset();
    m_frontIndices.clear();
    m_configs->clear();
    m_front->clear();
    for (std::size_t k = 0; k < m_comparisons.size(); ++k) {
        m_comparisons[k]->clear();
        m_comparisonIndex[k].clear();
        for (QLegendMarker *marker : chart()->legend()->markers(m_comparisons[k]))
            marker->setVisible(false);
    }
    m_axisX->setRange(0, 10);
    m_axisYLinear->setRange(0, 1);
    m_axisYLog->setRange(1e-3, 1);
    chart()->setTitle(tr("Sweep: error against compression ratio"));
    m_note->setText(tr("Run a sweep to see its configs here."));
    placeNote();
}

void SweepChart::setData(std::shared_ptr<const SweepChartData> data, ErrorMeasure measure, BoxMode boxMode)
{
    m_data = std::move(data);
    m_measure = measure;
    m_boxMode = boxMode;
    if (!m_data) {
        clear();
        return;
    }
    retranslateUi(); // the y title follows the measure; rebuilds
}

void SweepChart::setMeasure(ErrorMeasure measure)
{
    if (measure == m_measure)
        return;
    m_measure = measure;
    retranslateUi();
}

void SweepChart::setLogScale(bool log)
{
    if (log == m_log)
        return;
    m_log = log;
    attachYAxis();
    if (m_data)
        rebuild();
}

double SweepChart::errorOf(const ErrorMetrics &m) const
{
    return m_measure == ErrorMeasure::Mae ? m.mae : m.relFro;
}

double SweepChart::shownError(double e) const
{
    if (!m_log)
        return e;
    return e > 0 ? e : m_floor;
}

void SweepChart::rebuild()
{
    const SweepChartData &d = *m_data;
    // The smallest positive error anywhere, so that an exact (zero-error) point still shows on a log axis.
    double minPositive = std::numeric_limits<double>::infinity();
    for (const SweepPoint &p : d.points)
        if (errorOf(p.metrics) > 0)
            minPositive = std::min(minPositive, errorOf(p.metrics));
    for (const SweepComparison &c : d.comparisons)
        if (errorOf(c.metrics) > 0)
            minPositive = std::min(minPositive, errorOf(c.metrics));
    m_floor = std::isfinite(minPositive) ? minPositive / 2 : 1e-6;

    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin, yMin = xMin, yMax = -xMin;
    auto extend = [&](double x, double y) {
        if (!std::isfinite(x) || !std::isfinite(y))
            return;
        xMin = std::min(xMin, x);
        xMax = std::max(xMax, x);
        yMin = std::min(yMin, y);
        yMax = std::max(yMax, y);
    };

    QList<QPointF> configs;
    configs.reserve(qsizetype(d.points.size()));
    for (const SweepPoint &p : d.points) {
        const QPointF v(p.ratio, shownError(errorOf(p.metrics)));
        configs.append(v);
        extend(v.x(), v.y());
    }
    m_configs->replace(configs);

    m_frontIndices = ParetoFront::compute(d.points, m_measure);
    QList<QPointF> front;
    for (std::size_t i : m_frontIndices)
        front.append(configs[qsizetype(i)]);
    m_front->replace(front);

    std::array<QList<QPointF>, kComparisonKinds> lists;
    for (auto &index : m_comparisonIndex)
        index.clear();
    for (std::size_t i = 0; i < d.comparisons.size(); ++i) {
        const SweepComparison &c = d.comparisons[i];
        const QPointF v(c.ratio, shownError(errorOf(c.metrics)));
        lists[std::size_t(c.kind)].append(v);
        m_comparisonIndex[std::size_t(c.kind)].push_back(i);
        extend(v.x(), v.y());
    }
    for (std::size_t k = 0; k < lists.size(); ++k) {
        m_comparisons[k]->replace(lists[k]);
        for (QLegendMarker *marker : chart()->legend()->markers(m_comparisons[k]))
            marker->setVisible(!lists[k].isEmpty());
    }

    if (std::isfinite(xMin)) {
        const double padX = std::max(0.05 * (xMax - xMin), 0.05 * xMax);
        m_axisX->setRange(std::max(0.0, xMin - padX), xMax + padX);
        m_axisX->applyNiceNumbers();
        if (m_log) {
            const double lo = std::pow(10.0, std::floor(std::log10(yMin)));
            const double hi = std::pow(10.0, std::ceil(std::log10(yMax)));
            // Just beyond the decades, so that both end labels are drawn (at exactly 10^k the axis
            // can drop its first label to rounding).
            m_axisYLog->setRange(lo * 0.999, (hi > lo ? hi : lo * 10) * 1.001);
        } else {
            const double padY = 0.06 * std::max(yMax - yMin, yMax);
            m_axisYLinear->setRange(std::max(0.0, yMin - padY), yMax + padY);
            m_axisYLinear->applyNiceNumbers();
        }
    }

    chart()->setTitle(d.wholeModel() ? tr("Sweep of the whole model (%1 tensors, totals by parameter count)")
                                           .arg(d.sweep.layers.size())
                                     : tr("Sweep of %1").arg(QString::fromStdString(d.scopeName)));
    m_note->setText(tr("%1 configs · %2 on the Pareto front · lower right is better")
                        .arg(groupedCount(d.points.size()))
                        .arg(m_frontIndices.size()));
    placeNote();
}

QPointF SweepChart::valueOf(std::size_t gridIndex) const
{
    const QList<QPointF> points = m_configs->points();
    return gridIndex < std::size_t(points.size()) ? points[qsizetype(gridIndex)] : QPointF();
}

QPoint SweepChart::viewportPositionOf(std::size_t gridIndex) const
{
    const QPointF scenePos = chart()->mapToPosition(valueOf(gridIndex), m_configs);
    return mapFromScene(chart()->mapToScene(scenePos));
}

long SweepChart::nearestConfig(const QPointF &value) const
{
    if (!m_data)
        return -1;
    const QList<QPointF> points = m_configs->points();
    // Compare in pixels, so that the two axes' scales do not matter.
    const QPointF at = chart()->mapToPosition(value, m_configs);
    long best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (points[i] == value)
            return long(i);
        const QPointF p = chart()->mapToPosition(points[i], m_configs);
        const double dist = QLineF(at, p).length();
        if (dist < bestDistance) {
            bestDistance = dist;
            best = long(i);
        }
    }
    return best;
}

long SweepChart::comparisonAt(ComparisonKind kind, const QPointF &value) const
{
    const QList<QPointF> points = m_comparisons[std::size_t(kind)]->points();
    const auto &index = m_comparisonIndex[std::size_t(kind)];
    for (qsizetype i = 0; i < points.size() && std::size_t(i) < index.size(); ++i)
        if (points[i] == value)
            return long(index[std::size_t(i)]);
    return -1;
}

void SweepChart::onConfigClicked(const QPointF &value)
{
    const long i = nearestConfig(value);
    if (i >= 0)
        Q_EMIT configClicked(std::size_t(i));
}

QString SweepChart::describeConfig(std::size_t gridIndex) const
{
    if (!m_data || gridIndex >= m_data->points.size())
        return {};
    const SweepPoint &p = m_data->points[gridIndex];
    const QString box = m_boxMode == BoxMode::Sigma ? tr("%1 σ").arg(num(p.params.box)) : num(p.params.box);
    const QString k = p.params.autoClasses ? tr("auto up to %1 (used %2)").arg(p.params.classes).arg(p.classesUsed)
                                           : QString::number(p.params.classes);
    const bool onFront = std::find(m_frontIndices.begin(), m_frontIndices.end(), gridIndex) != m_frontIndices.end();
    QString text = tr("U %1 · l %2 · K %3").arg(p.params.samples).arg(box, k);
    if (m_boxMode == BoxMode::Sigma && p.absoluteBox > 0)
        text += tr(" (l = %1)").arg(num(p.absoluteBox));
    text += QLatin1Char('\n') +
            tr("ratio %1× · %2 b/w · index %3 bits").arg(num(p.ratio), num(p.bitsPerWeight)).arg(p.bits) +
            QLatin1Char('\n') +
            tr("rel. error %1 · MAE %2 · SQNR %3 dB").arg(num(p.metrics.relFro), num(p.metrics.mae), num(p.metrics.sqnrDb));
    if (onFront)
        text += QLatin1Char('\n') + tr("On the Pareto front");
    text += QLatin1Char('\n') + tr("Click to apply this config");
    return text;
}

QString SweepChart::describeComparison(std::size_t comparisonIndex) const
{
    if (!m_data || comparisonIndex >= m_data->comparisons.size())
        return {};
    const SweepComparison &c = m_data->comparisons[comparisonIndex];
    QString head = comparisonName(c.kind);
    switch (c.kind) {
    case ComparisonKind::RtnPerTensor:
    case ComparisonKind::RtnGroup128:
        head += tr(" at a budget of %1 b/w").arg(num(c.setting));
        break;
    case ComparisonKind::Density:
        head += tr(" at %1 index bits per weight").arg(num(c.setting));
        break;
    case ComparisonKind::Lattice:
        head += tr(" aimed at %1 b/w").arg(num(c.setting));
        break;
    case ComparisonKind::PaperEntropy:
        if (c.gridIndex >= 0 && std::size_t(c.gridIndex) < m_data->points.size()) {
            const CodecParams &p = m_data->points[std::size_t(c.gridIndex)].params;
            head += tr(": U %1 · l %2 · K %3%4 with rANS-coded indices (same error)")
                        .arg(p.samples)
                        .arg(num(p.box))
                        .arg(p.autoClasses ? tr("auto:") : QString())
                        .arg(p.classes);
        }
        break;
    case ComparisonKind::Nf4Block64:
        break;
    }
    return head + QLatin1Char('\n') + tr("ratio %1× · %2 b/w").arg(num(c.ratio), num(c.bitsPerWeight)) +
           QLatin1Char('\n') +
           tr("rel. error %1 · MAE %2 · SQNR %3 dB").arg(num(c.metrics.relFro), num(c.metrics.mae), num(c.metrics.sqnrDb));
}

} // namespace hc
