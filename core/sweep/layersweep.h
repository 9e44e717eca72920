#pragma once

#include "core/sweep/sweepgrid.h"
#include "core/sweep/sweeppoint.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hc {

// A sweep of one tensor: one point per grid point, in grid order (SweepGrid::point(i)).
// A tensor the codec stores raw (too small, not a float, NaN/Inf) has no points; it still
// counts in a model's bytes.
struct LayerSweep {
    std::string name;
    std::uint64_t numel = 0;
    std::uint64_t bytesIn = 0;
    double sigma = 0;       // standard deviation (0 for raw tensors)
    bool raw = false;
    std::string rawReason;  // HyperCodec::rawReason() when raw
    std::vector<SweepPoint> points;
};

// A sweep of a whole model: per layer, and per grid point totalled over the layers.
struct ModelSweep {
    SweepGrid grid;
    std::vector<LayerSweep> layers;
    std::vector<SweepPoint> totals; // totals[i] = grid point i applied to every compressible layer
};

} // namespace hc
