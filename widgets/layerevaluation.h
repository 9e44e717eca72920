#pragma once

#include "core/baselines/baselineresult.h"
#include "core/codec/codecparams.h"
#include "core/codec/encodedtensor.h"
#include "core/metrics/errormetrics.h"
#include "widgets/cloudsample.h"

#include <QMetaType>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// Everything the workbench shows for one layer at one setting: the codec's figures over all
// pairs, the decoded tensor, the round-to-nearest baseline at the same bits per weight and the
// (possibly thinned) cloud for the chart. Immutable once made; shared between threads by pointer.
struct LayerEvaluation {
    int layer = -1;
    std::uint64_t generation = 0; // which request made it (LayerEvaluator)
    CodecParams params;           // as requested
    EncodedTensor encoded;        // the encoding, indices included
    std::shared_ptr<const std::vector<std::uint8_t>> decoded; // restored tensor, in its own dtype
    ErrorMetrics metrics;         // original against decoded, over all N elements
    std::uint64_t bytesIn = 0;    // original bytes
    std::uint64_t bytesOut = 0;   // packed indices + per-tensor metadata estimate
    double bitsPerWeight = 0;     // 8 · bytesOut / N
    double ratio = 0;             // bytesIn / bytesOut
    std::vector<std::uint64_t> histogram; // pairs per class 0..K

    bool baselineOk = false;
    BaselineResult baseline;      // round-to-nearest at bitsPerWeight, one group per tensor
    std::string baselineError;    // why there is no baseline

    CloudSample cloud;
    double seconds = 0;           // wall time of the evaluation
};

using LayerEvaluationPtr = std::shared_ptr<const LayerEvaluation>;

} // namespace hc

Q_DECLARE_METATYPE(hc::LayerEvaluationPtr)
