#include "core/codec/latticemode.h"

#include "core/codec/bytecoding.h"
#include "core/codec/hypercodec.h"
#include "core/codec/marginaldensity.h"
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
    double maxAbs = 0;
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
    r.maxAbs = std::max({std::fabs(r.minX), std::fabs(r.maxX), std::fabs(r.minY), std::fabs(r.maxY)});
    return r;
}

// Rows are h·√3/2 apart (sqrt is correctly rounded: the same factor on every machine).
const double kRowFactor = std::sqrt(3.0) * 0.5;
// Alphabets up to this keep P <= 16 with every symbol at least 1/2^P.
constexpr double kMaxSymbols = 32768;
constexpr std::uint8_t kLayout2 = 2;
// Below this many weights the target is not searched (see encode()).
constexpr std::size_t kTinyTensor = 256;

double halfShift(std::int64_t r) { return (r & 1) ? 0.5 : 0.0; }

// Row and column numbers of every `stride`-th pair for spacing h (layout 2).
struct Quantized {
    LatticeParams params;
    std::vector<std::uint32_t> rows, cols; // symbols: r - rowMin, c - colMin
};

Quantized quantize(const TensorView &w, const Range &range, double h, std::size_t stride, int threads)
{
    Quantized q;
    LatticeParams &p = q.params;
    h = double(float(h)); // stored as float32
    p.layout = 2;
    p.spacing = h;
    const double hy = h * kRowFactor;
    const double invH = 1.0 / h, invHy = 1.0 / hy;
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
            // The nearest point of a hexagonal lattice is in one of the two rows around y.
            const double r0 = std::floor(py * invHy);
            double bestD = std::numeric_limits<double>::infinity();
            std::int64_t bestR = 0, bestC = 0;
            for (int k2 = 0; k2 < 2; ++k2) {
                const std::int64_t rr = std::int64_t(r0) + k2;
                const double half = halfShift(rr);
                const double cc = std::nearbyint(px * invH - half);
                const double dx = px - (cc + half) * h;
                const double dy = py - double(rr) * hy;
                const double d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    bestR = rr;
                    bestC = std::int64_t(cc);
                }
            }
            r[first + i] = bestR;
            c[first + i] = bestC;
            e.r0 = std::min(e.r0, bestR);
            e.r1 = std::max(e.r1, bestR);
            e.c0 = std::min(e.c0, bestC);
            e.c1 = std::max(e.c1, bestC);
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

using bytecoding::getVarint;
using bytecoding::putVarint;
using bytecoding::unzigzag;
using bytecoding::zigzag;

// The cells of the row and column symbols in weight space: what the density model integrates over.
// A column cell spans the two row parities' cells (centred a quarter step right).
std::vector<MarginalDensity::Stream> cellsOf(const LatticeParams &p)
{
    const double h = p.spacing, hy = h * kRowFactor;
    std::vector<MarginalDensity::Stream> s(2);
    s[0].resize(p.rows);
    for (std::uint32_t i = 0; i < p.rows; ++i) {
        const double y = double(p.rowMin + std::int64_t(i)) * hy;
        s[0][i].a = y - 0.5 * hy;
        s[0][i].b = y + 0.5 * hy;
    }
    s[1].resize(p.cols);
    for (std::uint32_t i = 0; i < p.cols; ++i) {
        const double x = double(p.colMin + std::int64_t(i)) * h;
        s[1][i].a = x - 0.25 * h;
        s[1][i].b = x + 0.75 * h;
    }
    return s;
}

void modelRange(const std::vector<MarginalDensity::Stream> &cells, double &lo, double &hi)
{
    lo = std::min(cells[0].front().a, cells[1].front().a);
    hi = std::max(cells[0].back().b, cells[1].back().b);
}

// Bigger tables fit the tails better but take longer to build than a small tensor takes to decode.
int precisionFor(std::size_t pairs, std::uint32_t alphabet)
{
    int need = 1;
    while ((std::uint64_t(1) << need) < alphabet)
        ++need;
    int p = 1;
    while ((std::size_t(1) << p) < pairs && p < 16)
        ++p;
    return std::clamp(std::max(p, need + 3), std::max(11, need + 1), 16);
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
    const LatticeParams &p = q.params;
    auto cells = cellsOf(p);
    for (std::uint32_t v : q.rows)
        ++cells[0][v].count;
    for (std::uint32_t v : q.cols)
        ++cells[1][v].count;
    double lo = 0, hi = 0;
    modelRange(cells, lo, hi);
    const int P = precisionFor(q.rows.size(), std::max(p.rows, p.cols));
    const MarginalDensity density = MarginalDensity::fit(lo, hi, cells, P);

    std::vector<std::uint8_t> &out = e.payload;
    out.push_back(kLayout2);
    modesupport::putFloat32LE(out, float(p.spacing));
    putVarint(out, zigzag(p.rowMin));
    putVarint(out, p.rows);
    putVarint(out, zigzag(p.colMin));
    putVarint(out, p.cols);
    out.push_back(std::uint8_t(P));
    density.write(out);
    const auto rowBlob = RansCoder::encodeModelled(q.rows.data(), q.rows.size(), density.frequencies(cells[0], P), P);
    const auto colBlob = RansCoder::encodeModelled(q.cols.data(), q.cols.size(), density.frequencies(cells[1], P), P);
    putVarint(out, rowBlob.size());
    out.insert(out.end(), rowBlob.begin(), rowBlob.end());
    out.insert(out.end(), colBlob.begin(), colBlob.end());
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
    if (p.layout != 1 && p.layout != 2)
        return Status::failure("the lattice layout " + std::to_string(p.layout) + " is unknown");
    if (p.layout == 1 && p.shear < 1)
        return Status::failure("the lattice shear m must be at least 1");
    if (p.layout == 2 && (double(p.rows) > kMaxSymbols || double(p.cols) > kMaxSymbols))
        return Status::failure("the lattice has more than 32768 rows or columns");
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
    // Below this the alphabets would outgrow 16-bit tables, or the row and column numbers the
    // doubles that compute them.
    const double minSpacing = std::max({extent / (kMaxSymbols * kRowFactor - 2), range.maxAbs / 1125899906842624.0,
                                        std::numeric_limits<double>::min() * 1e10});
    auto cancelled = [progress] { return progress && progress->cancelRequested(); };

    if (options.spacing > 0) {
        if (!std::isfinite(options.spacing) || options.spacing < minSpacing)
            return R::failure("the lattice spacing is too small for the tensor's range");
        return build(w, shape, quantize(w, range, options.spacing, 1, threads));
    }
    const double target = options.targetBitsPerWeight;
    if (!(target >= 0.25 && target <= 24))
        return R::failure("the target bits per weight must be between 0.25 and 24 (got " + std::to_string(target) + ")");
    if (extent == 0) {
        // A constant tensor: one lattice point whatever the spacing, and zero stream bytes; a fine
        // spacing puts that point within float32 rounding of the value.
        const double v = std::max(range.maxAbs, double(std::numeric_limits<float>::min()));
        return build(w, shape, quantize(w, range, v * 0x1p-24, 1, threads));
    }

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

    // A tiny tensor (a bias, an embedding of a few atom types) cannot carry a dozen header bytes
    // within the target: searching would give it a lattice of a few points and wipe it out. It
    // gets the spacing high-rate theory gives the target and overshoots the target a little; its
    // bytes are nothing next to the model's.
    const double logGauss = std::clamp(std::log2(sigma) + 2.047 - target, logMin, logMax);
    if (w.numel < kTinyTensor)
        return build(w, shape, quantize(w, range, std::exp2(logGauss), 1, threads));

    // Phase 2: real encodes, keeping a bracket [too fine, fits] and the best fit so far.
    const double logStart = logH;
    auto search = [&](double goal) -> Result<std::optional<ModeEncoded>> {
        using S = Result<std::optional<ModeEncoded>>;
        const double aim = goal * (1.0 - options.tolerance / 2);
        double fineLog = -std::numeric_limits<double>::infinity(), fitLog = std::numeric_limits<double>::infinity();
        double fineBpw = 0, fitBpw = 0;
        std::optional<ModeEncoded> best;
        double bestBpw = -1;
        double at = logStart;
        for (int it = 0; it < 40; ++it) {
            at = std::clamp(at, logMin, logMax);
            if (cancelled())
                return S::failure("cancelled");
            if (progress)
                progress->setProgress(std::min(0.95, 0.1 + 0.1 * it));
            ModeEncoded e = build(w, shape, quantize(w, range, std::exp2(at), 1, threads));
            const double b = e.bitsPerWeight();
            if (b <= goal) {
                if (b > bestBpw) {
                    bestBpw = b;
                    best = std::move(e);
                }
                fitLog = std::min(fitLog, at);
                fitBpw = b;
                if (b >= goal * (1.0 - options.tolerance) || at <= logMin)
                    break;
            } else {
                fineLog = std::max(fineLog, at);
                fineBpw = b;
                if (at >= logMax)
                    break; // even the coarsest lattice is over the goal
            }
            double next = at + (b - aim);
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
            at = next;
        }
        return best;
    };
    auto found = search(target);
    if (!found)
        return R::failure(found.error());
    if (!*found || (*found)->lattice.rows * std::uint64_t((*found)->lattice.cols) == 1)
        return build(w, shape, quantize(w, range, std::exp2(logGauss), 1, threads)); // as a tiny tensor
    if (progress)
        progress->setProgress(1.0);
    return std::move(**found);
}

namespace {

// The layout-2 header; `at` gets the offset of what follows it (the precision byte).
Result<LatticeParams> parseHeader(const std::uint8_t *payload, std::size_t bytes, std::size_t &at)
{
    using R = Result<LatticeParams>;
    if (bytes < 5 || payload[0] != kLayout2)
        return R::failure(bytes == 0 ? "the lattice payload is empty"
                                     : "the lattice payload does not start with a layout-2 header");
    LatticeParams p;
    p.layout = 2;
    p.spacing = double(modesupport::getFloat32LE(payload + 1));
    at = 5;
    std::uint64_t rowMin = 0, rows = 0, colMin = 0, cols = 0;
    if (!getVarint(payload, bytes, at, rowMin) || !getVarint(payload, bytes, at, rows) ||
        !getVarint(payload, bytes, at, colMin) || !getVarint(payload, bytes, at, cols))
        return R::failure("the lattice payload's header is truncated");
    if (rows > 0xffffffffull || cols > 0xffffffffull)
        return R::failure("the lattice has more than 32768 rows or columns");
    p.rowMin = unzigzag(rowMin);
    p.colMin = unzigzag(colMin);
    p.rows = std::uint32_t(rows);
    p.cols = std::uint32_t(cols);
    if (Status s = LatticeMode::validate(p); !s)
        return R::failure(s.error());
    return p;
}

} // namespace

Result<LatticeParams> LatticeMode::readParams(const std::uint8_t *payload, std::size_t bytes)
{
    std::size_t at = 0;
    return parseHeader(payload, bytes, at);
}

namespace {

// Decodes the row and column streams block by block into pairs: x = xRow[r] + xCol[c], y = yRow[r]
// (two small tables, no arithmetic beyond one add).
Status decodeStreams(const ModeEncoded &e, const RansCoder::Reader &rows, const RansCoder::Reader &cols,
                     const std::vector<double> &xRow, const std::vector<double> &yRow,
                     const std::vector<double> &xCol, void *out, int threads)
{
    if (rows.blockSize() != cols.blockSize() || rows.blockCount() != cols.blockCount())
        return Status::failure("the lattice streams' block sizes differ");
    const std::size_t block = rows.blockSize();
    const std::size_t blocks = rows.blockCount();
    const std::size_t full = std::size_t(e.numel / 2);
    std::atomic<bool> bad{false};
    const DType dtype = e.dtype;
    parallelFor(blocks, threads, [&](std::size_t b) {
        const std::size_t first = b * block, n = rows.blockLength(b);
        std::vector<std::uint32_t> rs(n), cs(n);
        if (!rows.decodeBlock(b, rs.data()) || !cols.decodeBlock(b, cs.data())) {
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

Status decodeLayout1(const ModeEncoded &e, void *out, int threads)
{
    const std::size_t pairs = std::size_t(e.pairCount());
    const std::uint8_t *p = e.payload.data();
    const std::size_t bytes = e.payload.size();
    std::uint64_t rowBytes = 0;
    std::size_t at = 0;
    if (!getVarint(p, bytes, at, rowBytes))
        return Status::failure("the lattice payload's stream table is truncated");
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
    std::vector<double> xRow(lp.rows), yRow(lp.rows), xCol(lp.cols);
    const double h = lp.spacing, invM = 1.0 / double(lp.shear);
    for (std::uint32_t r = 0; r < lp.rows; ++r) {
        const double rr = double(lp.rowMin + std::int64_t(r));
        xRow[r] = lp.centreX + (rr * invM) * h;
        yRow[r] = roundThrough(lp.centreY + rr * h, e.dtype);
    }
    for (std::uint32_t c = 0; c < lp.cols; ++c)
        xCol[c] = double(lp.colMin + std::int64_t(c)) * h;
    return decodeStreams(e, *rows, *cols, xRow, yRow, xCol, out, threads);
}

Status decodeLayout2(const ModeEncoded &e, void *out, int threads)
{
    const std::uint8_t *p = e.payload.data();
    const std::size_t bytes = e.payload.size();
    std::size_t at = 0;
    auto header = parseHeader(p, bytes, at);
    if (!header)
        return Status::failure(header.error());
    const LatticeParams &lp = *header;
    const LatticeParams &given = e.lattice;
    if (given.rows != 0 && (given.rows != lp.rows || given.cols != lp.cols || given.rowMin != lp.rowMin ||
                            given.colMin != lp.colMin || given.spacing != lp.spacing))
        return Status::failure("the lattice parameters do not match the payload's header");
    if (at >= bytes)
        return Status::failure("the lattice payload's header is truncated");
    const int P = p[at++];
    if (P < 8 || P > 16)
        return Status::failure("the lattice streams' precision " + std::to_string(P) + " is outside 8..16");
    const auto cells = cellsOf(lp);
    double lo = 0, hi = 0;
    modelRange(cells, lo, hi);
    std::size_t used = 0;
    auto density = MarginalDensity::read(p + at, bytes - at, lo, hi, used);
    if (!density)
        return Status::failure("lattice payload: " + density.error());
    at += used;
    std::uint64_t rowBytes = 0;
    if (!getVarint(p, bytes, at, rowBytes))
        return Status::failure("the lattice payload's stream table is truncated");
    if (rowBytes > bytes - at)
        return Status::failure("the lattice payload's row stream is longer than the payload");
    const std::size_t pairs = std::size_t(e.pairCount());
    const auto rowFreq = density->frequencies(cells[0], P), colFreq = density->frequencies(cells[1], P);
    if (rowFreq.empty() || colFreq.empty())
        return Status::failure("the lattice's alphabets are too large for its precision");
    auto rows = RansCoder::Reader::openModelled(p + at, std::size_t(rowBytes), pairs, rowFreq, P);
    if (!rows)
        return Status::failure("row stream: " + rows.error());
    auto cols = RansCoder::Reader::openModelled(p + at + rowBytes, bytes - at - std::size_t(rowBytes), pairs, colFreq, P);
    if (!cols)
        return Status::failure("column stream: " + cols.error());

    std::vector<double> xRow(lp.rows), yRow(lp.rows), xCol(lp.cols);
    const double h = lp.spacing, hy = h * kRowFactor;
    for (std::uint32_t r = 0; r < lp.rows; ++r) {
        const std::int64_t rr = lp.rowMin + std::int64_t(r);
        xRow[r] = halfShift(rr) * h;
        yRow[r] = roundThrough(double(rr) * hy, e.dtype);
    }
    for (std::uint32_t c = 0; c < lp.cols; ++c)
        xCol[c] = double(lp.colMin + std::int64_t(c)) * h;
    return decodeStreams(e, *rows, *cols, xRow, yRow, xCol, out, threads);
}

} // namespace

Status LatticeMode::decode(const ModeEncoded &e, void *out, int threads)
{
    if (e.mode != CodecMode::Lattice)
        return Status::failure("the tensor is not coded in lattice mode");
    if (!isCompressibleFloat(e.dtype))
        return Status::failure(std::string("dtype ") + dtypeName(e.dtype) + " cannot be decoded");
    if (e.lattice.layout == 1) {
        if (Status s = validate(e.lattice); !s)
            return s;
        return decodeLayout1(e, out, threads);
    }
    if (e.lattice.layout != 2)
        return Status::failure("the lattice layout " + std::to_string(e.lattice.layout) + " is unknown");
    return decodeLayout2(e, out, threads);
}

} // namespace hc
