// Issue 9's "Proof" table: for a heavy-tailed synthetic tensor (Student-t, nu = 4), a Gaussian one,
// and the real model the tests use (models/nequip_water.pt, when LibTorch is built in), the
// parameter-weighted relative error and actual bits per weight (every stored byte counted) of
// paper mode with and without entropy coding, lattice mode at 3.5 / 4.0 / 4.25 b/w, density mode at
// 4 and 5 b/w, RTN (per tensor and group-128) and NF4 block-64, each with its decode throughput on
// one core; and, on the paper mode's index stream, rANS against zstd (levels 3 and 19): bits per
// pair next to the order-0 entropy, and decode speed.
// Usage: bench_modes [elements (default 4194304)] [model path]
// HC_BENCH_TUNE=1: paper-mode box sweep and compander settings; HC_BENCH_TUNE_MODEL=1: lattice vs
// NF4 per tensor of the model.
#include "core/baselines/normalfloatquantizer.h"
#include "core/baselines/roundtonearestquantizer.h"
#include "core/codec/densitymode.h"
#include "core/codec/hypercodec.h"
#include "core/codec/latticemode.h"
#include "core/codec/modecodec.h"
#include "core/codec/ranscoder.h"
#include "core/metrics/errormetrics.h"
#include "core/tensor/halffloat.h"
#include "core/util/syntheticweights.h"
#ifdef HC_BENCH_HAS_TORCH
#include "core/torch/modelfiles.h"
#endif
#ifdef HC_BENCH_HAS_ZSTD
#include <zstd.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace hc;

namespace {

double bestSeconds(int runs, const std::function<void()> &f)
{
    double best = 1e30;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

struct Tensor {
    std::string name;
    std::vector<float> values;
};

// One method's totals over a set of tensors.
struct Row {
    ErrorMetrics metrics;
    std::size_t numel = 0;
    double bytes = 0;         // every stored byte
    double decodeSeconds = 0; // one thread
    double encodeSeconds = 0;
    bool decodeMeasured = false;
    void add(const ErrorMetrics &m, std::size_t n, double b)
    {
        metrics = numel ? ErrorMetrics::combine(metrics, numel, m, n) : m;
        numel += n;
        bytes += b;
    }
};

using Method = std::function<bool(const Tensor &, Row &)>;

ErrorMetrics measure(const Tensor &t, const std::vector<float> &restored)
{
    return ErrorMetrics::measure({t.values.data(), DType::F32, t.values.size()},
                                 {restored.data(), DType::F32, restored.size()}, 1);
}

const int kRuns = 3;

bool runMode(const Tensor &t, Row &row, const ModeOptions &options)
{
    const TensorView v{t.values.data(), DType::F32, t.values.size()};
    Result<ModeEncoded> e = Result<ModeEncoded>::failure("not run");
    row.encodeSeconds += bestSeconds(1, [&] { e = ModeCodec::encode(v, {std::int64_t(v.numel)}, options); });
    if (!e) {
        std::fprintf(stderr, "%s: %s\n", t.name.c_str(), e.error().c_str());
        return false;
    }
    std::vector<float> out(v.numel);
    Status s;
    row.decodeSeconds += bestSeconds(kRuns, [&] { s = e->decode(out.data(), 1); });
    row.decodeMeasured = true;
    if (!s) {
        std::fprintf(stderr, "%s: decode: %s\n", t.name.c_str(), s.error().c_str());
        return false;
    }
    row.add(measure(t, out), v.numel, double(e->totalBytes()));
    return true;
}

// NF4 / RTN decode speed: the same work their decoders do (unpack a 4-bit code, look it up or
// scale it, per-block float16 scale), on random codes: the speed does not depend on the values.
double nf4DecodeSeconds(std::size_t n, int block)
{
    std::mt19937 rng(7);
    std::vector<std::uint8_t> codes((n + 1) / 2);
    for (auto &c : codes)
        c = std::uint8_t(rng());
    std::vector<std::uint16_t> absmax((n + block - 1) / block, floatToHalf(0.05f));
    const auto &cb = NormalFloatQuantizer::codebook();
    float table[16];
    for (int i = 0; i < 16; ++i)
        table[i] = float(cb[std::size_t(i)]);
    std::vector<float> out(n);
    return bestSeconds(kRuns, [&] {
        for (std::size_t b = 0; b * block < n; ++b) {
            const float s = halfToFloat(absmax[b]);
            const std::size_t first = b * block, last = std::min(n, first + block);
            for (std::size_t i = first; i < last; ++i)
                out[i] = table[(codes[i >> 1] >> ((i & 1) * 4)) & 15] * s;
        }
    });
}

double rtnDecodeSeconds(std::size_t n, int group)
{
    std::mt19937 rng(7);
    std::vector<std::uint8_t> codes((n + 1) / 2);
    for (auto &c : codes)
        c = std::uint8_t(rng());
    const std::size_t g = group > 0 ? std::size_t(group) : n;
    std::vector<std::uint16_t> scale((n + g - 1) / g, floatToHalf(0.01f)), zero(scale.size(), floatToHalf(-0.08f));
    std::vector<float> out(n);
    return bestSeconds(kRuns, [&] {
        for (std::size_t b = 0; b * g < n; ++b) {
            const float s = halfToFloat(scale[b]), z = halfToFloat(zero[b]);
            const std::size_t first = b * g, last = std::min(n, first + g);
            for (std::size_t i = first; i < last; ++i)
                out[i] = z + float((codes[i >> 1] >> ((i & 1) * 4)) & 15) * s;
        }
    });
}

void printRow(const char *name, const Row &r)
{
    const double bpw = r.numel ? 8.0 * r.bytes / double(r.numel) : 0;
    const double mps = r.decodeSeconds > 0 ? double(r.numel) / r.decodeSeconds / 1e6 : 0;
    std::printf("  %-30s %8.4f %10.5f %9.2f %12.1f\n", name, bpw, r.metrics.relFro, r.metrics.sqnrDb, mps);
}

void table(const std::string &title, const std::vector<Tensor> &tensors, double paperBox)
{
    std::size_t total = 0;
    for (const auto &t : tensors)
        total += t.values.size();
    std::printf("\n== %s: %zu tensors, %zu parameters ==\n", title.c_str(), tensors.size(), total);
    std::printf("  %-30s %8s %10s %9s %12s\n", "method", "b/w", "rel.err", "SQNR dB", "decode M/s");

    std::vector<std::pair<std::string, Method>> methods;
    auto mode = [](CodecMode m, bool entropy, double target, double box = 0.1) {
        return [=](const Tensor &t, Row &r) {
            ModeOptions o;
            o.mode = m;
            o.entropy = entropy;
            o.targetBitsPerWeight = target;
            o.paper.box = box;
            o.threads = 0;
            return runMode(t, r, o);
        };
    };
    char label[64];
    std::snprintf(label, sizeof label, "paper U=225 l=%g K=auto:3", paperBox);
    methods.push_back({label, mode(CodecMode::Paper, false, 0, paperBox)});
    methods.push_back({"paper + rANS", mode(CodecMode::Paper, true, 0, paperBox)});
    for (double b : {3.5, 4.0, 4.25}) {
        std::snprintf(label, sizeof label, "lattice %.2f b/w", b);
        methods.push_back({label, mode(CodecMode::Lattice, true, b)});
    }
    for (double b : {4.0, 5.0}) {
        std::snprintf(label, sizeof label, "density %.0f b/w", b);
        methods.push_back({label, mode(CodecMode::Density, false, b)});
    }
    auto rtn = [](double bpw, int group) {
        return [=](const Tensor &t, Row &r) {
            const TensorView v{t.values.data(), DType::F32, t.values.size()};
            auto res = RoundToNearestQuantizer::evaluate(v, bpw, group, 0);
            if (!res)
                return false;
            r.add(res->metrics, v.numel, res->bitsPerWeight * double(v.numel) / 8.0);
            r.decodeSeconds += rtnDecodeSeconds(v.numel, group);
            return true;
        };
    };
    methods.push_back({"RTN per tensor, 4.25 b/w", rtn(4.25, 0)});
    methods.push_back({"RTN per tensor, 5 b/w", rtn(5.0, 0)});
    methods.push_back({"RTN group-128, 4.25 b/w", rtn(4.25, 128)});
    methods.push_back({"RTN group-128, 5 b/w", rtn(5.0, 128)});
    methods.push_back({"NF4 block-64", [](const Tensor &t, Row &r) {
        const TensorView v{t.values.data(), DType::F32, t.values.size()};
        auto res = NormalFloatQuantizer::evaluate(v, 64, 0);
        if (!res)
            return false;
        r.add(res->metrics, v.numel, res->bitsPerWeight * double(v.numel) / 8.0);
        r.decodeSeconds += nf4DecodeSeconds(v.numel, 64);
        return true;
    }});

    for (const auto &[name, method] : methods) {
        Row row;
        std::size_t skipped = 0;
        for (const auto &t : tensors)
            if (!method(t, row))
                ++skipped;
        printRow(name.c_str(), row);
        if (skipped)
            std::printf("    (%zu tensors failed, see stderr)\n", skipped);
    }
}

// The paper mode's index stream: order-0 entropy, rANS and zstd.
void entropyTable(const std::string &title, const std::vector<Tensor> &tensors, double paperBox)
{
    double pairs = 0, fixedBits = 0, h0 = 0, rans = 0, z3 = 0, z19 = 0;
    double ransDec = 0, z3Dec = 0, z19Dec = 0, ransEnc = 0;
    for (const auto &t : tensors) {
        const TensorView v{t.values.data(), DType::F32, t.values.size()};
        CodecParams p;
        p.box = paperBox;
        auto e = HyperCodec::encode(v, {std::int64_t(v.numel)}, p);
        if (!e)
            continue;
        const auto &idx = e->indices;
        const std::size_t n = idx.size();
        pairs += double(n);
        fixedBits += double(e->packedBytes()) * 8.0;
        h0 += RansCoder::order0EntropyBits(idx.data(), n);
        // What the archive stores: a stored-table rANS blob or the table-free model, the smaller.
        ModeEncoded coded;
        ransEnc += bestSeconds(1, [&] { coded = ModeCodec::fromPaper(*e, true, 1); });
        rans += double(coded.payload.size()) * 8.0;
        std::vector<float> back(v.numel);
        ransDec += bestSeconds(kRuns, [&] { coded.decode(back.data(), 1); });
#ifdef HC_BENCH_HAS_ZSTD
        // zstd sees the indices as little-endian uint16 (every index here is below 2^16): the byte
        // form a general-purpose compressor handles best (the bit-packed stream is not byte aligned).
        std::vector<std::uint16_t> u16(idx.begin(), idx.end());
        const std::size_t srcBytes = u16.size() * 2;
        std::vector<char> dst(ZSTD_compressBound(srcBytes));
        std::vector<std::uint16_t> round(u16.size());
        for (int level : {3, 19}) {
            const std::size_t c = ZSTD_compress(dst.data(), dst.size(), u16.data(), srcBytes, level);
            (level == 3 ? z3 : z19) += double(c) * 8.0;
            (level == 3 ? z3Dec : z19Dec) += bestSeconds(kRuns, [&] {
                ZSTD_decompress(round.data(), srcBytes, dst.data(), c);
            });
        }
#endif
    }
    std::printf("\n-- %s: paper-mode index stream (U=225, l=%g, K=auto:3), %.0f pairs --\n", title.c_str(), paperBox, pairs);
    std::printf("  %-22s %12s %16s %14s\n", "coding", "bits/pair", "share of H0 gain", "decode Mpair/s");
    auto line = [&](const char *name, double bits, double sec) {
        const double gain = fixedBits - h0;
        std::printf("  %-22s %12.3f %15.1f%% %14.1f\n", name, bits / pairs,
                    gain > 0 ? 100.0 * (fixedBits - bits) / gain : 0.0, sec > 0 ? pairs / sec / 1e6 : 0.0);
    };
    line("fixed width", fixedBits, 0);
    line("order-0 entropy H0", h0, 0);
    line("rANS (ours)", rans, ransDec); // decode: indices to weights
#ifdef HC_BENCH_HAS_ZSTD
    line("zstd -3 (uint16)", z3, z3Dec);
    line("zstd -19 (uint16)", z19, z19Dec);
#else
    std::printf("  (zstd not linked)\n");
#endif
    std::printf("  rANS encode: %.1f M symbols/s\n", ransEnc > 0 ? pairs / ransEnc / 1e6 : 0.0);
}

} // namespace

int main(int argc, char **argv)
{
    const std::size_t n = argc > 1 ? std::size_t(std::atoll(argv[1])) : std::size_t(4) << 20;
    const std::string modelPath = argc > 2 ? argv[2] : std::string(HC_BENCH_SHARED_DIR) + "/models/nequip_water.pt";
    std::printf("bench_modes: one decode thread; best of %d decode runs; b/w counts every stored byte\n", kRuns);

    std::vector<Tensor> studentT{{"student-t", studentTWeights(n, 4.0, 0.02, 2024)}};
    std::vector<Tensor> gaussian{{"gaussian", gaussianWeights(n, 0.02, 2025)}};
    if (std::getenv("HC_BENCH_TUNE")) {
        for (const auto *set : {&studentT, &gaussian}) {
            const Tensor &t = set->front();
            const TensorView v{t.values.data(), DType::F32, t.values.size()};
            for (double l : {0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.16, 0.2}) {
                ModeOptions o;
                o.paper.box = l;
                Row r;
                runMode(t, r, o);
                std::printf("%s paper l=%g rel=%.5f\n", t.name.c_str(), l, r.metrics.relFro);
            }
            for (double a : {0.0, 0.005, 0.02, 0.05})
                for (int B : {32, 64, 128, 512}) {
                    DensityMode::Options o;
                    o.uniformShare = a;
                    o.breakpoints = B;
                    auto e = DensityMode::encode(v, {std::int64_t(v.numel)}, o);
                    std::vector<float> out(v.numel);
                    e->decode(out.data());
                    std::printf("%s density a=%g B=%d rel=%.5f\n", t.name.c_str(), a, B, measure(t, out).relFro);
                }
        }
        return 0;
    }
    entropyTable("Student-t nu=4", studentT, 0.1);
    table("Student-t nu=4, scale 0.02", studentT, 0.1);
    table("Gaussian, sigma 0.02", gaussian, 0.1);

#ifdef HC_BENCH_HAS_TORCH
    // The real models the tests use: the trained nequip potential and the bundled demo classifier.
    std::vector<std::string> modelPaths{modelPath};
#ifdef HC_BENCH_DEMO_MODEL
    if (argc <= 2)
        modelPaths.push_back(HC_BENCH_DEMO_MODEL);
#endif
    for (const std::string &path : modelPaths) {
        auto model = openModel(path);
        if (!model) {
            std::printf("\n(real model not read: %s)\n", model.error().c_str());
            continue;
        }
        std::vector<Tensor> real;
        for (std::size_t i = 0; i < (*model)->tensors().size(); ++i) {
            auto d = (*model)->read(i);
            if (!d)
                continue;
            const TensorView v = d->view();
            if (!HyperCodec::rawReason(v).empty())
                continue;
            Tensor t;
            t.name = (*model)->tensors()[i].name;
            t.values.resize(v.numel);
            std::vector<double> tmp(v.numel);
            toDouble(v, 0, v.numel, tmp.data());
            std::copy(tmp.begin(), tmp.end(), t.values.begin());
            real.push_back(std::move(t));
        }
        if (std::getenv("HC_BENCH_TUNE_MODEL")) {
            for (const auto &t : real) {
                const TensorView v{t.values.data(), DType::F32, t.values.size()};
                LatticeMode::Options o;
                o.targetBitsPerWeight = 4.25;
                auto e = LatticeMode::encode(v, {std::int64_t(v.numel)}, o);
                std::vector<float> out(v.numel);
                e->decode(out.data());
                auto nf4 = NormalFloatQuantizer::evaluate(v, 64);
                std::printf("%-60s %7zu bpw %.3f payload %6zu json %4zu rows %u cols %u rel %.4f nf4 %.4f\n",
                            t.name.c_str(), v.numel, e->bitsPerWeight(), e->payload.size(), e->metadataBytes(),
                            e->lattice.rows, e->lattice.cols, measure(t, out).relFro, nf4->metrics.relFro);
            }
            continue;
        }
        entropyTable(path, real, 0.1);
        table(path + " (compressible tensors)", real, 0.1);
    }
#else
    std::printf("\n(real model skipped: this build has no LibTorch)\n");
#endif
    return 0;
}
