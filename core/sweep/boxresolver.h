#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <optional>
#include <string>

namespace hc {

// How a box size l is given: in the weights' own units (the paper's way), or as a multiple of the
// layer's standard deviation, so that one setting suits layers of very different scales.
enum class BoxMode { Absolute, Sigma };

// Turns an l setting into the absolute l the codec takes. Reentrant.
class BoxResolver {
public:
    // Population standard deviation over all elements (in double; parallel, two passes,
    // independent of the thread count). Fails on a non-float dtype, an empty tensor or NaN/Inf.
    static Result<double> standardDeviation(const TensorView &w, int threads = 0);

    // Absolute l for a setting, given the layer's σ. When σ is 0 (a constant layer, e.g. a fresh
    // LayerNorm weight) every pair sits on the centroid and any l is exact: the setting is then
    // used as an absolute l so that the codec still gets a valid positive box.
    static double resolve(double box, BoxMode mode, double sigma);
    // Same, computing σ from the tensor when the mode needs it.
    static Result<double> resolve(const TensorView &w, double box, BoxMode mode, int threads = 0);

    static const char *modeName(BoxMode mode); // "absolute", "sigma"
    static std::optional<BoxMode> modeFromName(const std::string &name);
};

} // namespace hc
