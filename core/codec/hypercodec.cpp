#include "core/codec/hypercodec.h"

#include "core/codec/bitpacker.h"
#include "core/codec/classrings.h"
#include "core/codec/kdtreesearch.h"
#include "core/codec/latticesearch.h"
#include "core/codec/trajectorycodebook.h"
#include "core/tensor/halffloat.h"
#include "core/util/parallelfor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>

namespace hc {

namespace {

// Fixed chunking keeps sums in the same order whatever the thread count: results are
// bit-identical on 1 or 16 threads.
constexpr std::size_t kChunkPairs = std::size_t(1) << 15;

// Reads pairs from the flat tensor, appending the padding element after an odd last element.
struct PairReader {
    TensorView w;
    double pad = 0;
    void load(std::size_t firstPair, std::size_t count, double *xy) const
    {
        const std::size_t first = firstPair * 2;
        const std::size_t want = count * 2;
        const std::size_t real = std::min(want, w.numel - first);
        toDouble(w, first, real, xy);
        if (real < want)
            xy[real] = pad;
    }
};

// Decoded pairs for every index (j, k), rounded through the output dtype.
struct DecodeTable {
    std::uint32_t entries = 0;
    std::vector<double> x, y;
    DecodeTable(const TrajectoryCodebook &cb, const ClassRings &rings, DType dtype)
    {
        const std::size_t perClass = cb.size();
        entries = std::uint32_t(perClass * std::size_t(rings.classes() + 1));
        x.resize(entries);
        y.resize(entries);
        for (int k = 0; k <= rings.classes(); ++k) {
            const double s = rings.scale(k);
            for (std::size_t j = 0; j < perClass; ++j) {
                const std::size_t i = std::size_t(k) * perClass + j;
                x[i] = roundThrough(cb.centreX() + (cb.x(j) - cb.centreX()) / s, dtype);
                y[i] = roundThrough(cb.centreY() + (cb.y(j) - cb.centreY()) / s, dtype);
            }
        }
    }
};

struct Geometry {
    double cx = 0, cy = 0, half = 0, farthest = 0;
    std::uint64_t outer = 0;
};

enum class Pass { All, InnerOnly, OuterOnly };

// One chunk's pairs as doubles. Reused per thread: a fresh 512 KiB vector per chunk costs a
// round of page faults each time.
std::vector<double> &chunkBuffer()
{
    thread_local std::vector<double> buffer;
    buffer.resize(2 * kChunkPairs);
    return buffer;
}

struct ChunkResult {
    double absErr = 0;
    std::uint32_t maxIndex = 0;
};

template <class Search>
ChunkResult encodeChunk(const double *xy, std::size_t count, bool lastHasPad, const Geometry &g,
                        const ClassRings &rings, const Search &search, const DecodeTable &table,
                        std::uint32_t perClass, Pass pass, std::uint32_t *out)
{
    ChunkResult r;
    for (std::size_t i = 0; i < count; ++i) {
        const double px = xy[2 * i], py = xy[2 * i + 1];
        const double dx = px - g.cx, dy = py - g.cy;
        const bool inner = std::fabs(dx) <= g.half && std::fabs(dy) <= g.half;
        if ((pass == Pass::InnerOnly && !inner) || (pass == Pass::OuterOnly && inner))
            continue;
        std::uint32_t idx;
        if (inner || rings.classes() == 0) {
            idx = search.nearest(px, py);
        } else {
            const int k = rings.classify(std::sqrt(dx * dx + dy * dy));
            const double s = rings.scale(k);
            idx = search.nearest(g.cx + s * dx, g.cy + s * dy) + perClass * std::uint32_t(k);
        }
        out[i] = idx;
        r.maxIndex = std::max(r.maxIndex, idx);
        r.absErr += std::fabs(px - table.x[idx]);
        if (!(lastHasPad && i + 1 == count))
            r.absErr += std::fabs(py - table.y[idx]);
    }
    return r;
}

struct Engine {
    std::unique_ptr<LatticeSearch> lattice;
    std::unique_ptr<KdTreeSearch> kdtree;
};

} // namespace

std::string HyperCodec::rawReason(const TensorView &w)
{
    if (!isCompressibleFloat(w.dtype))
        return std::string("its dtype ") + dtypeName(w.dtype) + " is not a float type";
    if (w.numel < 10)
        return "it has fewer than 10 elements";
    std::vector<double> buf(std::min<std::size_t>(w.numel, 1 << 16));
    for (std::size_t off = 0; off < w.numel; off += buf.size()) {
        const std::size_t n = std::min(buf.size(), w.numel - off);
        toDouble(w, off, n, buf.data());
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(buf[i]))
                return "it contains NaN or infinite values";
    }
    return {};
}

Status HyperCodec::validate(const CodecParams &p)
{
    if (p.samples < 1)
        return Status::failure("the number of samples U must be at least 1 (got " + std::to_string(p.samples) + ")");
    if (p.samples > (1 << 24))
        return Status::failure("the number of samples U must be at most 16777216 (got " + std::to_string(p.samples) + ")");
    if (!(p.box > 0) || !std::isfinite(p.box))
        return Status::failure("the box size l must be a positive number (got " + std::to_string(p.box) + ")");
    if (p.classes < 1 || p.classes > 64)
        return Status::failure("the number of classes K must be between 1 and 64 (got " + std::to_string(p.classes) + ")");
    const double maxIndex = double(p.samples) + double(p.samples + 1) * p.classes;
    if (maxIndex > 4294967295.0)
        return Status::failure("U and K together need more than 32 bits per index");
    return {};
}

Result<EncodedTensor> HyperCodec::encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                         const CodecParams &params, const EncodeOptions &options,
                                         ProgressSink *progress)
{
    if (Status s = validate(params); !s)
        return Result<EncodedTensor>::failure(s.error());
    if (!isCompressibleFloat(w.dtype))
        return Result<EncodedTensor>::failure(std::string("dtype ") + dtypeName(w.dtype) + " cannot be compressed");
    if (w.numel == 0)
        return Result<EncodedTensor>::failure("the tensor is empty");

    const int threads = resolveThreadCount(options.threads);
    const std::size_t pairs = (w.numel + 1) / 2;
    const std::size_t chunks = (pairs + kChunkPairs - 1) / kChunkPairs;
    const bool odd = (w.numel % 2) != 0;
    auto cancelled = [progress] { return progress && progress->cancelRequested(); };
    std::atomic<std::size_t> done{0};
    auto report = [&](double passes, double pass) {
        if (progress)
            progress->setProgress(std::min(1.0, (pass + double(done.fetch_add(1) + 1) / double(chunks)) / passes));
    };

    // Pass 1: sums of the even and odd elements, for mean(w) (the padding) and the centroid.
    std::vector<double> sumX(chunks, 0.0), sumY(chunks, 0.0);
    PairReader reader{w, 0.0};
    const bool ok1 = parallelFor(chunks, threads, [&](std::size_t c) {
        std::vector<double> &xy = chunkBuffer();
        const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
        const std::size_t real = std::min(2 * n, w.numel - 2 * first);
        toDouble(w, 2 * first, real, xy.data());
        double sx = 0, sy = 0;
        for (std::size_t i = 0; i < real; ++i)
            (i % 2 == 0 ? sx : sy) += xy[i];
        sumX[c] = sx;
        sumY[c] = sy;
    }, cancelled);
    if (!ok1)
        return Result<EncodedTensor>::failure("cancelled");
    double totalX = 0, totalY = 0;
    for (std::size_t c = 0; c < chunks; ++c) {
        totalX += sumX[c];
        totalY += sumY[c];
    }
    reader.pad = (totalX + totalY) / double(w.numel);
    Geometry g;
    g.cx = totalX / double(pairs);
    g.cy = (totalY + (odd ? reader.pad : 0.0)) / double(pairs);
    g.half = params.box / 2;

    // Pass 2: the farthest distance D and whether any point lies outside the box.
    std::vector<double> far(chunks, 0.0);
    std::vector<std::uint64_t> outer(chunks, 0);
    const bool ok2 = parallelFor(chunks, threads, [&](std::size_t c) {
        std::vector<double> &xy = chunkBuffer();
        const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
        reader.load(first, n, xy.data());
        double d2 = 0;
        std::uint64_t out = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double dx = xy[2 * i] - g.cx, dy = xy[2 * i + 1] - g.cy;
            d2 = std::max(d2, dx * dx + dy * dy);
            out += (std::fabs(dx) > g.half || std::fabs(dy) > g.half) ? 1 : 0;
        }
        far[c] = d2;
        outer[c] = out;
    }, cancelled);
    if (!ok2)
        return Result<EncodedTensor>::failure("cancelled");
    for (std::size_t c = 0; c < chunks; ++c) {
        g.farthest = std::max(g.farthest, far[c]);
        g.outer += outer[c];
    }
    g.farthest = std::sqrt(g.farthest);

    EncodedTensor e;
    e.shape = shape;
    e.dtype = w.dtype;
    e.numel = w.numel;
    e.samples = params.samples;
    e.box = params.box;
    e.centreX = g.cx;
    e.centreY = g.cy;
    e.farthest = g.farthest;
    e.indices.assign(pairs, 0);

    const TrajectoryCodebook codebook(g.cx, g.cy, params.box, params.samples);
    Engine engine;
    if (options.engine == SearchEngine::Lattice)
        engine.lattice = std::make_unique<LatticeSearch>(codebook);
    else
        engine.kdtree = std::make_unique<KdTreeSearch>(codebook);
    const std::uint32_t perClass = std::uint32_t(params.samples) + 1;

    // Runs one encoding pass over every chunk; returns false when cancelled.
    auto runPass = [&](const ClassRings &rings, Pass pass, std::uint32_t *out, double &absErr,
                       std::uint32_t &maxIndex, double passes, double passNo) {
        const DecodeTable table(codebook, rings, w.dtype);
        std::vector<ChunkResult> results(chunks);
        done = 0;
        const bool ok = parallelFor(chunks, threads, [&](std::size_t c) {
            std::vector<double> &xy = chunkBuffer();
            const std::size_t first = c * kChunkPairs, n = std::min(kChunkPairs, pairs - first);
            reader.load(first, n, xy.data());
            const bool lastHasPad = odd && first + n == pairs;
            results[c] = engine.lattice
                ? encodeChunk(xy.data(), n, lastHasPad, g, rings, *engine.lattice, table, perClass, pass, out + first)
                : encodeChunk(xy.data(), n, lastHasPad, g, rings, *engine.kdtree, table, perClass, pass, out + first);
            report(passes, passNo);
        }, cancelled);
        absErr = 0;
        maxIndex = 0;
        for (const auto &r : results) {
            absErr += r.absErr;
            maxIndex = std::max(maxIndex, r.maxIndex);
        }
        return ok;
    };

    const double n = double(w.numel);
    if (g.outer == 0) {
        // Every pair is inside the box: K = 0, whatever was asked.
        double err;
        std::uint32_t maxIndex;
        if (!runPass(ClassRings(params.box, g.farthest, 0), Pass::All, e.indices.data(), err, maxIndex, 1, 0))
            return Result<EncodedTensor>::failure("cancelled");
        e.classes = 0;
        e.mae = err / n;
        e.bits = BitPacker::bitLength(maxIndex);
        return e;
    }
    if (!params.autoClasses) {
        double err;
        std::uint32_t maxIndex;
        if (!runPass(ClassRings(params.box, g.farthest, params.classes), Pass::All, e.indices.data(), err, maxIndex, 1, 0))
            return Result<EncodedTensor>::failure("cancelled");
        e.classes = params.classes;
        e.mae = err / n;
        e.bits = BitPacker::bitLength(maxIndex);
        return e;
    }

    // K-auto (ALGORITHM.md §2). Inner points do not depend on K: encode them once, then only the
    // outer points for each K, keeping the K with the lowest MAE (the larger K on a tie).
    const double passes = 1.0 + params.classes;
    double innerErr;
    std::uint32_t innerMax;
    if (!runPass(ClassRings(params.box, g.farthest, 1), Pass::InnerOnly, e.indices.data(), innerErr, innerMax, passes, 0))
        return Result<EncodedTensor>::failure("cancelled");
    std::vector<std::uint32_t> candidate = e.indices;
    e.maeByClasses.assign(std::size_t(params.classes) + 1, 0.0);
    double bestMae = std::numeric_limits<double>::infinity();
    std::uint32_t bestMax = 0;
    for (int k = 1; k <= params.classes; ++k) {
        double outerErr;
        std::uint32_t outerMax;
        if (!runPass(ClassRings(params.box, g.farthest, k), Pass::OuterOnly, candidate.data(), outerErr, outerMax, passes, k))
            return Result<EncodedTensor>::failure("cancelled");
        const double mae = (innerErr + outerErr) / n;
        e.maeByClasses[std::size_t(k)] = mae;
        if (mae <= bestMae) {
            bestMae = mae;
            bestMax = std::max(innerMax, outerMax);
            e.classes = k;
            std::swap(candidate, e.indices);
        }
        if (mae <= params.lossThreshold) {
            e.maeByClasses.resize(std::size_t(k) + 1); // the K not tried have no MAE
            break;
        }
    }
    e.mae = bestMae;
    e.bits = BitPacker::bitLength(bestMax);
    return e;
}

namespace {

template <typename T>
void convertTable(const std::vector<double> &src, DType dtype, std::vector<T> &dst)
{
    dst.resize(src.size());
    fromDouble(src.data(), src.size(), dtype, dst.data());
}

// The decoder's inner loop: unpack, look up, store. T is the stored element type.
template <typename T, typename IndexAt>
bool decodeLoop(const EncodedTensor &h, const DecodeTable &table, IndexAt indexAt, void *out, int threads)
{
    std::vector<T> tx, ty;
    convertTable(table.x, h.dtype, tx);
    convertTable(table.y, h.dtype, ty);
    T *dst = static_cast<T *>(out);
    const std::size_t pairs = std::size_t(h.pairCount());
    const std::size_t full = std::size_t(h.numel / 2); // pairs whose both elements are real
    const std::size_t chunks = (pairs + kChunkPairs - 1) / kChunkPairs;
    std::atomic<bool> bad{false};
    parallelFor(chunks, threads, [&](std::size_t c) {
        const std::size_t first = c * kChunkPairs, last = std::min(pairs, first + kChunkPairs);
        const std::size_t fullLast = std::min(last, full);
        const std::uint32_t entries = table.entries;
        std::uint32_t worst = 0;
        for (std::size_t i = first; i < fullLast; ++i) {
            std::uint32_t idx = indexAt(i);
            worst = std::max(worst, idx);
            idx = idx < entries ? idx : 0;
            dst[2 * i] = tx[idx];
            dst[2 * i + 1] = ty[idx];
        }
        if (fullLast < last) { // the odd last element; its partner was padding
            std::uint32_t idx = indexAt(fullLast);
            worst = std::max(worst, idx);
            dst[2 * fullLast] = tx[idx < entries ? idx : 0];
        }
        if (worst >= entries)
            bad = true;
    });
    return !bad;
}

template <typename IndexAt>
bool decodeAny(const EncodedTensor &h, IndexAt indexAt, void *out, int threads)
{
    const TrajectoryCodebook codebook(h.centreX, h.centreY, h.box, h.samples);
    const DecodeTable table(codebook, ClassRings(h.box, h.farthest, h.classes), h.dtype);
    switch (h.dtype) {
    case DType::F64:
        return decodeLoop<double>(h, table, indexAt, out, threads);
    case DType::F32:
        return decodeLoop<float>(h, table, indexAt, out, threads);
    case DType::F16:
    case DType::BF16:
        return decodeLoop<std::uint16_t>(h, table, indexAt, out, threads);
    default:
        return false;
    }
}

} // namespace

void HyperCodec::decode(const EncodedTensor &e, void *out, int threads)
{
    const std::uint32_t *idx = e.indices.data();
    decodeAny(e, [idx](std::size_t i) { return idx[i]; }, out, threads);
}

Status HyperCodec::decodePacked(const EncodedTensor &header, const std::uint8_t *packed, std::size_t bytes,
                                void *out, int threads)
{
    if (header.bits < 1 || header.bits > 32)
        return Status::failure("the index width " + std::to_string(header.bits) + " is outside 1..32");
    if (bytes < BitPacker::packedSize(std::size_t(header.pairCount()), header.bits))
        return Status::failure("the index stream is shorter than its tensor needs");
    const int width = header.bits;
    const bool ok = decodeAny(header, [packed, bytes, width](std::size_t i) { return BitPacker::read(packed, bytes, i, width); },
                              out, threads);
    if (!ok)
        return Status::failure("the index stream holds an index outside the codebook");
    return {};
}

void HyperCodec::decodeIndex(const EncodedTensor &e, std::uint32_t index, double &x, double &y)
{
    const TrajectoryCodebook codebook(e.centreX, e.centreY, e.box, e.samples);
    const ClassRings rings(e.box, e.farthest, e.classes);
    const std::uint32_t perClass = std::uint32_t(e.samples) + 1;
    const int k = int(index / perClass);
    const std::size_t j = index % perClass;
    const double s = rings.scale(std::min(k, e.classes));
    x = roundThrough(codebook.centreX() + (codebook.x(j) - codebook.centreX()) / s, e.dtype);
    y = roundThrough(codebook.centreY() + (codebook.y(j) - codebook.centreY()) / s, e.dtype);
}

} // namespace hc
