#include "core/baselines/blockquantization.h"

#include "core/util/parallelfor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hc::blockquantization {

namespace {
constexpr std::size_t kChunkElements = std::size_t(1) << 16;
}

bool scanFinite(const TensorView &w, int threads, double &minValue, double &maxValue)
{
    const std::size_t chunks = (w.numel + kChunkElements - 1) / kChunkElements;
    struct Part {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -std::numeric_limits<double>::infinity();
        bool finite = true;
    };
    std::vector<Part> parts(chunks);
    parallelFor(chunks, resolveThreadCount(threads), [&](std::size_t c) {
        const std::size_t first = c * kChunkElements, n = std::min(kChunkElements, w.numel - first);
        std::vector<double> v(n);
        toDouble(w, first, n, v.data());
        Part p;
        for (double x : v) {
            if (!std::isfinite(x)) {
                p.finite = false;
                break;
            }
            p.lo = std::min(p.lo, x);
            p.hi = std::max(p.hi, x);
        }
        parts[c] = p;
    });
    Part t;
    for (const Part &p : parts) {
        t.finite = t.finite && p.finite;
        t.lo = std::min(t.lo, p.lo);
        t.hi = std::max(t.hi, p.hi);
    }
    minValue = t.lo;
    maxValue = t.hi;
    return t.finite;
}

ErrorMetrics run(const TensorView &w, std::size_t blockSize, int threads, double *restored,
                 const BlockFunction &quantize)
{
    blockSize = std::max<std::size_t>(1, blockSize);
    const std::size_t blocks = (w.numel + blockSize - 1) / blockSize;
    const std::size_t blocksPerChunk = std::max<std::size_t>(1, kChunkElements / blockSize);
    const std::size_t chunks = (blocks + blocksPerChunk - 1) / blocksPerChunk;
    const std::size_t dsize = dtypeSize(w.dtype);
    std::vector<ErrorMetrics> parts(chunks);
    std::vector<std::size_t> counts(chunks, 0);
    parallelFor(chunks, resolveThreadCount(threads), [&](std::size_t c) {
        const std::size_t firstBlock = c * blocksPerChunk;
        const std::size_t lastBlock = std::min(blocks, firstBlock + blocksPerChunk);
        const std::size_t first = firstBlock * blockSize;
        const std::size_t n = std::min(w.numel, lastBlock * blockSize) - first;
        std::vector<double> in(n), out(n);
        toDouble(w, first, n, in.data());
        for (std::size_t b = firstBlock; b < lastBlock; ++b) {
            const std::size_t off = (b - firstBlock) * blockSize;
            quantize(b, in.data() + off, out.data() + off, std::min(blockSize, n - off));
        }
        // Round through the dtype: the restored model stores its weights in it.
        std::vector<unsigned char> bytes(n * dsize);
        fromDouble(out.data(), n, w.dtype, bytes.data());
        toDouble({bytes.data(), w.dtype, n}, 0, n, out.data());
        if (restored)
            std::copy(out.begin(), out.end(), restored + first);
        parts[c] = ErrorMetrics::measure({in.data(), DType::F64, n}, {out.data(), DType::F64, n}, 1);
        counts[c] = n;
    });
    ErrorMetrics total;
    std::size_t done = 0;
    for (std::size_t c = 0; c < chunks; ++c) {
        total = done == 0 ? parts[c] : ErrorMetrics::combine(total, done, parts[c], counts[c]);
        done += counts[c];
    }
    return total;
}

} // namespace hc::blockquantization
