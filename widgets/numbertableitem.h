#pragma once

#include <QTableWidgetItem>

namespace hc {

// A table cell that shows formatted text but sorts by the number behind it.
class NumberTableItem : public QTableWidgetItem {
public:
    NumberTableItem(const QString &text, double value) : QTableWidgetItem(text)
    {
        setData(Qt::UserRole, value);
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem &other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

} // namespace hc
