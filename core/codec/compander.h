#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace hc {

// A monotone compressor G: R -> [0, 1] built from a tensor's own distribution with slope
// proportional to the cube root of the density (the MSE-optimal companding law, Bennett / Panter-
// Dite), mixed with a small uniform share so that G is strictly increasing everywhere (no region of
// the range is left without levels). It is tabulated on B breakpoints w_0 < … < w_{B-1}, float32,
// with G(w_i) = i/(B-1) and linear in between: only the w_i are stored (4·B bytes).
// The cube-root law is only asymptotically optimal (many levels); with few levels a quantiser's
// levels G^-1(u_k) can be fitted to its cells' contents (refit, one Lloyd step).
// Immutable; safe to share between threads.
class Compander {
public:
    // Least-squares problem "G^-1(u) should equal value", summed over many (u, value) observations.
    // G^-1(u) is linear in the breakpoints with at most two non-zero weights, so the normal
    // equations are tridiagonal and have 3·B numbers. Not thread-safe: one per thread, then merge
    // (in a fixed order when the result must not depend on the thread count).
    class Fit {
    public:
        explicit Fit(int breakpoints);
        // `count` observations at u whose values sum to `sum`.
        void add(double u, double count, double sum)
        {
            const std::size_t B = m_diag.size();
            const double v = (u > 0 ? (u < 1 ? u : 1.0) : 0.0) * double(B - 1);
            const std::size_t i = std::min(std::size_t(v), B - 2); // as in inverse()
            const double t = v - double(i), s = 1 - t;
            m_diag[i] += count * s * s;
            m_diag[i + 1] += count * t * t;
            m_off[i] += count * s * t;
            m_rhs[i] += s * sum;
            m_rhs[i + 1] += t * sum;
            m_count += count;
        }
        void merge(const Fit &other);
        double count() const { return m_count; }

    private:
        friend class Compander;
        std::vector<double> m_diag, m_off, m_rhs;
        double m_count = 0;
    };

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

    // One Lloyd step on the breakpoints: the inner ones (w_0 and w_{B-1}, the tensor's minimum and
    // maximum, stay) minimising the fit's squared error + ridge·(count/B)·Σ (w_i - current w_i)²
    // (the ridge holds breakpoints that no observation reaches), moved `relaxation` times the way
    // from the current breakpoints to that minimum (over-relaxation, > 1, converges in fewer steps),
    // then made non-decreasing by pooling adjacent violators, and strictly increasing in float32.
    // Returns *this unchanged when the step cannot give valid breakpoints. `fit` must have B.
    Compander refit(const Fit &fit, double ridge, double relaxation) const;

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
