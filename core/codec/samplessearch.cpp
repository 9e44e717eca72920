#include "core/codec/samplessearch.h"

#include "core/codec/hypercodec.h"

namespace hc {

Result<EncodedTensor> SamplesSearch::encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                            const std::vector<int> &samplesList, const CodecParams &params,
                                            double lossMax, const EncodeOptions &options, ProgressSink *progress)
{
    if (samplesList.empty())
        return Result<EncodedTensor>::failure("the list of U values is empty");
    for (std::size_t i = 0; i < samplesList.size(); ++i) {
        CodecParams p = params;
        p.samples = samplesList[i];
        auto r = HyperCodec::encode(w, shape, p, options, progress);
        if (!r || r->mae <= lossMax || i + 1 == samplesList.size())
            return r;
    }
    return Result<EncodedTensor>::failure("unreachable");
}

} // namespace hc
