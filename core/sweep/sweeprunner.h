#pragma once

#include "core/codec/codecparams.h"
#include "core/io/modelsource.h"
#include "core/sweep/layersweep.h"
#include "core/sweep/sweepgrid.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hc {

// A named tensor to sweep (the view must stay valid during the run).
struct SweepTensor {
    std::string name;
    TensorView view;
};

struct SweepOptions {
    int threads = 0; // 0 = all cores
    SearchEngine engine = SearchEngine::Lattice;
};

// Evaluates every (U, l, K) of a grid with HyperCodec::encode + decode + ErrorMetrics::measure,
// in parallel over grid points. Reentrant; results do not depend on the thread count.
// Cancellation (ProgressSink::cancelRequested) makes a run fail with "the sweep was cancelled".
//
// Size of a compressed tensor = what it takes as the only tensor of a HyperComp archive
// (ArchiveFormat::standaloneBytes: packed indices, its header entries and the header's fixed part).
// Restored values are decoded into the tensor's own dtype, as a restored model holds them.
class SweepRunner {
public:

    // One tensor. Fails when the grid is invalid, the tensor must be stored raw (the message
    // names it and says why), its σ is needed and undefined, or the run is cancelled.
    static Result<LayerSweep> runTensor(const SweepTensor &tensor, const SweepGrid &grid, const SweepOptions &options = {},
                                        ProgressSink *progress = nullptr);
    // One grid point on one tensor with an absolute l (no σ scaling): what runTensor does per point.
    // `progress` is handed to the encoder (its progress and cancel request).
    static Result<SweepPoint> evaluate(const TensorView &w, const CodecParams &params, const EncodeOptions &options = {},
                                       ProgressSink *progress = nullptr, const std::string &name = {});

    // A list of tensors (a whole model), one after another, each in parallel over the grid.
    // Raw tensors are recorded (raw = true) and count in the totals' bytes only.
    static Result<ModelSweep> runModel(const std::vector<SweepTensor> &tensors, const SweepGrid &grid,
                                       const SweepOptions &options = {}, ProgressSink *progress = nullptr);
    // Every tensor of a model source (or those listed in `indices`, when not empty), read one at a
    // time so that only one tensor is held in memory. Fails on the first read error.
    static Result<ModelSweep> runModel(const ModelSource &source, const SweepGrid &grid, const SweepOptions &options = {},
                                       ProgressSink *progress = nullptr, const std::vector<std::size_t> &indices = {});

    // Totals per grid point over layers (numel-weighted MAE and RMSE, relative error from the
    // summed squared norms, ratio = total bytes in / total bytes out with raw layers counted as
    // stored raw). Used by runModel; public so that callers can total a subset of layers.
    static std::vector<SweepPoint> totals(const std::vector<LayerSweep> &layers, const SweepGrid &grid);
    // Totals of one chosen point per compressible layer plus the raw layers' bytes.
    static SweepPoint total(const std::vector<const SweepPoint *> &chosen, std::uint64_t rawBytes);
};

} // namespace hc
