#include "widgets/chartstyle.h"

#include <QChart>
#include <QLegend>

namespace hc {

QChart *newStyledChart(Qt::Alignment legendAlignment, const QMargins &margins, bool legendMarkersFromSeries)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(margins);
    chart->legend()->setAlignment(legendAlignment);
    if (legendMarkersFromSeries)
        chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    QFont legendFont = chart->legend()->font();
    legendFont.setPointSizeF(8.5);
    chart->legend()->setFont(legendFont);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(10.5);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    return chart;
}

} // namespace hc
