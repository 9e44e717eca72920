#include "core/codec/modecodec.h"

#include "core/codec/densitymode.h"
#include "core/codec/hypercodec.h"
#include "core/codec/latticemode.h"
#include "core/codec/paperindexmodel.h"
#include "core/codec/ranscoder.h"

#include <algorithm>

namespace hc {

ModeEncoded ModeCodec::fromPaper(const EncodedTensor &e, bool entropy, int /*threads*/)
{
    ModeEncoded m;
    m.mode = CodecMode::Paper;
    m.entropy = entropy;
    m.shape = e.shape;
    m.dtype = e.dtype;
    m.numel = e.numel;
    m.paper = e;
    m.paper.indices.clear();
    m.paper.indices.shrink_to_fit();
    m.paper.maeByClasses.clear();
    if (!entropy) {
        m.payload = e.packed();
        return m;
    }
    std::uint32_t maxIndex = 0;
    for (std::uint32_t v : e.indices)
        maxIndex = std::max(maxIndex, v);
    // The table-free model wins on small tensors, a stored table on big ones: keep the smaller.
    m.payload = RansCoder::encode(e.indices.data(), e.indices.size(), maxIndex + 1);
    auto modelled = PaperIndexModel::encode(e);
    if (!modelled.empty() && modelled.size() < m.payload.size())
        m.payload = std::move(modelled);
    return m;
}

Result<ModeEncoded> ModeCodec::encode(const TensorView &w, const std::vector<std::int64_t> &shape,
                                      const ModeOptions &options, ProgressSink *progress)
{
    switch (options.mode) {
    case CodecMode::Lattice: {
        LatticeMode::Options o;
        o.targetBitsPerWeight = options.targetBitsPerWeight;
        o.threads = options.threads;
        return LatticeMode::encode(w, shape, o, progress);
    }
    case CodecMode::Density: {
        DensityMode::Options o;
        o.bitsPerWeight = options.targetBitsPerWeight;
        o.breakpoints = options.breakpoints;
        o.entropy = options.entropy;
        o.threads = options.threads;
        return DensityMode::encode(w, shape, o, progress);
    }
    case CodecMode::Paper:
        break;
    }
    EncodeOptions eo;
    eo.threads = options.threads;
    auto e = HyperCodec::encode(w, shape, options.paper, eo, progress);
    if (!e)
        return Result<ModeEncoded>::failure(e.error());
    return fromPaper(*e, options.entropy, options.threads);
}

} // namespace hc
