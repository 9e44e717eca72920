#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <cstddef>
#include <vector>

namespace hc {

// A monotone compressor G: R -> [0, 1] built from a tensor's own distribution with slope
// proportional to the cube root of the density (the MSE-optimal companding law, Bennett / Panter-
// Dite), mixed with a small uniform share so that G is strictly increasing everywhere (no region of
// the range is left without levels). It is tabulated on B breakpoints w_0 < … < w_{B-1}, float32,
// with G(w_i) = i/(B-1) and linear in between: only the w_i are stored (4·B bytes).
// Immutable; safe to share between threads.
class Compander {
public:
    static constexpr int kMinBreakpoints = 4;
    static constexpr int kMaxBreakpoints = 4096;
    // Breakpoints for a tensor of numel elements when the caller does not choose: more for big
    // tensors, where their bytes are negligible and the curve is well estimated.
    static int autoBreakpoints(std::size_t numel);

    // From the values of w (float dtype, finite, numel >= 1). `uniformShare` in [0, 1) is the
    // weight of the uniform law in the mix (the floor on the slope).
    static Compander fromValues(const TensorView &w, int breakpoints, double uniformShare = 0.005, int threads = 0);
    // From stored breakpoints: fails unless there are 4..4096, all finite and strictly increasing.
    static Result<Compander> fromBreakpoints(std::vector<float> breakpoints);

    double forward(double w) const; // G(w), clamped to [0, 1]
    double inverse(double u) const; // G^-1(u), u clamped to [0, 1]
    const std::vector<float> &breakpoints() const { return m_w; }

private:
    Compander() = default;
    void cache();
    std::vector<float> m_w;
    std::vector<double> m_wd;
};

} // namespace hc
