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

int widthFor(int side)
{
    return BitPacker::bitLength(std::uint32_t(side) * std::uint32_t(side) - 1);
}

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
    const double m = side;
    const double a = double(theta / std::uint32_t(side)), c = double(theta % std::uint32_t(side));
    u = (a + 0.5) / m + (c - (m - 1) / 2) / (m * m);
    v = (c + 0.5) / m;
}

Result<Compander> DensityMode::compander(const ModeEncoded &e)
{
    return readCompander(e);
}

Result<ModeEncoded> DensityMode::encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                        const Options &options, ProgressSink *progress)
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

    const Compander g = Compander::fromValues(w, B, options.uniformShare, threads);
    const Table table(g, m, w.dtype);

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

    std::vector<std::uint32_t> idx(pairs);
    const double md = m, h = 1.0 / md;
    const double ox = 0.5 / md - (md - 1) / (2 * md * md), oy = 0.5 / md;
    std::atomic<std::size_t> done{0};
    const bool ok = parallelFor(chunks, threads, [&](std::size_t c) {
        std::vector<double> xy(2 * kChunkPairs);
        const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
        modesupport::loadPairs(w, pad, first, n, xy.data());
        for (std::size_t i = 0; i < n; ++i) {
            const double px = xy[2 * i], py = xy[2 * i + 1];
            const double u = g.forward(px), v = g.forward(py);
            const int c0 = int(std::floor((v - oy) * md));
            double best = std::numeric_limits<double>::infinity();
            std::uint32_t bestT = 0;
            for (int dc = 0; dc < 2; ++dc) {
                const int cc = std::clamp(c0 + dc, 0, m - 1);
                const int a0 = int(std::floor((u - ox - cc * h / md) * md));
                for (int da = 0; da < 2; ++da) {
                    const int aa = std::clamp(a0 + da, 0, m - 1);
                    const std::uint32_t t = std::uint32_t(aa) * std::uint32_t(m) + std::uint32_t(cc);
                    const double dx = px - table.x[t], dy = py - table.y[t];
                    const double d = dx * dx + dy * dy;
                    if (d < best || (d == best && t < bestT)) {
                        best = d;
                        bestT = t;
                    }
                }
            }
            idx[first + i] = bestT;
        }
        if (progress)
            progress->setProgress(0.9 * double(done.fetch_add(1) + 1) / double(chunks));
    }, [progress] { return progress && progress->cancelRequested(); });
    if (!ok)
        return R::failure("cancelled");

    ModeEncoded e;
    e.mode = CodecMode::Density;
    e.entropy = options.entropy;
    e.shape = shape;
    e.dtype = w.dtype;
    e.numel = w.numel;
    e.density.side = m;
    e.density.breakpoints = B;
    for (float f : g.breakpoints())
        modesupport::putFloat32LE(e.payload, f);
    const std::uint32_t U = std::uint32_t(m) * std::uint32_t(m);
    const auto stream = options.entropy ? RansCoder::encode(idx.data(), pairs, U)
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
