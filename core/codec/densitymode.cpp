#include "core/codec/densitymode.h"

#include "core/codec/bitpacker.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodecsupport.h"
#include "core/codec/ranscoder.h"
#include "core/util/parallelfor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <optional>

namespace hc {

using modesupport::kChunkPairs;

namespace {

// The compander search's settings (issue 9, measured on Student-t nu = 4 and Gaussian tensors of
// 1M and 4M weights): the ridge only holds breakpoints that no level reaches; over-relaxation 1.8
// takes about half the Lloyd steps plain steps need for the same error; the search measures every
// pair up to kFitPairs, a sample of about kSamplePairs plus the outer pairs beyond (see encode),
// which at 4M weights costs 0.4 % of error and saves three quarters of the time. Lattices of more
// than kSearchLattice points (over 16 bits per pair) skip the search: with that many levels the
// cube-root law is already close to optimal, and the per-point statistics would not fit in a
// chunk's memory.
constexpr double kRidge = 1e-4;
constexpr double kRelaxation = 1.8;
constexpr std::size_t kFitPairs = std::size_t(1) << 19;
constexpr std::size_t kSamplePairs = std::size_t(1) << 18;
constexpr double kOuter = 1.0 / 8;
constexpr std::size_t kSearchLattice = std::size_t(1) << 16;

int widthFor(int side)
{
    return BitPacker::bitLength(std::uint32_t(side) * std::uint32_t(side) - 1);
}

// The u-space coordinates of θ = a·m + c (DensityMode::latticePoint).
inline void latticeUV(double m, int a, int c, double &u, double &v)
{
    u = (a + 0.5) / m + (c - (m - 1) / 2) / (m * m);
    v = (c + 0.5) / m;
}

// G(w) for the encoder's search, which calls it twice per pair on every pass: the segment is found
// through a uniform grid over [w_0, w_{B-1}] (each cell knows the breakpoints that fall in it)
// instead of a search over all B, and divisions are multiplications. cellOf is non-decreasing in w,
// so breakpoints of lower cells are below w and those of higher cells above it. (It may differ from
// Compander::forward in the last bit; it only chooses which lattice points are compared.)
class Forward {
public:
    explicit Forward(const Compander &g)
        : m_w(g.breakpoints().begin(), g.breakpoints().end())
    {
        const std::size_t B = m_w.size();
        m_inverseWidth.resize(B - 1);
        for (std::size_t i = 0; i + 1 < B; ++i)
            m_inverseWidth[i] = 1.0 / (m_w[i + 1] - m_w[i]);
        m_step = 1.0 / double(B - 1);
        // Fine enough that a cell rarely holds more than one breakpoint, even in the core of a
        // heavy-tailed tensor whose range is set by a few outliers.
        m_cells = std::clamp<std::size_t>(64 * B, 4096, std::size_t(1) << 16);
        m_lo = m_w.front();
        m_scale = double(m_cells) / (m_w.back() - m_w.front());
        if (!std::isfinite(m_scale))
            m_scale = 0;
        m_below.assign(m_cells, 0);
        std::size_t i = 0;
        for (std::size_t k = 0; k < m_cells; ++k) {
            while (i < B && cellOf(m_w[i]) < k)
                ++i;
            m_below[k] = std::uint32_t(i > 0 ? i - 1 : 0);
        }
    }

    double operator()(double w) const
    {
        if (!(w > m_w.front()))
            return 0.0;
        if (!(w < m_w.back()))
            return 1.0;
        std::size_t i = m_below[cellOf(w)];
        i += std::size_t(m_w[i + 1] <= w); // without a branch: the common case
        while (m_w[i + 1] <= w)
            ++i;
        return (double(i) + (w - m_w[i]) * m_inverseWidth[i]) * m_step;
    }

private:
    std::size_t cellOf(double w) const
    {
        const double c = (w - m_lo) * m_scale;
        return c > 0 ? std::min(std::size_t(c), m_cells - 1) : 0;
    }
    std::vector<double> m_w, m_inverseWidth;
    std::vector<std::uint32_t> m_below; // per cell: the last breakpoint of a lower cell (or 0), below any w in it
    double m_step = 1;
    std::size_t m_cells = 1;
    double m_lo = 0, m_scale = 0;
};

// Decoded pair of every θ, rounded through the dtype.
struct Table {
    std::vector<double> x, y;
    Table(const Compander &g, int side, DType dtype)
    {
        const std::size_t U = std::size_t(side) * std::size_t(side);
        x.resize(U);
        y.resize(U);
        for (std::uint32_t t = 0; t < U; ++t) {
            double u, v;
            DensityMode::latticePoint(side, t, u, v);
            x[t] = roundThrough(g.inverse(u), dtype);
            y[t] = roundThrough(g.inverse(v), dtype);
        }
    }
};

Result<Compander> readCompander(const ModeEncoded &e)
{
    const int B = e.density.breakpoints;
    if (B < Compander::kMinBreakpoints || B > Compander::kMaxBreakpoints)
        return Result<Compander>::failure("the density compander's breakpoint count " + std::to_string(B) +
                                          " is outside 4..4096");
    if (e.payload.size() < std::size_t(B) * 4)
        return Result<Compander>::failure("the density payload is shorter than its breakpoints");
    std::vector<float> w(static_cast<std::size_t>(B));
    for (int i = 0; i < B; ++i)
        w[std::size_t(i)] = modesupport::getFloat32LE(e.payload.data() + 4 * i);
    return Compander::fromBreakpoints(std::move(w));
}

} // namespace

int DensityMode::sideFor(double bitsPerWeight)
{
    if (!(bitsPerWeight >= 1 && bitsPerWeight <= 12))
        return 0;
    const int bits = int(std::floor(2 * bitsPerWeight + 1e-9));
    int m = int(std::floor(std::sqrt(std::ldexp(1.0, bits))));
    while (double(m) * m > std::ldexp(1.0, bits))
        --m;
    return m;
}

void DensityMode::latticePoint(int side, std::uint32_t theta, double &u, double &v)
{
    latticeUV(side, int(theta / std::uint32_t(side)), int(theta % std::uint32_t(side)), u, v);
}

Result<Compander> DensityMode::compander(const ModeEncoded &e)
{
    return readCompander(e);
}

Result<ModeEncoded> DensityMode::encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                        const Options &options, ProgressSink *progress, Search *search)
{
    using R = Result<ModeEncoded>;
    if (!isCompressibleFloat(w.dtype))
        return R::failure(std::string("dtype ") + dtypeName(w.dtype) + " cannot be compressed");
    if (w.numel == 0)
        return R::failure("the tensor is empty");
    const int m = sideFor(options.bitsPerWeight);
    if (m < 2)
        return R::failure("the density mode's bits per weight must be between 1 and 12 (got " +
                          std::to_string(options.bitsPerWeight) + ")");
    const int B = options.breakpoints > 0 ? options.breakpoints : Compander::autoBreakpoints(w.numel);
    if (B < Compander::kMinBreakpoints || B > Compander::kMaxBreakpoints)
        return R::failure("the compander needs 4 to 4096 breakpoints (got " + std::to_string(B) + ")");
    if (HyperCodec::rawReason(w).find("NaN") != std::string::npos)
        return R::failure("the tensor contains NaN or infinite values");
    const int threads = resolveThreadCount(options.threads);

    const Compander g0 = Compander::fromValues(w, B, options.uniformShare, threads);

    // Padding element: the mean, as in the paper mode.
    const std::size_t pairs = std::size_t((w.numel + 1) / 2);
    const std::size_t chunks = (pairs + kChunkPairs - 1) / kChunkPairs;
    double pad = 0;
    if (w.numel % 2) {
        std::vector<double> sums(chunks);
        parallelFor(chunks, threads, [&](std::size_t c) {
            std::vector<double> buf(2 * kChunkPairs);
            const std::size_t first = 2 * c * kChunkPairs, n = std::min(2 * kChunkPairs, w.numel - first);
            toDouble(w, first, n, buf.data());
            double s = 0;
            for (std::size_t i = 0; i < n; ++i)
                s += buf[i];
            sums[c] = s;
        });
        double s = 0;
        for (double v : sums)
            s += v;
        pad = s / double(w.numel);
    }

    // The search (see the class comment) measures every pair up to kFitPairs. Beyond that it
    // measures a sample, copied once: every stride-th pair, standing for `stride` pairs, and every
    // pair the cube-root law sends to the lattice's outer quarter (u or v within 1/8 of an edge),
    // standing for itself. Those few pairs (0.06 % on Student-t nu = 4, 8 % on a Gaussian) fix
    // the outer levels, which a strided sample of a heavy tail would miss (Student-t, 4M weights:
    // 0.0914 strided, 0.0862 with them, 0.0859 measuring every pair). One more pass then quantises
    // every pair with the winner.
    const std::size_t U = std::size_t(m) * std::size_t(m);
    const int passes = U <= kSearchLattice ? 1 + std::max(0, options.refineIterations) : 1;
    const std::size_t stride = passes > 1 && pairs > kFitPairs ? (pairs + kSamplePairs - 1) / kSamplePairs : 1;
    std::vector<double> sample, sampleWeight;
    if (stride > 1) {
        const Forward forward(g0);
        std::vector<std::vector<double>> parts(chunks), partWeights(chunks);
        parallelFor(chunks, threads, [&](std::size_t c) {
            const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
            std::vector<double> xy(2 * n);
            modesupport::loadPairs(w, pad, first, n, xy.data());
            for (std::size_t i = 0; i < n; ++i) {
                const double u = forward(xy[2 * i]), v = forward(xy[2 * i + 1]);
                const bool outer = std::min(u, v) < kOuter || std::max(u, v) > 1 - kOuter;
                if (outer || (first + i) % stride == 0) {
                    parts[c].push_back(xy[2 * i]);
                    parts[c].push_back(xy[2 * i + 1]);
                    partWeights[c].push_back(outer ? 1.0 : double(stride));
                }
            }
        });
        for (std::size_t c = 0; c < chunks; ++c) { // chunk order: the same sample on any thread count
            sample.insert(sample.end(), parts[c].begin(), parts[c].end());
            sampleWeight.insert(sampleWeight.end(), partWeights[c].begin(), partWeights[c].end());
        }
    }
    const std::size_t fitPairs = stride > 1 ? sampleWeight.size() : pairs;
    const std::size_t fitChunks = (fitPairs + kChunkPairs - 1) / kChunkPairs;

    const double work = double(passes) * double(fitChunks) + (stride > 1 ? double(chunks) : 0.0);
    std::atomic<std::size_t> done{0};
    const double md = m, shear = 1.0 / (md * md);
    const double ox = 0.5 / md - (md - 1) / (2 * md * md), oy = 0.5 / md;
    const std::uint32_t um = std::uint32_t(m);
    // One pass over `count` pairs (the sample, or the tensor): the nearest lattice point of each,
    // written to `out` if given, the squared error summed in chunk order (so it does not depend on
    // the thread count), and each chunk's Lloyd statistics if `fits` is given.
    auto quantise = [&](const Compander &g, std::size_t count, bool fromSample, std::uint32_t *out,
                        std::vector<Compander::Fit> *fits) -> std::optional<double> {
        const Forward forward(g);
        const Table table(g, m, w.dtype);
        const double *tx = table.x.data(), *ty = table.y.data();
        const std::size_t n0 = (count + kChunkPairs - 1) / kChunkPairs;
        std::vector<double> chunkError(n0);
        if (fits)
            fits->assign(n0, Compander::Fit(B));
        const bool ok = parallelFor(n0, threads, [&](std::size_t c) {
            std::vector<double> buf;
            // The Lloyd statistics per lattice point (three additions per pair), turned into the
            // least-squares problem once per chunk.
            std::vector<double> hits(fits ? U : 0), sumX(hits.size()), sumY(hits.size());
            const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, count - first);
            const double *xy = sample.data() + 2 * first;
            const double *weight = fromSample ? sampleWeight.data() + first : nullptr;
            if (!fromSample) {
                buf.resize(2 * n);
                modesupport::loadPairs(w, pad, first, n, buf.data());
                xy = buf.data();
            }
            double error = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double px = xy[2 * i], py = xy[2 * i + 1];
                const double u = forward(px), v = forward(py);
                // The four lattice points around (u, v); the nearest in w-space, the first of equals
                // in this order. Written as a tournament of selects: no branch on the data.
                const int c0 = int(std::floor((v - oy) * md));
                const int cA = std::clamp(c0, 0, m - 1), cB = std::clamp(c0 + 1, 0, m - 1);
                const int aA = int(std::floor((u - ox - cA * shear) * md));
                const int aB = int(std::floor((u - ox - cB * shear) * md));
                const std::uint32_t t0 = std::uint32_t(std::clamp(aA, 0, m - 1)) * um + std::uint32_t(cA);
                const std::uint32_t t1 = std::uint32_t(std::clamp(aA + 1, 0, m - 1)) * um + std::uint32_t(cA);
                const std::uint32_t t2 = std::uint32_t(std::clamp(aB, 0, m - 1)) * um + std::uint32_t(cB);
                const std::uint32_t t3 = std::uint32_t(std::clamp(aB + 1, 0, m - 1)) * um + std::uint32_t(cB);
                auto dist = [&](std::uint32_t t) {
                    const double dx = px - tx[t], dy = py - ty[t];
                    return dx * dx + dy * dy;
                };
                const double d0 = dist(t0), d1 = dist(t1), d2 = dist(t2), d3 = dist(t3);
                const bool s1 = d1 < d0, s3 = d3 < d2;
                const double d01 = s1 ? d1 : d0, d23 = s3 ? d3 : d2;
                const std::uint32_t t01 = s1 ? t1 : t0, t23 = s3 ? t3 : t2;
                const bool s = d23 < d01;
                const double bestD = s ? d23 : d01;
                const std::uint32_t bestT = s ? t23 : t01;
                if (out)
                    out[first + i] = bestT;
                const double q = weight ? weight[i] : 1.0;
                error += q * bestD;
                if (fits) {
                    hits[bestT] += q;
                    sumX[bestT] += q * px;
                    sumY[bestT] += q * py;
                }
            }
            for (std::size_t t = 0; t < hits.size(); ++t)
                if (hits[t] > 0) {
                    double lu, lv;
                    latticeUV(md, int(t / um), int(t % um), lu, lv);
                    (*fits)[c].add(lu, hits[t], sumX[t]);
                    (*fits)[c].add(lv, hits[t], sumY[t]);
                }
            chunkError[c] = error;
            if (progress)
                progress->setProgress(0.98 * double(done.fetch_add(1) + 1) / work);
        }, [progress] { return progress && progress->cancelRequested(); });
        if (!ok)
            return std::nullopt;
        double error = 0;
        for (double x : chunkError)
            error += x;
        return error;
    };

    std::vector<std::uint32_t> idx(pairs), scratch(stride == 1 && passes > 1 ? pairs : 0);
    std::vector<Compander::Fit> fits;
    Compander g = g0, best = g0;
    double bestError = std::numeric_limits<double>::infinity();
    if (search) {
        *search = Search{};
        search->pairsMeasured = fitPairs;
    }
    for (int pass = 0; pass < passes; ++pass) {
        const bool gather = pass + 1 < passes;
        std::uint32_t *out = stride > 1 ? nullptr : passes > 1 ? scratch.data() : idx.data();
        const auto error = quantise(g, fitPairs, stride > 1, out, gather ? &fits : nullptr);
        if (!error)
            return R::failure("cancelled");
        if (search)
            search->squaredErrors.push_back(*error);
        if (*error < bestError) {
            bestError = *error;
            best = g;
            if (search)
                search->chosen = std::size_t(pass);
            if (out && out == scratch.data())
                std::swap(idx, scratch);
        }
        if (!gather)
            break;
        Compander::Fit fit(B);
        for (const auto &f : fits) // chunk order
            fit.merge(f);
        Compander next = g.refit(fit, kRidge, kRelaxation);
        if (next.breakpoints() == g.breakpoints())
            break; // the step changed nothing: another pass would repeat this one
        g = std::move(next);
    }
    if (stride > 1 && !quantise(best, pairs, false, idx.data(), nullptr))
        return R::failure("cancelled");

    ModeEncoded e;
    e.mode = CodecMode::Density;
    e.entropy = options.entropy;
    e.shape = shape;
    e.dtype = w.dtype;
    e.numel = w.numel;
    e.density.side = m;
    e.density.breakpoints = B;
    for (float f : best.breakpoints())
        modesupport::putFloat32LE(e.payload, f);
    const auto stream = options.entropy ? RansCoder::encode(idx.data(), pairs, std::uint32_t(U))
                                        : BitPacker::pack(idx.data(), pairs, widthFor(m));
    e.payload.insert(e.payload.end(), stream.begin(), stream.end());
    if (progress)
        progress->setProgress(1.0);
    return e;
}

Status DensityMode::decode(const ModeEncoded &e, void *out, int threads)
{
    if (e.mode != CodecMode::Density)
        return Status::failure("the tensor is not coded in density mode");
    if (!isCompressibleFloat(e.dtype))
        return Status::failure(std::string("dtype ") + dtypeName(e.dtype) + " cannot be decoded");
    const int m = e.density.side;
    if (m < 2 || m > 4096)
        return Status::failure("the density lattice side " + std::to_string(m) + " is outside 2..4096");
    auto g = readCompander(e);
    if (!g)
        return Status::failure(g.error());
    const Table table(*g, m, e.dtype);
    const std::size_t pairs = std::size_t(e.pairCount());
    const std::uint8_t *stream = e.payload.data() + 4 * std::size_t(e.density.breakpoints);
    const std::size_t streamBytes = e.payload.size() - 4 * std::size_t(e.density.breakpoints);
    const std::uint32_t U = std::uint32_t(m) * std::uint32_t(m);
    const int width = widthFor(m);

    std::optional<RansCoder::Reader> reader;
    if (e.entropy) {
        auto r = RansCoder::Reader::open(stream, streamBytes, pairs);
        if (!r)
            return Status::failure("density index stream: " + r.error());
        if (r->info().alphabet > U)
            return Status::failure("the density index stream's alphabet is larger than the lattice");
        reader = std::move(r).value();
    } else if (streamBytes != BitPacker::packedSize(pairs, width)) {
        return Status::failure("the density index stream holds " + std::to_string(streamBytes) + " bytes where " +
                               std::to_string(BitPacker::packedSize(pairs, width)) + " were expected");
    }

    // Output-typed tables: the inner loop is unpack, look up, store.
    std::vector<std::uint8_t> tx(U * dtypeSize(e.dtype)), ty(U * dtypeSize(e.dtype));
    fromDouble(table.x.data(), U, e.dtype, tx.data());
    fromDouble(table.y.data(), U, e.dtype, ty.data());
    const std::size_t block = reader ? reader->blockSize() : kChunkPairs;
    const std::size_t blocks = (pairs + block - 1) / block;
    const std::size_t full = std::size_t(e.numel / 2);
    std::atomic<bool> bad{false};
    auto run = [&](auto *dst, const auto *xs, const auto *ys) {
        parallelFor(blocks, threads, [&](std::size_t b) {
            const std::size_t first = b * block, n = std::min(block, pairs - first);
            std::vector<std::uint32_t> ids;
            if (reader) {
                ids.resize(n);
                if (!reader->decodeBlock(b, ids.data())) {
                    bad = true;
                    return;
                }
            }
            const std::size_t nFull = first + n <= full ? n : full - first;
            std::uint32_t worst = 0;
            // Two loops rather than one with a branch inside: each stays a tight gather.
            auto body = [&](auto indexAt) {
                for (std::size_t i = 0; i < nFull; ++i) {
                    std::uint32_t t = indexAt(i);
                    worst = std::max(worst, t);
                    t = t < U ? t : 0;
                    dst[2 * (first + i)] = xs[t];
                    dst[2 * (first + i) + 1] = ys[t];
                }
                if (nFull < n) {
                    const std::uint32_t t = indexAt(nFull);
                    worst = std::max(worst, t);
                    dst[2 * (first + nFull)] = xs[t < U ? t : 0];
                }
            };
            if (reader)
                body([&](std::size_t i) { return ids[i]; });
            else
                body([&](std::size_t i) { return BitPacker::read(stream, streamBytes, first + i, width); });
            if (worst >= U)
                bad = true;
        });
    };
    switch (dtypeSize(e.dtype)) {
    case 8:
        run(static_cast<double *>(out), reinterpret_cast<const double *>(tx.data()), reinterpret_cast<const double *>(ty.data()));
        break;
    case 4:
        run(static_cast<float *>(out), reinterpret_cast<const float *>(tx.data()), reinterpret_cast<const float *>(ty.data()));
        break;
    default:
        run(static_cast<std::uint16_t *>(out), reinterpret_cast<const std::uint16_t *>(tx.data()),
            reinterpret_cast<const std::uint16_t *>(ty.data()));
        break;
    }
    if (bad)
        return Status::failure("the density index stream holds an index outside the lattice");
    return {};
}

} // namespace hc
