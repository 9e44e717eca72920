#pragma once

#include "core/archive/compressionreport.h"
#include "core/codec/codecparams.h"
#include "core/codec/modecodec.h"
#include "core/config/compressionconfig.h"
#include "core/io/modelsource.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <cstddef>
#include <functional>
#include <string>

namespace hc {

// Compresses a whole model into a HyperComp archive, streaming: one tensor is in memory at a time
// (memory-mapped sources hand out views, so even that is mostly page cache). For each tensor, in the
// model's order: stored raw when the config's skip patterns match or HyperCodec::rawReason gives a
// reason, otherwise encoded in the config's mode with its parameters for it (HyperCodec for the
// paper mode, ModeCodec for the others), decoded again to measure its errors, and added to the
// archive; a report row is collected for each.
// Progress goes to the sink per tensor and within it; a cancel leaves no file behind.
// The same model and config give the same archive bytes (thread count and engine do not matter).
// Thread safety: compress() is reentrant; each call uses up to `options.threads` threads.
class ModelCompressor {
public:
    // `options.engine` applies to the paper mode; `options.threads` to every mode.
    explicit ModelCompressor(CompressionConfig config, EncodeOptions options = {});

    Result<CompressionReport> compress(const ModelSource &model, const std::string &archivePath,
                                       ProgressSink *progress = nullptr) const;

    // Encodes one tensor in a mode other than fixed-width paper, as the archive will hold it. For
    // lattice mode the target counts the tensor's whole share of an archive when the archive entry's
    // bookkeeping (name, shape, checksum, its safetensors entry: ArchiveFormat::standaloneBytes) is
    // at most 5 % of the tensor's budget: the target is then lowered by it. On smaller tensors the
    // target counts the codec's own bytes (payload and parameters) only.
    static Result<ModeEncoded> encodeMode(const std::string &name, const TensorView &w,
                                          const std::vector<std::int64_t> &shape, const ModeOptions &options,
                                          ProgressSink *progress = nullptr);

    // The report's "settings" object for this compressor.
    QJsonObject settings() const;
    const CompressionConfig &config() const { return m_config; }

    // Optional: called on compress()'s thread as soon as tensor `index` is encoded and measured,
    // before the archive is written, so that a GUI can fill in its table while the run goes on.
    // `row.bytesOut` is then the tensor's payload bytes; the final report adds its share of the header.
    using TensorDone = std::function<void(std::size_t index, const TensorReport &row)>;
    void setTensorDone(TensorDone callback) { m_tensorDone = std::move(callback); }

private:
    CompressionConfig m_config;
    EncodeOptions m_options;
    TensorDone m_tensorDone;
};

} // namespace hc
