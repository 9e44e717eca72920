#pragma once

#include <QWidget>

#include <cstdint>
#include <vector>

namespace hc {

// Pairs per class as horizontal bars, one row per class in the weight cloud's colours, with the
// count and share written beside each bar. Bars are scaled to the largest class. GUI thread only.
class ClassHistogramView : public QWidget {
    Q_OBJECT

public:
    explicit ClassHistogramView(QWidget *parent = nullptr);

    void setCounts(const std::vector<std::uint64_t> &counts);
    const std::vector<std::uint64_t> &counts() const { return m_counts; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int rowHeight() const;
    std::vector<std::uint64_t> m_counts;
};

} // namespace hc
