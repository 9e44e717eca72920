#pragma once

#include "core/codec/codecparams.h"
#include "core/codec/encodedtensor.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <vector>

namespace hc {

// The reference's search over a list of U values (ALGORITHM.md §2): try them in order and move
// on to the next only while the best MAE is above `lossMax` and the U is not the last one.
class SamplesSearch {
public:
    static Result<EncodedTensor> encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                        const std::vector<int> &samplesList, const CodecParams &params,
                                        double lossMax = 0.001, const EncodeOptions &options = {},
                                        ProgressSink *progress = nullptr);
};

} // namespace hc
