#include "cli/textformat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>

namespace hc {

TextTable::TextTable(std::vector<std::string> header)
{
    m_rows.push_back(std::move(header));
}

void TextTable::addRow(std::vector<std::string> cells)
{
    cells.resize(m_rows.front().size());
    m_rows.push_back(std::move(cells));
}

void TextTable::print(std::ostream &out) const
{
    std::vector<std::size_t> width(m_rows.front().size(), 0);
    for (const auto &row : m_rows)
        for (std::size_t c = 0; c < row.size(); ++c)
            width[c] = std::max(width[c], row[c].size());
    for (const auto &row : m_rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c)
                out << "  ";
            if (c == 0)
                out << std::left << std::setw(int(width[c])) << row[c];
            else
                out << std::right << std::setw(int(width[c])) << row[c];
        }
        out << std::left << "\n";
    }
}

std::string formatNumber(double v, int significant)
{
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", significant, v);
    return buf;
}

std::string formatPercent(double share)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * share);
    return buf;
}

std::string formatBytes(std::uint64_t bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f %s" : "%.0f %s", v, units[u]);
    return buf;
}

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

QJsonArray shapeJson(const std::vector<std::int64_t> &shape)
{
    QJsonArray a;
    for (auto d : shape)
        a.append(double(d));
    return a;
}

} // namespace hc
