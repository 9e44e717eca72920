#pragma once

#include <QJsonArray>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace hc {

// Plain-text output helpers for the command line: aligned tables and readable numbers.
class TextTable {
public:
    explicit TextTable(std::vector<std::string> header);
    void addRow(std::vector<std::string> cells);
    void print(std::ostream &out) const; // first column left-aligned, the others right-aligned

private:
    std::vector<std::vector<std::string>> m_rows;
};

std::string formatNumber(double v, int significant);
std::string formatPercent(double share);
std::string formatBytes(std::uint64_t bytes);
std::string shapeText(const std::vector<std::int64_t> &shape);
QJsonArray shapeJson(const std::vector<std::int64_t> &shape);

} // namespace hc
