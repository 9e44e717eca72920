#pragma once

#include "core/codec/codecparams.h"
#include "core/codec/encodedtensor.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hc {

// The hyper-compression codec of ALGORITHM.md for one tensor: pairing and padding, centroid,
// box, trajectory codebook, outlier classes, nearest-sample encode, decode.
// All functions are reentrant; each call may use up to `threads` worker threads internally.
// Results do not depend on the thread count or the engine.
class HyperCodec {
public:
    // Why the tensor must be stored raw (fewer than 10 elements, not a float dtype, NaN or Inf),
    // or an empty string when it can be compressed. Scans the data for non-finite values.
    static std::string rawReason(const TensorView &w);
    // "U must be at least 1", "l must be a positive number", ... or ok.
    static Status validate(const CodecParams &params);

    // Encodes `w` (a float dtype, no NaN/Inf, at least one element). Fails on invalid params
    // or when `progress` asks to cancel.
    static Result<EncodedTensor> encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                        const CodecParams &params, const EncodeOptions &options = {},
                                        ProgressSink *progress = nullptr);

    // Decodes into `out`, which holds numel elements of e.dtype.
    static void decode(const EncodedTensor &e, void *out, int threads = 0);
    // Decodes a packed bit-stream for the tensor described by `header` (its indices are ignored).
    // Fails when the stream is too short or holds an index outside the codebook.
    static Status decodePacked(const EncodedTensor &header, const std::uint8_t *packed, std::size_t bytes,
                               void *out, int threads = 0);
    // Decoded value of one stored index, as the decoder would write it (rounded through the dtype).
    static void decodeIndex(const EncodedTensor &e, std::uint32_t index, double &x, double &y);
};

} // namespace hc
