#pragma once

#include "core/codec/encodedtensor.h"
#include "core/tensor/tensorview.h"

#include <QList>
#include <atomic>
#include <QPointF>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {

// The points of a layer's weight cloud that a chart draws: the pairs (x_2i, x_2i+1) split by
// the class the encoder gave them, each class thinned to at most `capPerClass` points by a fixed
// stride over that class's pairs in file order, so the same layer always shows the same points.
// Plain data, built off the GUI thread (uses Qt Core types only so that a chart series can take
// the lists with one replace()). Readouts never use it: they are computed over all pairs.
struct CloudSample {
    std::vector<QList<QPointF>> points;   // per class 0..K
    std::vector<std::uint64_t> totals;    // pairs per class, all of them
    std::uint64_t pairCount = 0;          // P = ceil(N/2), the padding pair included
    std::uint64_t shownCount = 0;         // sum of points[k].size()
    double minX = 0, maxX = 0, minY = 0, maxY = 0; // bounds of every pair (not only those shown)

    bool thinned() const { return shownCount < pairCount; }

    // `w` is the original tensor and `e` its encoding (its indices give the classes).
    // Returns an empty sample when `cancelled` (checked between chunks) turns true.
    static CloudSample build(const TensorView &w, const EncodedTensor &e, std::size_t capPerClass,
                             const std::atomic<bool> *cancelled = nullptr);
};

} // namespace hc
