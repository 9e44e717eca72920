#include "widgets/weightcloudview.h"

#include <QFontMetricsF>

#include "widgets/chartstyle.h"

#include "core/codec/classrings.h"
#include "core/codec/trajectorycodebook.h"
#include "widgets/cloudpointsitem.h"
#include "widgets/numberformat.h"

#include <QAction>
#include <QGraphicsSimpleTextItem>
#include <QGuiApplication>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QPainter>
#include <QScatterSeries>
#include <QTimer>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace hc {

namespace {

constexpr int kRingPoints = 241;
constexpr std::size_t kMaxSamplesShown = 20000;

void attach(QChart *chart, QAbstractSeries *series, QValueAxis *x, QValueAxis *y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

} // namespace

QColor WeightCloudView::classColor(int k)
{
    // Class 0 in a calm blue, the outlier rings in colours that stay apart from it and each other
    // (Tableau 10 order, red kept for the worst ring when K is small).
    static const QColor colours[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f),
                                     QColor(0xe1, 0x57, 0x59), QColor(0xb0, 0x7a, 0xa1), QColor(0x9c, 0x75, 0x5f),
                                     QColor(0xed, 0xc9, 0x48), QColor(0x76, 0xb7, 0xb2), QColor(0xff, 0x9d, 0xa7)};
    constexpr int n = int(sizeof(colours) / sizeof(colours[0]));
    return k <= 0 ? colours[0] : colours[1 + (k - 1) % (n - 1)];
}

bool WeightCloudView::openGLAvailable()
{
    const QString platform = QGuiApplication::platformName();
    if (platform == QLatin1String("offscreen") || platform == QLatin1String("minimal"))
        return false;
    QOpenGLContext context;
    return context.create();
}

WeightCloudView::WeightCloudView(QWidget *parent)
    : QChartView(newStyledChart(Qt::AlignBottom, QMargins(6, 6, 6, 6), true), parent)
{
    QChart *chart = this->chart();
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setMinimumSize(360, 320);

    m_axisX = new QValueAxis;
    m_axisY = new QValueAxis;
    for (QValueAxis *axis : {m_axisX, m_axisY}) {
        axis->setLabelFormat(QStringLiteral("%.3g"));
        axis->setTickCount(7);
        axis->setRange(-1, 1);
        QFont f = axis->labelsFont();
        f.setPointSizeF(8.5);
        axis->setLabelsFont(f);
    }
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisY, Qt::AlignLeft);

    m_samples = new QScatterSeries;
    m_samples->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
    m_samples->setMarkerSize(6.5);
    m_samples->setColor(QColor(0x1f, 0x1f, 0x1f));
    m_samples->setBorderColor(QColor(255, 255, 255, 200));

    m_box = new QLineSeries;
    QPen boxPen(QColor(0x20, 0x20, 0x20));
    boxPen.setWidthF(1.6);
    m_box->setPen(boxPen);

    m_points = new CloudPointsItem(chart);
    m_note = new QGraphicsSimpleTextItem(chart);
    m_note->setBrush(QColor(0x55, 0x55, 0x55));
    m_note->setZValue(20);

    m_fitBoxAction = new QAction(this);
    m_fitAllAction = new QAction(this);
    m_fitBoxAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_fitAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_9));
    connect(m_fitBoxAction, &QAction::triggered, this, &WeightCloudView::fitBox);
    connect(m_fitAllAction, &QAction::triggered, this, &WeightCloudView::fitAll);
    // The axis labels change width with the range, which moves the plot area: keep circles round.
    auto rangeChanged = [this] { m_points->setRange(visibleRange()); };
    connect(m_axisX, &QValueAxis::rangeChanged, this, rangeChanged);
    connect(m_axisY, &QValueAxis::rangeChanged, this, rangeChanged);
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        m_points->plotAreaChanged();
        placeNote();
        QTimer::singleShot(0, this, [this] {
            const QRectF area = this->chart()->plotArea();
            const QRectF range = visibleRange();
            if (area.width() <= 0 || area.height() <= 0 || range.width() <= 0 || range.height() <= 0)
                return;
            const double aspectPixels = area.width() / area.height();
            const double aspectRange = range.width() / range.height();
            if (std::abs(aspectPixels / aspectRange - 1.0) > 0.01)
                applyRange(range);
        });
    });

    ensureClassSeries(1);
    retranslateUi();
    clear();
}

void WeightCloudView::retranslateUi()
{
    m_fitBoxAction->setText(tr("Fit &Box"));
    m_fitBoxAction->setToolTip(tr("Zoom to the centre box and its trajectory samples"));
    m_fitAllAction->setText(tr("Fit &All"));
    m_fitAllAction->setToolTip(tr("Zoom out to every pair of the layer"));
    m_axisX->setTitleText(tr("w[2i]"));
    m_axisY->setTitleText(tr("w[2i+1]"));
    m_box->setName(tr("Box"));
    for (int k = 0; k < m_classSeries.size(); ++k)
        m_classSeries[k]->setName(tr("Class %1").arg(k));
    m_samples->setName(tr("Samples"));
    if (m_evaluation)
        setEvaluation(m_evaluation, m_layerName);
}

void WeightCloudView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QChartView::changeEvent(event);
}

void WeightCloudView::ensureClassSeries(int count)
{
    const int rings = std::max(0, count - 1);
    if (m_classSeries.size() == count && m_rings.size() == rings && !chart()->series().isEmpty())
        return;
    // Series draw in the order they were added: the cloud first, then the rings, box and samples.
    QChart *c = chart();
    for (QAbstractSeries *s : c->series())
        c->removeSeries(s);
    while (m_classSeries.size() > count)
        delete m_classSeries.takeLast();
    while (m_rings.size() > rings)
        delete m_rings.takeLast();
    while (m_classSeries.size() < count) {
        auto *s = new QScatterSeries;
        const int k = int(m_classSeries.size());
        QColor colour = classColor(k);
        colour.setAlpha(k == 0 ? 150 : 200);
        s->setColor(colour);
        s->setBorderColor(Qt::transparent);
        s->setPen(QPen(Qt::NoPen));
        s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        s->setMarkerSize(k == 0 ? 4.5 : 5.5);
        s->setName(tr("Class %1").arg(k));
        s->setUseOpenGL(m_openGL);
        m_classSeries.append(s);
    }
    while (m_rings.size() < rings) {
        auto *s = new QLineSeries;
        QPen pen(classColor(int(m_rings.size()) + 1).darker(115));
        pen.setWidthF(1.3);
        pen.setStyle(Qt::DashLine);
        s->setPen(pen);
        m_rings.append(s);
    }
    for (QScatterSeries *s : m_classSeries)
        attach(c, s, m_axisX, m_axisY);
    for (QLineSeries *s : m_rings)
        attach(c, s, m_axisX, m_axisY);
    attach(c, m_box, m_axisX, m_axisY);
    attach(c, m_samples, m_axisX, m_axisY);
    for (QLineSeries *s : m_rings)
        for (QLegendMarker *marker : c->legend()->markers(s))
            marker->setVisible(false);
}

void WeightCloudView::setOpenGLEnabled(bool enabled)
{
    const bool on = enabled && openGLAvailable();
    if (on == m_openGL)
        return;
    m_openGL = on;
    for (QScatterSeries *s : m_classSeries)
        s->setUseOpenGL(m_openGL);
    m_samples->setUseOpenGL(m_openGL);
    if (m_evaluation)
        setEvaluation(m_evaluation, m_layerName);
}

void WeightCloudView::clear()
{
    m_evaluation.reset();
    m_layerName.clear();
    ensureClassSeries(1);
    m_classSeries[0]->clear();
    m_samples->clear();
    m_points->setLayers({});
    m_box->clear();
    m_noteText.clear();
    m_note->setText(QString());
    chart()->setTitle(QString());
    m_fit = Fit::All;
}

void WeightCloudView::setEvaluation(const LayerEvaluationPtr &evaluation, const QString &layerName)
{
    if (!evaluation) {
        clear();
        return;
    }
    const bool sameLayer = m_evaluation && m_evaluation->layer == evaluation->layer && layerName == m_layerName;
    m_evaluation = evaluation;
    m_layerName = layerName;
    const EncodedTensor &e = evaluation->encoded;
    const CloudSample &cloud = evaluation->cloud;
    const int classCount = std::max<int>(1, int(cloud.points.size()));
    ensureClassSeries(classCount);

    // OpenGL series draw any number of points; on the raster path the series only name the classes
    // in the legend and CloudPointsItem draws the points.
    std::vector<CloudPointsItem::Layer> layers;
    for (int k = 0; k < classCount; ++k) {
        QScatterSeries *s = m_classSeries[k];
        const QList<QPointF> points = k < int(cloud.points.size()) ? cloud.points[std::size_t(k)] : QList<QPointF>();
        if (m_openGL) {
            s->replace(points);
        } else {
            s->clear();
            layers.push_back({points, CloudPointsItem::marker(s->color(), Qt::transparent, s->markerSize(), false)});
        }
    }

    const double cx = e.centreX, cy = e.centreY, half = e.box / 2;
    m_box->replace(QList<QPointF>{{cx - half, cy - half}, {cx + half, cy - half}, {cx + half, cy + half},
                                  {cx - half, cy + half}, {cx - half, cy - half}});

    const ClassRings rings(e.box, e.farthest, e.classes);
    for (int k = 1; k <= int(m_rings.size()); ++k) {
        const double r = rings.radius(k);
        QList<QPointF> circle;
        circle.reserve(kRingPoints);
        for (int i = 0; i < kRingPoints; ++i) {
            const double a = 2.0 * M_PI * double(i) / double(kRingPoints - 1);
            circle.append(QPointF(cx + r * std::cos(a), cy + r * std::sin(a)));
        }
        m_rings[k - 1]->replace(circle);
    }

    const TrajectoryCodebook codebook(cx, cy, e.box, e.samples);
    const std::size_t count = codebook.size();
    const std::size_t stride = (count + kMaxSamplesShown - 1) / kMaxSamplesShown;
    QList<QPointF> samples;
    samples.reserve(qsizetype(count / stride + 1));
    for (std::size_t j = 0; j < count; j += stride)
        samples.append(QPointF(codebook.x(j), codebook.y(j)));
    if (m_openGL) {
        m_samples->replace(samples);
    } else {
        m_samples->clear();
        layers.push_back({samples, CloudPointsItem::marker(m_samples->color(), QColor(255, 255, 255, 220), 7.0, true)});
    }
    m_points->setLayers(std::move(layers));

    chart()->setTitle(layerName);
    const QString settings = tr("U %1 · l %2 · K %3").arg(e.samples).arg(QString::number(e.box, 'g', 4)).arg(e.classes);
    if (cloud.thinned())
        m_noteText = tr("Showing %1 of %2 pairs (an even subsample; the readouts use all pairs) · %3")
                         .arg(groupedCount(cloud.shownCount), groupedCount(cloud.pairCount), settings);
    else
        m_noteText = tr("%1 pairs · %2").arg(groupedCount(cloud.pairCount), settings);
    m_note->setText(m_noteText);
    placeNote();
    placeNote();

    if (!sameLayer && m_fit == Fit::User)
        m_fit = Fit::All;
    refit();
}

void WeightCloudView::placeNote()
{
    const QRectF area = chart()->plotArea();
    m_note->setPos(area.left() + 6, area.top() + 4);
    // Elided to the plot's width; the whole sentence stays in the tooltip.
    const QFontMetricsF metrics(m_note->font());
    m_note->setText(metrics.elidedText(m_noteText, Qt::ElideRight, std::max(40.0, area.width() - 12)));
    m_note->setToolTip(m_noteText);
}

QRectF WeightCloudView::visibleRange() const
{
    return QRectF(QPointF(m_axisX->min(), m_axisY->min()), QPointF(m_axisX->max(), m_axisY->max()));
}

void WeightCloudView::applyRange(const QRectF &wanted)
{
    if (!(wanted.width() > 0) || !(wanted.height() > 0))
        return;
    QRectF r = wanted;
    const QRectF area = chart()->plotArea();
    if (area.width() > 10 && area.height() > 10) {
        // Same units per pixel on both axes.
        const double scale = std::max(wanted.width() / area.width(), wanted.height() / area.height());
        const QSizeF size(scale * area.width(), scale * area.height());
        r = QRectF(QPointF(wanted.center().x() - size.width() / 2, wanted.center().y() - size.height() / 2), size);
    }
    m_axisX->setRange(r.left(), r.right());
    m_axisY->setRange(r.top(), r.bottom());
    // Ticks on round numbers (1, 2 or 5 times a power of ten), anchored at 0.
    const double raw = std::max(r.width(), r.height()) / 6.0;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power : 10 * power;
    for (QValueAxis *axis : {m_axisX, m_axisY}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
        axis->setTickInterval(step);
    }
}

void WeightCloudView::refit()
{
    if (!m_evaluation)
        return;
    const EncodedTensor &e = m_evaluation->encoded;
    const CloudSample &cloud = m_evaluation->cloud;
    QRectF wanted;
    if (m_fit == Fit::Box) {
        const double half = e.box / 2 * 1.12;
        wanted = QRectF(QPointF(e.centreX - half, e.centreY - half), QPointF(e.centreX + half, e.centreY + half));
    } else if (m_fit == Fit::All) {
        const double r = std::max(e.farthest, e.box / 2 * 1.12) * 1.04;
        wanted = QRectF(QPointF(e.centreX - r, e.centreY - r), QPointF(e.centreX + r, e.centreY + r));
        if (cloud.pairCount > 0)
            wanted = wanted.united(QRectF(QPointF(cloud.minX, cloud.minY), QPointF(cloud.maxX, cloud.maxY)));
    } else {
        wanted = visibleRange();
    }
    applyRange(wanted);
}

void WeightCloudView::fitBox()
{
    m_fit = Fit::Box;
    refit();
}

void WeightCloudView::fitAll()
{
    m_fit = Fit::All;
    refit();
}

void WeightCloudView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    refit();
    placeNote();
}

void WeightCloudView::wheelEvent(QWheelEvent *event)
{
    if (!m_evaluation || event->angleDelta().y() == 0) {
        QChartView::wheelEvent(event);
        return;
    }
    const double factor = std::pow(0.85, event->angleDelta().y() / 120.0);
    const QPointF at = chart()->mapToValue(event->position());
    const QRectF r = visibleRange();
    const QRectF zoomed(QPointF(at.x() - (at.x() - r.left()) * factor, at.y() - (at.y() - r.top()) * factor),
                        QPointF(at.x() + (r.right() - at.x()) * factor, at.y() + (r.bottom() - at.y()) * factor));
    m_fit = Fit::User;
    applyRange(zoomed);
    event->accept();
}

void WeightCloudView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier))) {
        m_panning = true;
        m_lastPan = event->position().toPoint();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void WeightCloudView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint pos = event->position().toPoint();
        const QPoint delta = pos - m_lastPan;
        m_lastPan = pos;
        chart()->scroll(-delta.x(), delta.y());
        m_fit = Fit::User;
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void WeightCloudView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
    // A rubber band (or the right-click zoom-out) sets any aspect: square it up again.
    if (event->button() == Qt::LeftButton || event->button() == Qt::RightButton) {
        m_fit = Fit::User;
        applyRange(visibleRange());
    }
}

} // namespace hc
