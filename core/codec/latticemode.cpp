#include "core/codec/latticemode.h"

#include "core/codec/hypercodec.h"
#include "core/codec/modecodecsupport.h"
#include "core/util/parallelfor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

namespace hc {

using modesupport::kChunkPairs;

namespace {

struct Range {
    double cx = 0, cy = 0, pad = 0;
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    double sigma = 0; // root mean square distance from the centre, per coordinate
};

Range scan(const TensorView &w, int threads)
{
    const std::size_t pairs = (w.numel + 1) / 2;
    const std::size_t chunks = (pairs + kChunkPairs - 1) / kChunkPairs;
    std::vector<double> sx(chunks), sy(chunks);
    parallelFor(chunks, threads, [&](std::size_t c) {
        std::vector<double> xy(2 * kChunkPairs);
        const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
        const std::size_t real = std::min(2 * n, w.numel - 2 * first);
        toDouble(w, 2 * first, real, xy.data());
        double a = 0, b = 0;
        for (std::size_t i = 0; i < real; ++i)
            (i % 2 == 0 ? a : b) += xy[i];
        sx[c] = a;
        sy[c] = b;
    });
    double tx = 0, ty = 0;
    for (std::size_t c = 0; c < chunks; ++c) {
        tx += sx[c];
        ty += sy[c];
    }
    Range r;
    r.pad = (tx + ty) / double(w.numel);
    r.cx = tx / double(pairs);
    r.cy = (ty + (w.numel % 2 ? r.pad : 0.0)) / double(pairs);

    struct Part {
        double minX, maxX, minY, maxY, ss;
    };
    std::vector<Part> parts(chunks);
    parallelFor(chunks, threads, [&](std::size_t c) {
        std::vector<double> xy(2 * kChunkPairs);
        const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
        modesupport::loadPairs(w, r.pad, first, n, xy.data());
        Part p{xy[0], xy[0], xy[1], xy[1], 0};
        for (std::size_t i = 0; i < n; ++i) {
            const double x = xy[2 * i], y = xy[2 * i + 1];
            p.minX = std::min(p.minX, x);
            p.maxX = std::max(p.maxX, x);
            p.minY = std::min(p.minY, y);
            p.maxY = std::max(p.maxY, y);
            p.ss += (x - r.cx) * (x - r.cx) + (y - r.cy) * (y - r.cy);
        }
        parts[c] = p;
    });
    r.minX = parts[0].minX;
    r.maxX = parts[0].maxX;
    r.minY = parts[0].minY;
    r.maxY = parts[0].maxY;
    double ss = 0;
    for (const Part &p : parts) {
        r.minX = std::min(r.minX, p.minX);
        r.maxX = std::max(r.maxX, p.maxX);
        r.minY = std::min(r.minY, p.minY);
        r.maxY = std::max(r.maxY, p.maxY);
        ss += p.ss;
    }
    r.sigma = std::sqrt(ss / (2.0 * double(pairs)));
    return r;
}

// Row and column numbers of every `stride`-th pair for spacing h (absolute, before the offsets).
struct Quantized {
    LatticeParams params;
    std::vector<std::uint32_t> rows, cols; // symbols: r - rowMin, c - colMin
};

std::uint32_t shearFor(const Range &range, double h)
{
    const double rows = std::floor((range.maxY - range.cy) / h) - std::floor((range.minY - range.cy) / h) + 2.0;
    return std::uint32_t(std::clamp(rows, 1.0, 4294967295.0));
}

// Six significant digits: any anchor and spacing work, and short numbers keep the JSON small.
double shortDecimal(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::strtod(buf, nullptr);
}

Quantized quantize(const TensorView &w, const Range &range, double h, std::size_t stride, int threads)
{
    Quantized q;
    LatticeParams &p = q.params;
    p.centreX = shortDecimal(range.cx);
    p.centreY = shortDecimal(range.cy);
    h = shortDecimal(h);
    p.spacing = h;
    p.shear = shearFor(range, h);
    const double invH = 1.0 / h, invM = 1.0 / double(p.shear);
    const std::size_t pairs = (w.numel + 1) / 2;
    const std::size_t picked = (pairs + stride - 1) / stride;
    std::vector<std::int64_t> r(picked), c(picked);
    const std::size_t chunks = (picked + kChunkPairs - 1) / kChunkPairs;
    struct Ext {
        std::int64_t r0, r1, c0, c1;
    };
    std::vector<Ext> ext(chunks);
    parallelFor(chunks, threads, [&](std::size_t k) {
        const std::size_t first = k * kChunkPairs, n = std::min(kChunkPairs, picked - first);
        std::vector<double> xy(2 * (stride == 1 ? n : 1));
        if (stride == 1)
            modesupport::loadPairs(w, range.pad, first, n, xy.data());
        Ext e{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
              std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()};
        for (std::size_t i = 0; i < n; ++i) {
            double px, py;
            if (stride == 1) {
                px = xy[2 * i];
                py = xy[2 * i + 1];
            } else {
                modesupport::loadPairs(w, range.pad, (first + i) * stride, 1, xy.data());
                px = xy[0];
                py = xy[1];
            }
            const double t = (py - p.centreY) * invH;
            const double r0 = std::floor(t);
            double bestD = std::numeric_limits<double>::infinity();
            double bestR = r0, bestC = 0;
            for (int k2 = 0; k2 < 2; ++k2) {
                const double rr = r0 + k2;
                const double cc = std::nearbyint((px - p.centreX) * invH - rr * invM);
                const double dx = px - (p.centreX + (cc + rr * invM) * h);
                const double dy = py - (p.centreY + rr * h);
                const double d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    bestR = rr;
                    bestC = cc;
                }
            }
            const std::int64_t ri = std::int64_t(bestR), ci = std::int64_t(bestC);
            r[first + i] = ri;
            c[first + i] = ci;
            e.r0 = std::min(e.r0, ri);
            e.r1 = std::max(e.r1, ri);
            e.c0 = std::min(e.c0, ci);
            e.c1 = std::max(e.c1, ci);
        }
        ext[k] = e;
    });
    Ext all = ext[0];
    for (const Ext &e : ext) {
        all.r0 = std::min(all.r0, e.r0);
        all.r1 = std::max(all.r1, e.r1);
        all.c0 = std::min(all.c0, e.c0);
        all.c1 = std::max(all.c1, e.c1);
    }
    p.rowMin = all.r0;
    p.colMin = all.c0;
    p.rows = std::uint32_t(std::min<std::int64_t>(all.r1 - all.r0 + 1, 0xffffffffLL));
    p.cols = std::uint32_t(std::min<std::int64_t>(all.c1 - all.c0 + 1, 0xffffffffLL));
    q.rows.resize(picked);
    q.cols.resize(picked);
    for (std::size_t i = 0; i < picked; ++i) {
        q.rows[i] = std::uint32_t(r[i] - all.r0);
        q.cols[i] = std::uint32_t(c[i] - all.c0);
    }
    return q;
}

void putVarint(std::vector<std::uint8_t> &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(std::uint8_t(v | 0x80));
        v >>= 7;
    }
    out.push_back(std::uint8_t(v));
}

ModeEncoded build(const TensorView &w, const std::vector<std::int64_t> &shape, Quantized &&q)
{
    ModeEncoded e;
    e.mode = CodecMode::Lattice;
    e.entropy = true;
    e.shape = shape;
    e.dtype = w.dtype;
    e.numel = w.numel;
    e.lattice = q.params;
    const auto rowBlob = RansCoder::encode(q.rows.data(), q.rows.size(), q.params.rows);
    const auto colBlob = RansCoder::encode(q.cols.data(), q.cols.size(), q.params.cols);
    putVarint(e.payload, rowBlob.size());
    e.payload.insert(e.payload.end(), rowBlob.begin(), rowBlob.end());
    e.payload.insert(e.payload.end(), colBlob.begin(), colBlob.end());
    return e;
}

// Estimated bits per weight from the order-0 entropy of a subsample (no tables, no metadata).
double estimateBpw(const TensorView &w, const Range &range, double h, std::size_t stride, int threads)
{
    const Quantized q = quantize(w, range, h, stride, threads);
    const double bits = RansCoder::order0EntropyBits(q.rows.data(), q.rows.size()) +
                        RansCoder::order0EntropyBits(q.cols.data(), q.cols.size());
    return bits / (2.0 * double(q.rows.size()));
}

} // namespace

Status LatticeMode::validate(const LatticeParams &p)
{
    if (!(p.spacing > 0) || !std::isfinite(p.spacing))
        return Status::failure("the lattice spacing h must be a positive number");
    if (!std::isfinite(p.centreX) || !std::isfinite(p.centreY))
        return Status::failure("the lattice centre is not a finite number");
    if (p.shear < 1)
        return Status::failure("the lattice shear m must be at least 1");
    if (p.rows < 1 || p.cols < 1)
        return Status::failure("the lattice must have at least one row and one column");
    const double lim = 9007199254740992.0; // 2^53: exact in the JSON's doubles
    if (std::fabs(double(p.rowMin)) + p.rows > lim || std::fabs(double(p.colMin)) + p.cols > lim)
        return Status::failure("the lattice extents are out of range");
    return {};
}

Result<ModeEncoded> LatticeMode::encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                        const Options &options, ProgressSink *progress)
{
    using R = Result<ModeEncoded>;
    if (!isCompressibleFloat(w.dtype))
        return R::failure(std::string("dtype ") + dtypeName(w.dtype) + " cannot be compressed");
    if (w.numel == 0)
        return R::failure("the tensor is empty");
    const std::string raw = HyperCodec::rawReason(w);
    if (!raw.empty() && raw.find("NaN") != std::string::npos)
        return R::failure("the tensor contains NaN or infinite values");
    const int threads = resolveThreadCount(options.threads);
    const Range range = scan(w, threads);
    const double extent = std::max({range.maxX - range.minX, range.maxY - range.minY, 0.0});
    // Below this the row and column numbers would not fit 32 bits.
    const double minSpacing = std::max(extent / 1073741824.0, std::numeric_limits<double>::min() * 1e10);
    auto cancelled = [progress] { return progress && progress->cancelRequested(); };

    if (options.spacing > 0) {
        if (!std::isfinite(options.spacing) || options.spacing < minSpacing)
            return R::failure("the lattice spacing is too small for the tensor's range");
        return build(w, shape, quantize(w, range, options.spacing, 1, threads));
    }
    const double target = options.targetBitsPerWeight;
    if (!(target >= 0.25 && target <= 24))
        return R::failure("the target bits per weight must be between 0.25 and 24 (got " + std::to_string(target) + ")");
    if (extent == 0) // a constant tensor: one lattice point, any spacing
        return build(w, shape, quantize(w, range, 1.0, 1, threads));

    // Phase 1: on a subsample, by order-0 entropy. The rate per weight falls by one bit per
    // doubling of h (high-rate theory), so Newton steps in log2 h with slope -1 converge fast.
    const std::size_t pairs = std::size_t((w.numel + 1) / 2);
    const std::size_t stride = std::max<std::size_t>(1, pairs / 262144);
    const double sigma = range.sigma > 0 ? range.sigma : extent;
    double logH = std::log2(sigma) + 2.047 - target; // Gaussian: h(X) = log2(σ·sqrt(2πe))
    const double logMin = std::log2(minSpacing), logMax = std::log2(extent) + 1;
    for (int it = 0; it < 8; ++it) {
        logH = std::clamp(logH, logMin, logMax);
        const double b = estimateBpw(w, range, std::exp2(logH), stride, threads);
        const double step = b - target;
        logH += step;
        if (std::fabs(step) < 0.01)
            break;
        if (cancelled())
            return R::failure("cancelled");
    }

    // Phase 2: real encodes, keeping a bracket [too fine, fits] and the best fit so far.
    const double aim = target * (1.0 - options.tolerance / 2);
    double fineLog = -std::numeric_limits<double>::infinity(), fitLog = std::numeric_limits<double>::infinity();
    double fineBpw = 0, fitBpw = 0;
    std::optional<ModeEncoded> best;
    double bestBpw = -1;
    for (int it = 0; it < 40; ++it) {
        logH = std::clamp(logH, logMin, logMax);
        if (cancelled())
            return R::failure("cancelled");
        if (progress)
            progress->setProgress(std::min(0.95, 0.1 + 0.1 * it));
        ModeEncoded e = build(w, shape, quantize(w, range, std::exp2(logH), 1, threads));
        const double b = e.bitsPerWeight();
        if (b <= target) {
            if (b > bestBpw) {
                bestBpw = b;
                best = std::move(e);
            }
            fitLog = std::min(fitLog, logH);
            fitBpw = b;
            if (b >= target * (1.0 - options.tolerance) || logH <= logMin)
                break;
        } else {
            fineLog = std::max(fineLog, logH);
            fineBpw = b;
            if (logH >= logMax)
                break; // even the coarsest lattice is over the target
        }
        double next = logH + (b - aim);
        if (std::isfinite(fineLog) && std::isfinite(fitLog)) {
            if (fitLog - fineLog < 1e-9)
                break;
            // Secant inside the bracket; fall back to its geometric middle.
            const double slope = (fitBpw - fineBpw) / (fitLog - fineLog);
            if (slope < 0)
                next = fineLog + (aim - fineBpw) / slope;
            if (!(next > fineLog && next < fitLog) || it % 3 == 2)
                next = 0.5 * (fineLog + fitLog);
        }
        logH = next;
    }
    if (!best) // even the coarsest lattice exceeds the target: return it
        return build(w, shape, quantize(w, range, std::exp2(logMax), 1, threads));
    if (progress)
        progress->setProgress(1.0);
    return std::move(*best);
}

Status LatticeMode::decode(const ModeEncoded &e, void *out, int threads)
{
    if (e.mode != CodecMode::Lattice)
        return Status::failure("the tensor is not coded in lattice mode");
    if (Status s = validate(e.lattice); !s)
        return s;
    if (!isCompressibleFloat(e.dtype))
        return Status::failure(std::string("dtype ") + dtypeName(e.dtype) + " cannot be decoded");
    const std::size_t pairs = std::size_t(e.pairCount());
    const std::uint8_t *p = e.payload.data();
    const std::size_t bytes = e.payload.size();
    std::uint64_t rowBytes = 0;
    std::size_t at = 0;
    for (int shift = 0;; shift += 7) {
        if (at >= bytes || shift > 56)
            return Status::failure("the lattice payload's stream table is truncated");
        const std::uint8_t b = p[at++];
        rowBytes |= std::uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    if (rowBytes > bytes - at)
        return Status::failure("the lattice payload's row stream is longer than the payload");
    auto rows = RansCoder::Reader::open(p + at, std::size_t(rowBytes), pairs);
    if (!rows)
        return Status::failure("row stream: " + rows.error());
    auto cols = RansCoder::Reader::open(p + at + rowBytes, bytes - at - std::size_t(rowBytes), pairs);
    if (!cols)
        return Status::failure("column stream: " + cols.error());
    const LatticeParams &lp = e.lattice;
    if (rows->info().alphabet != lp.rows || cols->info().alphabet != lp.cols)
        return Status::failure("the lattice streams' alphabets do not match its rows and columns");
    if (rows->blockSize() != cols->blockSize())
        return Status::failure("the lattice streams' block sizes differ");

    // x = xRow[r] + xCol[c], y = yRow[r]: two small tables, no arithmetic beyond one add.
    std::vector<double> xRow(lp.rows), yRow(lp.rows), xCol(lp.cols);
    const double h = lp.spacing, invM = 1.0 / double(lp.shear);
    for (std::uint32_t r = 0; r < lp.rows; ++r) {
        const double rr = double(lp.rowMin + std::int64_t(r));
        xRow[r] = lp.centreX + (rr * invM) * h;
        yRow[r] = roundThrough(lp.centreY + rr * h, e.dtype);
    }
    for (std::uint32_t c = 0; c < lp.cols; ++c)
        xCol[c] = double(lp.colMin + std::int64_t(c)) * h;

    const std::size_t block = rows->blockSize();
    const std::size_t blocks = rows->blockCount();
    const std::size_t full = std::size_t(e.numel / 2);
    std::atomic<bool> bad{false};
    const DType dtype = e.dtype;
    parallelFor(blocks, threads, [&](std::size_t b) {
        const std::size_t first = b * block, n = rows->blockLength(b);
        std::vector<std::uint32_t> rs(n), cs(n);
        if (!rows->decodeBlock(b, rs.data()) || !cols->decodeBlock(b, cs.data())) {
            bad = true;
            return;
        }
        const std::size_t nFull = first + n <= full ? n : full - first; // pairs with both elements real
        if (dtype == DType::F32) {
            float *dst = static_cast<float *>(out) + 2 * first;
            for (std::size_t i = 0; i < nFull; ++i) {
                dst[2 * i] = float(xRow[rs[i]] + xCol[cs[i]]);
                dst[2 * i + 1] = float(yRow[rs[i]]);
            }
            if (nFull < n)
                dst[2 * nFull] = float(xRow[rs[nFull]] + xCol[cs[nFull]]);
            return;
        }
        std::vector<double> xy(2 * n);
        for (std::size_t i = 0; i < n; ++i) {
            xy[2 * i] = xRow[rs[i]] + xCol[cs[i]];
            xy[2 * i + 1] = yRow[rs[i]];
        }
        modesupport::storeElements(xy.data(), 2 * nFull + (nFull < n ? 1 : 0), dtype, out, 2 * first);
    });
    if (bad)
        return Status::failure("the lattice payload is corrupt (a stream block does not decode)");
    return {};
}

} // namespace hc
