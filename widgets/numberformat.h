#pragma once

#include <QString>

#include <cstdint>

namespace hc {

// 8388608 as "8 388 608" (no-break spaces between groups of three), whatever the locale, so that
// counts read the same in the table, the chart note and the readouts.
QString groupedCount(std::uint64_t n);

} // namespace hc
