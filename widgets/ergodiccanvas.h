#pragma once

#include <QLineF>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

#include <vector>

namespace hc {

// What the ergodic plot shows, in data coordinates (the weights' own units).
struct ErgodicScene {
    double centreX = 0, centreY = 0;
    double box = 0.1;
    std::vector<QLineF> trajectory;   // the wrapped line θ·a mod l up to the current θ
    bool hasHead = false;
    QPointF head;                     // where the trajectory is now
    std::vector<QPointF> samples;     // S_1 … S_n that the trajectory has left so far
    std::vector<double> rings;        // r_0 = l/2, r_1 … r_K (empty: none drawn)
    std::vector<QPointF> cloud;       // the layer's pairs (thinned), drawn faintly
    struct Selection {
        bool valid = false;
        int classIndex = 0;
        QPointF point;    // the chosen pair p
        QPointF pulled;   // q = c + s_k (p - c)
        QPointF sample;   // its nearest sample S_j
        QPointF decoded;  // what the decoder writes back
    } selection;
    QString title;
};

// The plot of the ergodic view, drawn with QPainter: equal scales on both axes, the box, the
// class rings, the trajectory, its samples and the chosen pair with the lines that show how it is
// encoded. A click inside the plot reports its data coordinates.
class ErgodicCanvas : public QWidget {
    Q_OBJECT
public:
    explicit ErgodicCanvas(QWidget *parent = nullptr);

    void setScene(ErgodicScene scene);
    const ErgodicScene &scene() const { return m_scene; }

    // The data rectangle on screen and the mapping both ways (valid after a resize).
    QRectF plotRect() const;
    QRectF dataRect() const;
    QPointF toPixel(QPointF data) const;
    QPointF toData(QPointF pixel) const;

    static QColor classColour(int k);

    QSize sizeHint() const override { return {620, 620}; }
    QSize minimumSizeHint() const override { return {280, 280}; }

Q_SIGNALS:
    void pointClicked(double x, double y);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    void drawAxes(QPainter &p, const QRectF &plot, const QRectF &data) const;
    void drawLegend(QPainter &p, const QRectF &plot) const;

    ErgodicScene m_scene;
};

} // namespace hc
