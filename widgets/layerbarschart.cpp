#include "widgets/layerbarschart.h"

#include "widgets/chartstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QSet>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace hc {

namespace {

constexpr int kMaxLabelChars = 34;

QString elided(const QString &name)
{
    if (name.size() <= kMaxLabelChars)
        return name;
    return QChar(0x2026) + name.right(kMaxLabelChars - 1);
}

} // namespace

LayerBarsChart::LayerBarsChart(QWidget *parent)
    : QChartView(newStyledChart(Qt::AlignTop, QMargins(4, 4, 8, 4), false), parent)
{
    QChart *chart = this->chart();
    setRenderHint(QPainter::Antialiasing);

    m_series = new QHorizontalStackedBarSeries;
    m_series->setBarWidth(0.72);
    m_compressed = new QBarSet(QString());
    m_raw = new QBarSet(QString());
    m_raw->setColor(QColor(0xba, 0xb0, 0xac));
    m_raw->setBorderColor(QColor(0xba, 0xb0, 0xac).darker(120));
    setColor(QColor(0x4e, 0x79, 0xa7));
    m_series->append(m_compressed);
    m_series->append(m_raw);
    chart->addSeries(m_series);

    m_categories = new QBarCategoryAxis;
    m_values = new QValueAxis;
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_categories), static_cast<QAbstractAxis *>(m_values)}) {
        QFont f = axis->labelsFont();
        f.setPointSizeF(8.5);
        axis->setLabelsFont(f);
    }
    m_values->setLabelFormat(m_labelFormat);
    m_values->setTickCount(5);
    m_values->setRange(0, 1);
    chart->addAxis(m_categories, Qt::AlignLeft);
    chart->addAxis(m_values, Qt::AlignTop); // on top: readable without scrolling to the end
    m_series->attachAxis(m_categories);
    m_series->attachAxis(m_values);

    connect(m_series, &QHorizontalStackedBarSeries::hovered, this, &LayerBarsChart::onHovered);
    setMinimumHeight(160);
    rebuild();
}

void LayerBarsChart::setTitle(const QString &title)
{
    m_title = title;
    rebuild();
}

void LayerBarsChart::setValueTitle(const QString &title)
{
    m_values->setTitleText(title);
}

void LayerBarsChart::setColor(const QColor &colour)
{
    m_compressed->setColor(colour);
    m_compressed->setBorderColor(colour.darker(120));
}

void LayerBarsChart::setValueFormat(const QString &labelFormat, double scale)
{
    m_labelFormat = labelFormat;
    m_scale = scale;
    m_values->setLabelFormat(labelFormat);
    rebuild();
}

void LayerBarsChart::setCategoryLabelsVisible(bool visible)
{
    m_categories->setLabelsVisible(visible);
}

void LayerBarsChart::setLegendNames(const QString &compressed, const QString &raw)
{
    m_compressed->setLabel(compressed);
    m_raw->setLabel(raw);
}

void LayerBarsChart::setBars(const QList<Bar> &bars)
{
    m_bars = bars;
    rebuild();
}

QStringList LayerBarsChart::categories() const
{
    QStringList c = m_categories->categories();
    std::reverse(c.begin(), c.end());
    return c;
}

QSize LayerBarsChart::sizeHint() const
{
    return {420, 120 + kRowHeight * std::max(3, int(m_shown.size()))};
}

void LayerBarsChart::rebuild()
{
    m_shown = m_bars.mid(0, kMaxBars);
    const int n = int(m_shown.size());
    QString title = m_title;
    if (m_bars.size() > m_shown.size())
        title = tr("%1 (first %2 of %3 layers)").arg(m_title).arg(n).arg(m_bars.size());
    chart()->setTitle(title);

    // A horizontal bar chart puts category 0 at the bottom: add them last to first so that the
    // model reads from the top. Category names must be unique for the axis.
    QStringList names;
    QList<qreal> compressed, raw;
    QSet<QString> seen;
    double largest = 0;
    for (int i = n - 1; i >= 0; --i) {
        const Bar &b = m_shown[i];
        QString label = elided(b.name);
        while (seen.contains(label))
            label += QChar(0x200B); // zero-width space: looks the same, stays unique
        seen.insert(label);
        names.append(label);
        const double v = std::isfinite(b.value) ? b.value * m_scale : 0.0;
        compressed.append(b.raw ? 0.0 : v);
        raw.append(b.raw ? v : 0.0);
        largest = std::max(largest, v);
    }
    m_compressed->remove(0, m_compressed->count());
    m_raw->remove(0, m_raw->count());
    m_compressed->append(compressed);
    m_raw->append(raw);
    m_categories->clear();
    m_categories->append(names);
    m_values->setRange(0, largest > 0 ? largest * 1.05 : 1.0);
    m_values->applyNiceNumbers();
    updateGeometry();
}

void LayerBarsChart::onHovered(bool status, int index, QBarSet *set)
{
    if (!status || index < 0 || index >= m_shown.size()) {
        QToolTip::hideText();
        return;
    }
    const Bar &b = m_shown[m_shown.size() - 1 - index];
    const QString value = QString::asprintf(m_labelFormat.toLatin1().constData(), b.value * m_scale);
    QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2: %3").arg(b.name, set->label(), value), this);
}

} // namespace hc
