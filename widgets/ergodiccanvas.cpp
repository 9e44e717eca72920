#include "widgets/ergodiccanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace hc {

namespace {

constexpr double kLeft = 62, kRight = 18, kBottom = 40, kTitle = 26;

const QColor kTrajectory(58, 126, 196);
const QColor kSample(28, 38, 56);
const QColor kBoxFill(236, 242, 250);
const QColor kBoxEdge(70, 90, 115);
const QColor kGrid(232, 234, 238);
const QColor kAxisText(90, 96, 105);
const QColor kDecoded(30, 150, 60);
const QColor kError(200, 30, 40);

double niceStep(double span, int ticks)
{
    const double raw = span / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

struct LegendItem {
    enum Kind { Line, Dot, Diamond, Box, Dashed, Pair, Hollow, Cross } kind;
    QString text;
    QColor colour;
};

void drawSymbol(QPainter &p, LegendItem::Kind kind, QPointF at, QColor colour)
{
    p.save();
    switch (kind) {
    case LegendItem::Line:
        p.setPen(QPen(colour, 2));
        p.drawLine(at - QPointF(9, 0), at + QPointF(9, 0));
        break;
    case LegendItem::Dot:
        p.setPen(QPen(Qt::white, 0.8));
        p.setBrush(colour);
        p.drawEllipse(at, 3.2, 3.2);
        break;
    case LegendItem::Diamond: {
        QPolygonF d;
        d << at + QPointF(0, -5) << at + QPointF(5, 0) << at + QPointF(0, 5) << at + QPointF(-5, 0);
        p.setPen(QPen(Qt::white, 1));
        p.setBrush(QColor(30, 30, 35));
        p.drawPolygon(d);
        break;
    }
    case LegendItem::Box:
        p.setPen(QPen(kBoxEdge, 1.2));
        p.setBrush(kBoxFill);
        p.drawRect(QRectF(at - QPointF(7, 5), QSizeF(14, 10)));
        break;
    case LegendItem::Dashed:
        p.setPen(QPen(colour, 1.5, Qt::DashLine));
        p.drawLine(at - QPointF(9, 0), at + QPointF(9, 0));
        break;
    case LegendItem::Pair:
        p.setPen(QPen(QColor(20, 20, 25), 1.2));
        p.setBrush(colour);
        p.drawEllipse(at, 5, 5);
        break;
    case LegendItem::Hollow:
        p.setPen(QPen(colour, 2));
        p.setBrush(Qt::white);
        p.drawEllipse(at, 4.5, 4.5);
        break;
    case LegendItem::Cross:
        p.setPen(QPen(colour, 2.4, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(at + QPointF(-4.5, -4.5), at + QPointF(4.5, 4.5));
        p.drawLine(at + QPointF(-4.5, 4.5), at + QPointF(4.5, -4.5));
        break;
    }
    p.restore();
}

// With `reserve`, every item that can appear: the plot keeps its place when a pair is chosen.
std::vector<LegendItem> legendItems(const ErgodicScene &scene, bool reserve = false)
{
    std::vector<LegendItem> items{{LegendItem::Line, ErgodicCanvas::tr("trajectory θ·a mod l"), kTrajectory},
                                  {LegendItem::Dot, ErgodicCanvas::tr("samples, θ = 0 … U−1"), kSample},
                                  {LegendItem::Diamond, ErgodicCanvas::tr("centre c"), Qt::black},
                                  {LegendItem::Box, ErgodicCanvas::tr("box l × l"), kBoxEdge}};
    if (reserve || scene.rings.size() > 1)
        items.push_back({LegendItem::Dashed, ErgodicCanvas::tr("class rings"), ErgodicCanvas::classColour(1)});
    if (reserve || scene.selection.valid) {
        const QColor c = ErgodicCanvas::classColour(scene.selection.classIndex);
        items.push_back({LegendItem::Pair, ErgodicCanvas::tr("pair p"), c});
        if (reserve || scene.selection.classIndex > 0)
            items.push_back({LegendItem::Hollow, ErgodicCanvas::tr("pulled in q"), c});
        items.push_back({LegendItem::Cross, ErgodicCanvas::tr("decoded p′"), kDecoded});
    }
    return items;
}

struct PlacedItem {
    LegendItem item;
    QPointF symbol;
    QPointF text;
};

// A legend that flows left to right above the plot and wraps to more rows when narrow.
std::vector<PlacedItem> layoutLegend(const std::vector<LegendItem> &items, const QFontMetricsF &fm, double left,
                                     double top, double width, double &height)
{
    const double rowH = fm.height() + 6;
    std::vector<PlacedItem> out;
    double x = left, y = top;
    for (const LegendItem &it : items) {
        const double w = 26 + fm.horizontalAdvance(it.text) + 16;
        if (x > left && x + w > left + width) {
            x = left;
            y += rowH;
        }
        out.push_back({it, QPointF(x + 10, y + rowH / 2), QPointF(x + 26, y + rowH / 2 + fm.ascent() / 2 - 1.5)});
        x += w;
    }
    height = items.empty() ? 0 : y + rowH - top;
    return out;
}

} // namespace

ErgodicCanvas::ErgodicCanvas(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAutoFillBackground(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QColor ErgodicCanvas::classColour(int k)
{
    static const QColor colours[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                     QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                     QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34)};
    return colours[std::size_t(std::max(0, k)) % (sizeof colours / sizeof colours[0])];
}

void ErgodicCanvas::setScene(ErgodicScene scene)
{
    m_scene = std::move(scene);
    update();
}

QRectF ErgodicCanvas::dataRect() const
{
    const double cx = m_scene.centreX, cy = m_scene.centreY;
    double half = 0.62 * m_scene.box;
    // Make room for a chosen pair that lies far outside the box, and for where it decodes to.
    const auto &s = m_scene.selection;
    if (s.valid) {
        for (const QPointF &q : {s.point, s.decoded})
            half = std::max(half, 1.08 * std::max(std::fabs(q.x() - cx), std::fabs(q.y() - cy)));
    }
    if (!(half > 0) || !std::isfinite(half))
        half = 1;
    return QRectF(cx - half, cy - half, 2 * half, 2 * half);
}

QRectF ErgodicCanvas::plotRect() const
{
    double legend = 0;
    layoutLegend(legendItems(m_scene, true), QFontMetricsF(font()), kLeft, kTitle + 6, width() - kLeft - kRight, legend);
    const double top = kTitle + 6 + legend + 8;
    const double w = width() - kLeft - kRight;
    const double h = height() - top - kBottom;
    const double side = std::max(10.0, std::min(w, h));
    return QRectF(kLeft + (w - side) / 2, top + (h - side) / 2, side, side);
}

QPointF ErgodicCanvas::toPixel(QPointF d) const
{
    const QRectF plot = plotRect(), data = dataRect();
    return {plot.left() + (d.x() - data.left()) / data.width() * plot.width(),
            plot.bottom() - (d.y() - data.top()) / data.height() * plot.height()};
}

QPointF ErgodicCanvas::toData(QPointF px) const
{
    const QRectF plot = plotRect(), data = dataRect();
    return {data.left() + (px.x() - plot.left()) / plot.width() * data.width(),
            data.top() + (plot.bottom() - px.y()) / plot.height() * data.height()};
}

void ErgodicCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && plotRect().contains(event->position())) {
        const QPointF d = toData(event->position());
        Q_EMIT pointClicked(d.x(), d.y());
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void ErgodicCanvas::mouseMoveEvent(QMouseEvent *event)
{
    setCursor(plotRect().contains(event->position()) ? Qt::CrossCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void ErgodicCanvas::drawAxes(QPainter &p, const QRectF &plot, const QRectF &data) const
{
    const double step = niceStep(data.width(), 6);
    p.setFont(font());
    const QFontMetricsF fm(font());
    auto label = [step](double v) {
        v = std::round(v / step) * step;
        if (std::fabs(v) < step * 1e-6)
            v = 0;
        return QString::number(v, 'g', 4);
    };
    for (double v = std::ceil(data.left() / step) * step; v <= data.right() + 1e-12; v += step) {
        const double x = plot.left() + (v - data.left()) / data.width() * plot.width();
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(kAxisText);
        const QString t = label(v);
        p.drawText(QPointF(x - fm.horizontalAdvance(t) / 2, plot.bottom() + fm.ascent() + 6), t);
    }
    for (double v = std::ceil(data.top() / step) * step; v <= data.bottom() + 1e-12; v += step) {
        const double y = plot.bottom() - (v - data.top()) / data.height() * plot.height();
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kAxisText);
        const QString t = label(v);
        p.drawText(QPointF(plot.left() - fm.horizontalAdvance(t) - 7, y + fm.ascent() / 2 - 1), t);
    }
    p.setPen(kAxisText);
    p.drawText(QPointF(plot.right() - fm.horizontalAdvance(tr("first weight of the pair")),
                       plot.bottom() + 2 * fm.height() + 4),
               tr("first weight of the pair"));
    p.save();
    p.translate(14, plot.center().y() + fm.horizontalAdvance(tr("second weight")) / 2);
    p.rotate(-90);
    p.drawText(QPointF(0, 0), tr("second weight"));
    p.restore();
}

void ErgodicCanvas::drawLegend(QPainter &p, const QRectF &) const
{
    const QFontMetricsF fm(font());
    double height = 0;
    p.save();
    for (const PlacedItem &it : layoutLegend(legendItems(m_scene), fm, kLeft, kTitle + 6, width() - kLeft - kRight, height)) {
        drawSymbol(p, it.item.kind, it.symbol, it.item.colour);
        p.setPen(QColor(40, 44, 52));
        p.drawText(it.text, it.item.text);
    }
    p.restore();
}

void ErgodicCanvas::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(rect(), palette().color(QPalette::Base));

    const QRectF plot = plotRect();
    const QRectF data = dataRect();
    const double pxPerUnit = plot.width() / data.width();

    p.fillRect(plot, Qt::white);
    drawAxes(p, plot, data);

    p.save();
    p.setClipRect(plot);

    // The layer's own pairs, faint, behind everything.
    if (!m_scene.cloud.empty()) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(120, 125, 135, 60));
        for (const QPointF &c : m_scene.cloud)
            p.drawEllipse(toPixel(c), 1.6, 1.6);
    }

    const double half = m_scene.box / 2;
    const QRectF boxPx(toPixel(QPointF(m_scene.centreX - half, m_scene.centreY + half)),
                       toPixel(QPointF(m_scene.centreX + half, m_scene.centreY - half)));
    p.setPen(Qt::NoPen);
    p.setBrush(kBoxFill);
    p.drawRect(boxPx);

    // Class rings: r_0 is the inscribed circle that outliers are pulled into.
    const QPointF centrePx = toPixel(QPointF(m_scene.centreX, m_scene.centreY));
    for (std::size_t k = 0; k < m_scene.rings.size(); ++k) {
        const double r = m_scene.rings[k] * pxPerUnit;
        QColor c = k == 0 ? QColor(150, 160, 175) : classColour(int(k));
        p.setPen(QPen(c, k == 0 ? 1.0 : 1.4, k == 0 ? Qt::DotLine : Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(centrePx, r, r);
    }

    p.setPen(QPen(kBoxEdge, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawRect(boxPx);

    // The trajectory, one straight piece between two wraps.
    if (!m_scene.trajectory.empty()) {
        QPainterPath path;
        for (const QLineF &l : m_scene.trajectory) {
            path.moveTo(toPixel(l.p1()));
            path.lineTo(toPixel(l.p2()));
        }
        QColor c = kTrajectory;
        c.setAlpha(190);
        p.setPen(QPen(c, 1.4, Qt::SolidLine, Qt::RoundCap));
        p.drawPath(path);
    }

    const double dotR = std::clamp(boxPx.width() / std::sqrt(double(std::max<std::size_t>(1, m_scene.samples.size()))) / 6.0, 1.2, 3.6);
    p.setPen(QPen(QColor(255, 255, 255, 200), 0.8));
    p.setBrush(kSample);
    for (const QPointF &s : m_scene.samples)
        p.drawEllipse(toPixel(s), dotR, dotR);

    if (m_scene.hasHead) {
        const QPointF h = toPixel(m_scene.head);
        p.setPen(QPen(Qt::white, 1.5));
        p.setBrush(kTrajectory.darker(130));
        p.drawEllipse(h, 4.5, 4.5);
    }

    {
        QPolygonF d;
        d << centrePx + QPointF(0, -6) << centrePx + QPointF(6, 0) << centrePx + QPointF(0, 6)
          << centrePx + QPointF(-6, 0);
        p.setPen(QPen(Qt::white, 1.2));
        p.setBrush(QColor(30, 30, 35));
        p.drawPolygon(d);
    }

    const auto &s = m_scene.selection;
    if (s.valid) {
        const QPointF pp = toPixel(s.point), qp = toPixel(s.pulled), sp = toPixel(s.sample), dp = toPixel(s.decoded);
        const QColor cc = classColour(s.classIndex);
        if (s.classIndex > 0) {
            // The pull towards the centre by s_k, and the way back out on decoding.
            p.setPen(QPen(QColor(110, 115, 125), 1.2, Qt::DashLine));
            p.drawLine(centrePx, pp);
            p.setPen(QPen(cc, 2));
            p.setBrush(Qt::white);
            p.drawEllipse(qp, 4.5, 4.5);
        }
        p.setPen(QPen(QColor(25, 25, 30), 1.6));
        p.drawLine(qp, sp);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(25, 25, 30), 2));
        p.drawEllipse(sp, dotR + 4, dotR + 4);
        p.setPen(QPen(kError, 1.5, Qt::DotLine));
        p.drawLine(pp, dp);
        p.setPen(QPen(QColor(20, 20, 25), 1.3));
        p.setBrush(cc);
        p.drawEllipse(pp, 5.5, 5.5);
        p.setPen(QPen(kDecoded, 2.6, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(dp + QPointF(-5, -5), dp + QPointF(5, 5));
        p.drawLine(dp + QPointF(-5, 5), dp + QPointF(5, -5));
    }
    p.restore();

    p.setPen(QPen(QColor(175, 180, 188), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    drawLegend(p, plot);

    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    p.setFont(titleFont);
    p.setPen(QColor(35, 40, 48));
    p.drawText(QRectF(kLeft, 4, width() - kLeft - kRight, kTitle), Qt::AlignLeft | Qt::AlignVCenter, m_scene.title);
}

} // namespace hc
