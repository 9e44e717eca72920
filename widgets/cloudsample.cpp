#include "widgets/cloudsample.h"

#include <algorithm>
#include <limits>

namespace hc {

CloudSample CloudSample::build(const TensorView &w, const EncodedTensor &e, std::size_t capPerClass,
                               const std::atomic<bool> *cancelled)
{
    CloudSample s;
    const std::uint64_t pairs = e.pairCount();
    const std::size_t classes = std::size_t(e.classes) + 1;
    const std::uint32_t perClass = std::uint32_t(e.samples) + 1;
    s.pairCount = pairs;
    s.totals = e.classHistogram();
    s.totals.resize(classes, 0);
    s.points.resize(classes);
    for (std::size_t k = 0; k < classes; ++k)
        s.points[k].reserve(qsizetype(std::min<std::uint64_t>(s.totals[k], capPerClass)));
    if (pairs == 0 || e.indices.size() != pairs || w.numel != e.numel)
        return s;

    // The padding element of an odd tensor is the mean of the tensor (ALGORITHM.md §1 step 2).
    double padding = 0;
    if (w.numel % 2 == 1) {
        constexpr std::size_t chunk = 65536;
        std::vector<double> buf(chunk);
        double sum = 0;
        for (std::size_t off = 0; off < w.numel; off += chunk) {
            const std::size_t n = std::min(chunk, w.numel - off);
            toDouble(w, off, n, buf.data());
            for (std::size_t i = 0; i < n; ++i)
                sum += buf[i];
        }
        padding = sum / double(w.numel);
    }

    // Per class, (j·cap) mod total, stepped instead of divided: the same pairs as
    // floor((j+1)·cap/total) != floor(j·cap/total), without two 64-bit divisions per pair.
    std::vector<std::uint64_t> stride(classes, 0);
    s.minX = s.minY = std::numeric_limits<double>::max();
    s.maxX = s.maxY = std::numeric_limits<double>::lowest();
    constexpr std::size_t chunkPairs = 32768;
    std::vector<double> buf(chunkPairs * 2);
    for (std::uint64_t first = 0; first < pairs; first += chunkPairs) {
        if (cancelled && cancelled->load())
            return {};
        const std::uint64_t n = std::min<std::uint64_t>(chunkPairs, pairs - first);
        const std::size_t elemFirst = std::size_t(first * 2);
        const std::size_t elems = std::min<std::size_t>(std::size_t(n * 2), w.numel - elemFirst);
        toDouble(w, elemFirst, elems, buf.data());
        if (elems < n * 2)
            buf[elems] = padding;
        for (std::uint64_t i = 0; i < n; ++i) {
            const double x = buf[std::size_t(2 * i)], y = buf[std::size_t(2 * i + 1)];
            s.minX = std::min(s.minX, x);
            s.maxX = std::max(s.maxX, x);
            s.minY = std::min(s.minY, y);
            s.maxY = std::max(s.maxY, y);
            const std::uint32_t index = e.indices[std::size_t(first + i)];
            std::size_t k = 0;
            while (k + 1 < classes && index >= std::uint32_t(k + 1) * perClass)
                ++k;
            const std::uint64_t total = s.totals[k];
            // Keeps pair j of its class when the stride j·cap/total crosses an integer: exactly
            // min(total, cap) pairs, spread evenly over the class in file order.
            bool keep = total <= capPerClass;
            if (!keep) {
                stride[k] += capPerClass;
                if (stride[k] >= total) {
                    stride[k] -= total;
                    keep = true;
                }
            }
            if (keep)
                s.points[k].append(QPointF(x, y));
        }
    }
    for (const auto &p : s.points)
        s.shownCount += std::uint64_t(p.size());
    return s;
}

} // namespace hc
