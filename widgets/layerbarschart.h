#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QString>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalStackedBarSeries;
class QValueAxis;

namespace hc {

// One horizontal bar per layer (Qt Charts, raster), in model order from the top: compressed layers
// in the chart's colour, layers stored raw in grey (two bar sets of one stacked series, so that the
// legend tells them apart). Its height grows with the layer count (kRowHeight per bar) so that it
// reads with hundreds of layers inside a scroll area; past kMaxBars the first kMaxBars are shown
// and the title says so. Long names are elided at the front (the end of a name tells layers apart);
// the full name is in the bar's tooltip. GUI thread only.
class LayerBarsChart : public QChartView {
    Q_OBJECT

public:
    struct Bar {
        QString name;
        double value = 0;
        bool raw = false;
    };
    static constexpr int kRowHeight = 26;
    static constexpr int kMaxBars = 400;

    explicit LayerBarsChart(QWidget *parent = nullptr);

    void setBars(const QList<Bar> &bars);
    void clear() { setBars({}); }
    void setTitle(const QString &title);
    void setValueTitle(const QString &title);
    void setColor(const QColor &colour);
    // printf-style, e.g. "%.3g"; `scale` multiplies the values for display (100 for percent).
    void setValueFormat(const QString &labelFormat, double scale = 1.0);
    void setCategoryLabelsVisible(bool visible);
    void setLegendNames(const QString &compressed, const QString &raw);

    // What the chart holds (for tests): one category per bar shown, in model order.
    QHorizontalStackedBarSeries *series() const { return m_series; }
    int barCount() const { return int(m_shown.size()); }
    double shownValue(int i) const { return m_shown.value(i).value; }
    QStringList categories() const;

    QSize sizeHint() const override;

private:
    void rebuild();
    void onHovered(bool status, int index, QBarSet *set);

    QHorizontalStackedBarSeries *m_series = nullptr;
    QBarSet *m_compressed = nullptr;
    QBarSet *m_raw = nullptr;
    QBarCategoryAxis *m_categories = nullptr;
    QValueAxis *m_values = nullptr;
    QList<Bar> m_bars;
    QList<Bar> m_shown; // model order
    QString m_title;
    double m_scale = 1.0;
    QString m_labelFormat = QStringLiteral("%.3g");
};

} // namespace hc
