#include "widgets/cloudpointsitem.h"

#include <QChart>
#include <QPainter>
#include <QPolygonF>

#include <cmath>

namespace hc {

CloudPointsItem::CloudPointsItem(QChart *chart) : QGraphicsItem(chart), m_chart(chart)
{
    // Above the grid and axes (z 2, 3 in Qt Charts), below every series (z 4).
    setZValue(3.5);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
}

QImage CloudPointsItem::marker(const QColor &fill, const QColor &border, qreal size, bool diamond)
{
    const int side = int(std::ceil(size)) + 2;
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(border.alpha() ? QPen(border, 0.8) : QPen(Qt::NoPen));
    p.setBrush(fill);
    const QPointF c(side / 2.0, side / 2.0);
    const qreal r = size / 2.0;
    if (diamond)
        p.drawPolygon(QPolygonF{{c.x(), c.y() - r}, {c.x() + r, c.y()}, {c.x(), c.y() + r}, {c.x() - r, c.y()}});
    else
        p.drawEllipse(c, r, r);
    return image;
}

void CloudPointsItem::setLayers(std::vector<Layer> layers)
{
    m_layers = std::move(layers);
    m_dirty = true;
    update();
}

void CloudPointsItem::setRange(const QRectF &range)
{
    if (range == m_range)
        return;
    m_range = range;
    m_dirty = true;
    update();
}

void CloudPointsItem::plotAreaChanged()
{
    prepareGeometryChange();
    m_dirty = true;
    update();
}

QRectF CloudPointsItem::boundingRect() const
{
    return m_chart->plotArea();
}

void CloudPointsItem::render()
{
    m_dirty = false;
    m_area = m_chart->plotArea();
    const QSize size = m_area.size().toSize();
    if (size.isEmpty() || !(m_range.width() > 0) || !(m_range.height() > 0)) {
        m_cache = QImage();
        return;
    }
    if (m_cache.size() != size)
        m_cache = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_cache.fill(Qt::transparent);
    QPainter p(&m_cache);
    const double sx = double(size.width()) / m_range.width();
    const double sy = double(size.height()) / m_range.height();
    const double left = m_range.left(), bottom = m_range.bottom();
    for (const Layer &layer : m_layers) {
        if (layer.marker.isNull())
            continue;
        const double hw = layer.marker.width() / 2.0, hh = layer.marker.height() / 2.0;
        const double maxX = size.width() + hw, maxY = size.height() + hh;
        for (const QPointF &pt : layer.points) {
            // y grows upwards in value space, downwards in the image.
            const double x = (pt.x() - left) * sx;
            const double y = (bottom - pt.y()) * sy;
            if (x < -hw || y < -hh || x > maxX || y > maxY)
                continue;
            p.drawImage(QPointF(x - hw, y - hh), layer.marker);
        }
    }
}

void CloudPointsItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_dirty || m_area != m_chart->plotArea())
        render();
    if (!m_cache.isNull())
        painter->drawImage(m_area.topLeft(), m_cache);
}

} // namespace hc
