#pragma once

#include "core/sweep/layersweep.h"
#include "core/sweep/sweeppoint.h"
#include "core/util/result.h"

#include <string>
#include <vector>

namespace hc {

// The config chosen for one layer.
struct LayerChoice {
    std::string name;
    bool raw = false;        // stored raw: nothing to choose
    long pointIndex = -1;    // index into the layer's points (grid order); -1 when raw
    SweepPoint point;        // the chosen point (default when raw)
    bool meetsTarget = true; // maximum-error mode: this layer is within the error; false = best it could do
};

struct TuneResult {
    std::vector<LayerChoice> layers; // in the order of the sweep's layers
    bool targetMet = false;          // every layer within the error / the total ratio reached
    SweepPoint totals;               // over the chosen points (SweepRunner::total), raw layers in the bytes
    double squaredError = 0;         // Σ ||w - ŵ||² over the compressed layers
};

// Chooses one grid point per layer from per-layer sweeps (LayerSweep, e.g. ModelSweep::layers).
// Every choice lies on its layer's Pareto front (ParetoFront, relative error against ratio).
// Stateless and reentrant.
class AutoTuner {
public:
    // Per layer, the highest-ratio point whose relative Frobenius error is at most maxRelError;
    // when none is, the least-error point, flagged (meetsTarget = false, targetMet = false).
    // Fails when maxRelError is not a non-negative number or a compressible layer has no points.
    static Result<TuneResult> forMaxError(const std::vector<LayerSweep> &layers, double maxRelError);

    // The least total squared error Σ||w - ŵ||² whose total ratio (all bytes in / all bytes out,
    // raw layers included) is at least targetRatio: a greedy walk along each layer's lower convex
    // hull of (bytes, squared error), best error drop per byte first, steps that would break the
    // budget skipped, then a pass that spends any bytes left on the front points that lower the
    // error most. When even the highest-ratio point of every layer misses the target, returns
    // those with targetMet = false. Fails when targetRatio is not a positive number or a
    // compressible layer has no points.
    static Result<TuneResult> forTargetRatio(const std::vector<LayerSweep> &layers, double targetRatio);
};

} // namespace hc
