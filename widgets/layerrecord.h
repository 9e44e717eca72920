#pragma once

#include "core/codec/codecparams.h"
#include "core/tensor/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hc {

// One row of the layer table: what the model file lists, the statistics computed after opening,
// the layer's codec settings and, once evaluated, what the codec achieved on it. A plain value:
// the table model owns a snapshot of these and every change goes through the model.
struct LayerRecord {
    // From the model file.
    std::string name;
    std::vector<std::int64_t> shape;
    DType dtype = DType::F32;
    std::string dtypeName;
    std::uint64_t numel = 0;
    bool compressible = true; // a float tensor of at least 10 elements

    // Computed off the GUI thread after opening.
    bool statisticsReady = false;
    double sigma = 0;
    double kurtosis = 0;       // excess kurtosis (0 for a Gaussian)
    double centreX = 0, centreY = 0;
    bool outerShareReady = false;
    double outerShare = 0;     // share of pairs outside the box of the layer's current l
    double outerShareBox = 0;  // the l that outerShare was computed for
    std::string statisticsError; // non-empty when the statistics could not be computed

    // The layer's settings: the model defaults, or an override.
    CodecParams params;
    bool overridden = false;

    // The codec's result for `params`, once evaluated.
    bool evaluated = false;
    double ratio = 0;
    double relError = 0;
    int classesUsed = 0;
};

} // namespace hc
