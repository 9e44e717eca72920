// Baselines and sweep (issue 5): a 4M-element float32 tensor of heavy-tailed weights (Student-t,
// nu = 4, scale 0.02). Throughput of round-to-nearest (4 code bits, groups of 64) and NF4 (block
// 64) per thread count, their errors beside the codec at its paper setting (U = 225, l = 0.1,
// K = 3, about 5 b/w) and RTN at the same bits per weight, and the time of the default 84-point
// sweep grid on a 256K-element slice. Best of several runs: this machine is shared.
#include "core/baselines/normalfloatquantizer.h"
#include "core/baselines/roundtonearestquantizer.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweeprunner.h"
#include "core/util/syntheticweights.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

using namespace hc;

namespace {
double bestSeconds(int runs, const std::function<void()> &f)
{
    double best = 1e30;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = s < best ? s : best;
    }
    return best;
}

void row(const char *what, double bpw, const ErrorMetrics &m)
{
    std::printf("%-34s %8.3f %10.5f %10.3e %9.2f\n", what, bpw, m.relFro, m.mae, m.sqnrDb);
}
} // namespace

int main(int argc, char **argv)
{
    const std::size_t n = argc > 1 ? std::size_t(std::atoll(argv[1])) : std::size_t(4) << 20;
    const auto w = studentTWeights(n, 4.0, 0.02, 2024);
    const TensorView view{w.data(), DType::F32, n};
    std::printf("tensor: %zu float32 weights, Student-t nu=4 scale=0.02\n\n", n);

    std::printf("%-34s %8s %12s %12s\n", "operation", "threads", "seconds", "Mparams/s");
    for (int threads : {1, 2}) {
        const double rtn = bestSeconds(3, [&] { (void)RoundToNearestQuantizer::evaluateCodeBits(view, 4, 64, threads); });
        std::printf("%-34s %8d %12.4f %12.1f\n", "RTN 4-bit g64 evaluate", threads, rtn, double(n) / rtn / 1e6);
        const double nf4 = bestSeconds(3, [&] { (void)NormalFloatQuantizer::evaluate(view, 64, threads); });
        std::printf("%-34s %8d %12.4f %12.1f\n", "NF4 b64 evaluate", threads, nf4, double(n) / nf4 / 1e6);
    }

    std::printf("\n%-34s %8s %10s %10s %9s\n", "quantizer", "b/w", "rel. err", "MAE", "SQNR dB");
    CodecParams paper;
    paper.autoClasses = false;
    auto hc = SweepRunner::evaluate(view, paper);
    if (!hc) {
        std::fprintf(stderr, "%s\n", hc.error().c_str());
        return 1;
    }
    row("hyper-compression U225 l0.1 K3", hc->bitsPerWeight, hc->metrics);
    for (int group : {64, 128, 0}) {
        auto r = RoundToNearestQuantizer::evaluate(view, hc->bitsPerWeight, group);
        row(r->name.c_str(), r->bitsPerWeight, r->metrics);
    }
    auto r4 = RoundToNearestQuantizer::evaluateCodeBits(view, 4, 64);
    row(r4->name.c_str(), r4->bitsPerWeight, r4->metrics);
    auto nf4 = NormalFloatQuantizer::evaluate(view);
    row(nf4->name.c_str(), nf4->bitsPerWeight, nf4->metrics);

    const std::size_t slice = std::min<std::size_t>(n, std::size_t(1) << 18);
    const SweepGrid grid;
    for (int threads : {1, 2}) {
        Result<LayerSweep> sweep = Result<LayerSweep>::failure("not run");
        const double s = bestSeconds(2, [&] {
            sweep = SweepRunner::runTensor({"slice", {w.data(), DType::F32, slice}}, grid, {threads});
        });
        std::printf("\nsweep of %zu points on %zu weights, %d thread(s): %.3f s (%.1f Mparam-points/s)", grid.size(), slice,
                    threads, s, double(slice) * double(grid.size()) / s / 1e6);
        if (threads == 2 && sweep) {
            const auto front = ParetoFront::compute(sweep->points, ErrorMeasure::RelativeError);
            std::printf("\nPareto front (%zu of %zu points):\n", front.size(), grid.size());
            for (std::size_t i : front) {
                const SweepPoint &p = sweep->points[i];
                std::printf("  U=%4d l=%.2f K=%d  ratio %6.2f  b/w %6.3f  rel. err %.4f\n", p.params.samples, p.params.box,
                            p.params.classes, p.ratio, p.bitsPerWeight, p.metrics.relFro);
            }
        }
    }
    std::printf("\n");
    return 0;
}
