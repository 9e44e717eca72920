#pragma once

#include "core/codec/modeencoded.h"
#include "core/codec/ranscoder.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstdint>
#include <vector>

namespace hc {

// Whole-range lattice mode (issue 9, `--mode lattice`): the paper's trajectory lattice with no box
// and no outlier classes: it covers every pair. Layout 2 (see LatticeParams) uses the hexagonal
// shear. Each pair goes to its nearest lattice point, found analytically in O(1) (two candidate
// rows, one rounding each); the row and column numbers are two rANS streams whose frequency tables
// both sides compute from a MarginalDensity of the weights (a few bytes), so small tensors pay no
// tables. The spacing h is searched so that the tensor's total bytes hit a requested bits per weight.
// Payload (layout 2): byte 2, float32 h, zigzag varint rowMin, varint rows, zigzag varint colMin,
// varint cols, byte P (the streams' precision), the density model, varint(row stream bytes), the
// row stream, the column stream (RansCoder::encodeModelled blobs).
// Layout 1 payloads (older archives) still decode: varint(row stream bytes), row stream, column
// stream (RansCoder blobs with their own tables), parameters in the JSON.
// All functions are reentrant; results do not depend on the thread count.
class LatticeMode {
public:
    struct Options {
        double targetBitsPerWeight = 4.0; // used when spacing is 0
        double spacing = 0;               // h > 0: use this spacing, no search
        double tolerance = 0.002;         // accept bpw in [target·(1 - tolerance), target]
        int threads = 0;
    };

    // Fails on a non-float dtype, an empty tensor, NaN/Inf, a target outside 0.25..24 b/w, or a
    // cancel request. When even the coarsest lattice cannot reach the target (tiny tensors whose
    // metadata alone exceeds it) the coarsest is returned; check bitsPerWeight().
    static Result<ModeEncoded> encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                      const Options &options, ProgressSink *progress = nullptr);
    static Status decode(const ModeEncoded &e, void *out, int threads = 0);
    // Checks the parameters alone (spacing, shear, extents) with one sentence on failure.
    static Status validate(const LatticeParams &p);
    // The parameters in a layout-2 payload's header (validated).
    static Result<LatticeParams> readParams(const std::uint8_t *payload, std::size_t bytes);
};

} // namespace hc
