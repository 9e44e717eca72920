#pragma once

#include "core/io/modelsource.h"
#include "core/metrics/errormetrics.h"
#include "core/sweep/layersweep.h"
#include "core/sweep/sweepgrid.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// What the sweep chart compares the grid's configs with: the quantizers a user would pick instead
// (at the bits per weight the sweep spans) and the issue-9 coding modes.
enum class ComparisonKind {
    RtnPerTensor, // round-to-nearest, one scale per tensor, at each b/w budget the sweep spans
    RtnGroup128,  // round-to-nearest, groups of 128, same budgets
    Nf4Block64,   // NF4 with blocks of 64 (4.25 b/w)
    Density,      // density-matched mode at 4 and 5 index bits per weight
    Lattice,      // whole-range lattice mode at 3.5, 4.0 and 4.25 b/w
    PaperEntropy, // a Pareto config of the grid with its indices rANS-coded (same error, fewer bytes)
};
constexpr int kComparisonKinds = 6;

struct SweepComparison {
    ComparisonKind kind = ComparisonKind::RtnPerTensor;
    double setting = 0;        // the b/w asked for (RTN, density, lattice); 0 for NF4 and paper + entropy
    long gridIndex = -1;       // paper + entropy: the grid point
    double bitsPerWeight = 0;  // over the compressed elements, every stored byte counted
    double bytesIn = 0;        // raw tensors of a whole-model sweep included, as in the sweep totals
    double bytesOut = 0;
    double ratio = 0;
    ErrorMetrics metrics;      // over the compressed elements
};

// One sweep as the Sweep tab shows it: the grid's points (a layer's own, or the model totals), the
// comparisons and the sweep itself (per-layer points, for applying a config to every layer).
struct SweepChartData {
    struct Request {
        std::shared_ptr<const ModelSource> source;
        int tensorIndex = -1; // -1 = the whole model
        SweepGrid grid;
        bool modes = false;   // also the density, lattice and paper + entropy comparisons
        int threads = 0;
    };

    int tensorIndex = -1;
    std::string scopeName;          // the tensor's name, or empty for the whole model
    ModelSweep sweep;
    std::vector<SweepPoint> points; // grid order: the layer's points, or sweep.totals
    std::vector<SweepComparison> comparisons;
    std::vector<std::string> notes; // comparisons that could not be made, one sentence each
    double seconds = 0;

    bool wholeModel() const { return tensorIndex < 0; }

    // Runs the sweep (SweepRunner::runModel), then the comparisons on every compressible layer,
    // totalled by parameter count (bytes summed, raw tensors counted as stored raw). Progress: the
    // sweep takes the first 85 %. Fails with one sentence when the sweep fails (a raw layer, a read
    // error) or when `progress` asks to cancel ("the sweep was cancelled"). Reentrant.
    static Result<SweepChartData> compute(const Request &request, ProgressSink *progress = nullptr);

    // The b/w budgets the RTN baselines are evaluated at: the sweep's b/w rounded to halves, 2..16.
    static std::vector<double> baselineBudgets(const std::vector<SweepPoint> &points);
};

} // namespace hc
