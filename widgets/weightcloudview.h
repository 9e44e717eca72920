#pragma once

#include "widgets/layerevaluation.h"

#include <QChartView>
#include <QColor>
#include <QList>
#include <QRectF>
#include <QString>

class QAction;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace hc {

class CloudPointsItem;

// The weight cloud of one layer (Qt Charts): its pairs as a scatter coloured by class (class 0 and
// each outlier ring its own colour, with a legend), the centre box, the ring circles r_1..r_K and
// the U + 1 trajectory samples. Zoom with the wheel or a rubber band, pan by dragging with the
// middle button or with Shift held; "Fit box" and "Fit all" reset the view. Both axes keep the
// same scale so that circles stay round.
// Large layers arrive thinned (CloudSample) and the chart says so. On the raster path the points
// are drawn by a CloudPointsItem and the scatter series only carry the legend. OpenGL scatter series are a
// switch that is off unless a GL context can be made: they neither draw under the offscreen
// platform nor appear in QWidget::grab(). GUI thread only.
class WeightCloudView : public QChartView {
    Q_OBJECT

public:
    explicit WeightCloudView(QWidget *parent = nullptr);

    void setEvaluation(const LayerEvaluationPtr &evaluation, const QString &layerName);
    void clear();

    // Whether OpenGL series can draw here (a real GUI platform and a GL context).
    static bool openGLAvailable();
    void setOpenGLEnabled(bool enabled); // ignored when not available
    bool openGLEnabled() const { return m_openGL; }

    QAction *fitBoxAction() const { return m_fitBoxAction; }
    QAction *fitAllAction() const { return m_fitAllAction; }
    void fitBox();
    void fitAll();

    // What the chart holds (for tests and the status bar).
    const QList<QScatterSeries *> &classSeries() const { return m_classSeries; }
    QScatterSeries *samplesSeries() const { return m_samples; }
    QLineSeries *boxSeries() const { return m_box; }
    const QList<QLineSeries *> &ringSeries() const { return m_rings; }
    // Raster path: the points drawn per class, then the samples (the series hold none).
    const CloudPointsItem *pointsItem() const { return m_points; }
    QString noteText() const { return m_noteText; }
    QRectF visibleRange() const;

    static QColor classColor(int k);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    enum class Fit { Box, All, User };

    void retranslateUi();
    void ensureClassSeries(int count);
    void applyRange(const QRectF &wanted);
    void refit();
    void placeNote();

    QValueAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
    QList<QScatterSeries *> m_classSeries;
    QScatterSeries *m_samples = nullptr;
    QLineSeries *m_box = nullptr;
    QList<QLineSeries *> m_rings;
    CloudPointsItem *m_points = nullptr;
    QGraphicsSimpleTextItem *m_note = nullptr;
    QString m_noteText;
    QAction *m_fitBoxAction = nullptr;
    QAction *m_fitAllAction = nullptr;

    LayerEvaluationPtr m_evaluation;
    QString m_layerName;
    Fit m_fit = Fit::All;
    bool m_openGL = false;
    bool m_panning = false;
    QPoint m_lastPan;
};

} // namespace hc
