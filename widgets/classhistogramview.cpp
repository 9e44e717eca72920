#include "widgets/classhistogramview.h"

#include "widgets/weightcloudview.h"

#include <QPainter>

#include <algorithm>

namespace hc {

ClassHistogramView::ClassHistogramView(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ClassHistogramView::setCounts(const std::vector<std::uint64_t> &counts)
{
    m_counts = counts;
    updateGeometry();
    update();
}

int ClassHistogramView::rowHeight() const
{
    return fontMetrics().height() + 6;
}

QSize ClassHistogramView::sizeHint() const
{
    return {260, rowHeight() * std::max<int>(1, int(m_counts.size())) + 4};
}

QSize ClassHistogramView::minimumSizeHint() const
{
    return {180, sizeHint().height()};
}

void ClassHistogramView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    if (m_counts.empty()) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, tr("No layer evaluated yet"));
        return;
    }
    std::uint64_t total = 0, largest = 1;
    for (std::uint64_t c : m_counts) {
        total += c;
        largest = std::max(largest, c);
    }
    const int h = rowHeight();
    const int labelWidth = fm.horizontalAdvance(tr("Class %1").arg(88)) + 8;
    const int valueWidth = fm.horizontalAdvance(QStringLiteral("8 888 888 (88.88 %)")) + 8;
    const int barLeft = labelWidth;
    const int barWidth = std::max(20, width() - labelWidth - valueWidth);
    for (std::size_t k = 0; k < m_counts.size(); ++k) {
        const int y = 2 + int(k) * h;
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, y, labelWidth, h), Qt::AlignLeft | Qt::AlignVCenter, tr("Class %1").arg(k));
        const double share = total ? double(m_counts[k]) / double(total) : 0.0;
        const int w = m_counts[k] ? std::max(2, int(double(barWidth) * double(m_counts[k]) / double(largest))) : 0;
        p.fillRect(QRect(barLeft, y + 3, barWidth, h - 6), palette().color(QPalette::AlternateBase));
        p.fillRect(QRect(barLeft, y + 3, w, h - 6), WeightCloudView::classColor(int(k)));
        QString count = QString::number(m_counts[k]);
        for (int i = count.size() - 3; i > 0; i -= 3)
            count.insert(i, QChar(0x00A0));
        const QString text = QStringLiteral("%1 (%2 %)").arg(count, QString::number(share * 100.0, 'f', share < 0.01 ? 2 : 1));
        p.drawText(QRect(barLeft + barWidth + 6, y, valueWidth, h), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
}

} // namespace hc
