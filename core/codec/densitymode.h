#pragma once

#include "core/codec/compander.h"
#include "core/codec/modeencoded.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstdint>
#include <vector>

namespace hc {

// Density-matched mode (issue 9, `--mode density`): per tensor a compander G (slope ∝ density^(1/3),
// see Compander) maps each weight to u = G(w) in [0, 1]; the u-pairs are quantised on the paper's
// sheared lattice over the unit square with U = m² samples, θ = a·m + c at
//     (ox + a/m + c/m², oy + c/m),  ox = 1/(2m) - (m-1)/(2m²), oy = 1/(2m)
// (the trajectory θ·v mod 1 of the paper's direction, with its cells centred so every sample sits
// mid-cell); decoding is one table lookup θ -> (G^-1(u_θ), G^-1(v_θ)), as fast as the paper mode's.
// The sample coordinates are computed exactly rather than by the trajectory's fmod, which can flip
// a sample on a multiple of the box to the opposite edge (ALGORITHM.md §1 step 6).
// The encoder picks, among the four lattice points around (u, v), the one nearest in w-space.
// Index width: U = the largest square <= 2^bits with bits = floor(2·bpw): 10 bits -> 32 × 32,
// every code used. Payload: B float32 breakpoints, then the indices (fixed width, or a RansCoder
// blob with `entropy`). All functions are reentrant; results do not depend on the thread count.
class DensityMode {
public:
    struct Options {
        double bitsPerWeight = 5.0; // index bits per weight (2·bpw per pair), 1..12
        int breakpoints = 0;        // B, 0 = Compander::autoBreakpoints(numel)
        double uniformShare = 0.005; // the compander's floor (Compander::fromValues)
        bool entropy = false;
        int threads = 0;
    };

    static int sideFor(double bitsPerWeight); // m, 0 when bitsPerWeight is outside 1..12

    static Result<ModeEncoded> encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                      const Options &options, ProgressSink *progress = nullptr);
    static Status decode(const ModeEncoded &e, void *out, int threads = 0);

    // For the workbench: G as stored in the payload, and the lattice in u-space (θ order).
    static Result<Compander> compander(const ModeEncoded &e);
    static void latticePoint(int side, std::uint32_t theta, double &u, double &v);
};

} // namespace hc
