#pragma once

#include "core/codec/codecparams.h"
#include "core/codec/encodedtensor.h"
#include "core/codec/modeencoded.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstdint>
#include <vector>

namespace hc {

// What `hypercomp compress --mode M [--entropy] [--target-bpw B]` asks for one tensor.
struct ModeOptions {
    CodecMode mode = CodecMode::Paper;
    bool entropy = false;             // Paper / Density: rANS-code the indices (Lattice always is)
    CodecParams paper;                // Paper: U, l, K
    double targetBitsPerWeight = 4.0; // Lattice: total b/w, all metadata counted; Density: index
                                      // bits per weight (2·B bits a pair)
    int breakpoints = 0;              // Density: compander breakpoints, 0 = automatic
    int threads = 0;
};

// One entry point for every mode, so the archive, the CLI and the GUI handle them alike.
// Reentrant; results do not depend on the thread count.
class ModeCodec {
public:
    static Result<ModeEncoded> encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                      const ModeOptions &options, ProgressSink *progress = nullptr);
    // Wraps a paper-mode encoding: payload = the packed indices, or their rANS blob with `entropy`
    // (which itself falls back to packing inside the blob when that is smaller). `e.indices` are
    // moved into the payload's coding and not kept.
    static ModeEncoded fromPaper(const EncodedTensor &e, bool entropy, int threads = 0);
};

} // namespace hc
