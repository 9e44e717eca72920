#pragma once

#include <QMargins>
#include <Qt>

class QChart;

namespace hc {

// The workbench's chart look, in one place: no animation, small legend, bold title. Handed to the
// QChartView constructor so that the view owns it from the start (QChartView(parent) followed by
// setChart() would leak the default chart the view made first).
QChart *newStyledChart(Qt::Alignment legendAlignment, const QMargins &margins, bool legendMarkersFromSeries);

} // namespace hc
