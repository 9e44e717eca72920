#pragma once

#include "core/codec/compander.h"
#include "core/codec/modeencoded.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstdint>
#include <vector>

namespace hc {

// Density-matched mode (issue 9, `--mode density`): per tensor a compander G maps each weight to
// u = G(w) in [0, 1]; the u-pairs are quantised on the paper's sheared lattice over the unit square
// with U = m² samples, θ = a·m + c at
//     (ox + a/m + c/m², oy + c/m),  ox = 1/(2m) - (m-1)/(2m²), oy = 1/(2m)
// (the trajectory θ·v mod 1 of the paper's direction, with its cells centred so every sample sits
// mid-cell); decoding is one table lookup θ -> (G^-1(u_θ), G^-1(v_θ)), as fast as the paper mode's.
// The sample coordinates are computed exactly rather than by the trajectory's fmod, which can flip
// a sample on a multiple of the box to the opposite edge (ALGORITHM.md §1 step 6).
// The encoder picks, among the four lattice points around (u, v), the one nearest in w-space.
// G starts as the cube-root law (slope ∝ density^(1/3), Compander::fromValues), which is optimal only
// for many levels; the encoder then searches: Lloyd steps move the breakpoints so the decoded
// levels fit their cells' contents (Compander::refit), every candidate is measured by its actual
// squared error, and the lowest is kept. It costs encode time only (about 2 x for 4M weights; the
// format and the decoder are unchanged) and, at 5 b/w on 1M weights, takes the error from 0.0833
// to 0.0801 on Student-t nu = 4 (seed 23) and from 0.0518 to 0.0502 on a Gaussian. That is within
// 0.3 % of the best 32-level scalar quantiser of the same values, about the limit of this
// decoder: its 1024 points are 32 rows of 32 interleaved levels from one increasing G.
// Index width: U = the largest square <= 2^bits with bits = floor(2·bpw): 10 bits -> 32 × 32,
// every code used. Payload: B float32 breakpoints, then the indices (fixed width, or a RansCoder
// blob with `entropy`). All functions are reentrant; results do not depend on the thread count.
class DensityMode {
public:
    struct Options {
        double bitsPerWeight = 5.0; // index bits per weight (2·bpw per pair), 1..12
        int breakpoints = 0;        // B, 0 = Compander::autoBreakpoints(numel)
        double uniformShare = 0.005; // the compander's floor (Compander::fromValues)
        int refineIterations = 16;   // Lloyd steps on the breakpoints; 0 = the cube-root law alone
        bool entropy = false;
        int threads = 0;
    };

    // What the compander search did: for each candidate G in the order tried ([0] the cube-root
    // law, then one per Lloyd step, fewer when a step changes nothing), its squared error, and the
    // index of the one stored: the lowest, the first of equals. Up to 2^19 pairs the errors are
    // exact, summed over every pair (the padding element of an odd tensor included); beyond, they
    // are estimates from a weighted sample of pairsMeasured pairs (see encode).
    struct Search {
        std::vector<double> squaredErrors;
        std::size_t chosen = 0;
        std::size_t pairsMeasured = 0;
    };

    static int sideFor(double bitsPerWeight); // m, 0 when bitsPerWeight is outside 1..12

    static Result<ModeEncoded> encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                      const Options &options, ProgressSink *progress = nullptr,
                                      Search *search = nullptr);
    static Status decode(const ModeEncoded &e, void *out, int threads = 0);

    // For the workbench: G as stored in the payload, and the lattice in u-space (θ order).
    static Result<Compander> compander(const ModeEncoded &e);
    static void latticePoint(int side, std::uint32_t theta, double &u, double &v);
};

} // namespace hc
