#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QRectF>

#include <vector>

class QChart;

namespace hc {

// Draws the weight cloud's points inside a chart's plot area, one marker image per point.
// Qt Charts' raster scatter series keeps one QGraphicsItem per point, which takes seconds to build
// and tear down for tens of thousands of points (Qt 6.4); this item draws them all in one paint()
// from a cached image that is redrawn only when the points, the axis ranges or the plot area change.
// Layers are drawn in order (the classes, then the trajectory samples on top). GUI thread only.
class CloudPointsItem : public QGraphicsItem {
public:
    explicit CloudPointsItem(QChart *chart);

    struct Layer {
        QList<QPointF> points; // in value coordinates
        QImage marker;         // drawn centred on each point
    };
    void setLayers(std::vector<Layer> layers);
    const std::vector<Layer> &layers() const { return m_layers; }
    // The visible value range (the axes' ranges); call when they change.
    void setRange(const QRectF &range);
    // The plot area moved or resized.
    void plotAreaChanged();

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    static QImage marker(const QColor &fill, const QColor &border, qreal size, bool diamond);

private:
    void render();

    QChart *m_chart;
    std::vector<Layer> m_layers;
    QRectF m_range;
    QRectF m_area;
    QImage m_cache;
    bool m_dirty = true;
};

} // namespace hc
