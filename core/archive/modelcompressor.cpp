#include "core/archive/modelcompressor.h"

#include "core/sweep/boxresolver.h"

#include "core/archive/archiveformat.h"
#include "core/archive/archivewriter.h"
#include "core/codec/bitpacker.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodec.h"
#include "core/codec/ranscoder.h"

#include <QFileInfo>

#include <chrono>
#include <cmath>

namespace hc {

namespace {

// Maps a sub-task's progress in [0, 1] into [base, base + span] of the whole run.
class SpanSink : public ProgressSink {
public:
    SpanSink(ProgressSink *outer, double base, double span) : m_outer(outer), m_base(base), m_span(span) {}
    void setProgress(double f) override
    {
        if (m_outer)
            m_outer->setProgress(m_base + m_span * std::min(1.0, std::max(0.0, f)));
    }
    void setStep(const std::string &title) override
    {
        if (m_outer)
            m_outer->setStep(title);
    }
    bool cancelRequested() const override { return m_outer && m_outer->cancelRequested(); }

private:
    ProgressSink *m_outer;
    double m_base, m_span;
};

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool samePath(const std::string &a, const std::string &b)
{
    const QFileInfo fa(QString::fromStdString(a)), fb(QString::fromStdString(b));
    if (!fa.exists() || !fb.exists())
        return false;
    return fa.canonicalFilePath() == fb.canonicalFilePath();
}

} // namespace

namespace {
constexpr double kChargedShare = 0.05;
} // namespace

ModelCompressor::ModelCompressor(CompressionConfig config, EncodeOptions options)
    : m_config(std::move(config)), m_options(options)
{
}

Result<ModeEncoded> ModelCompressor::encodeMode(const std::string &name, const TensorView &w,
                                                const std::vector<std::int64_t> &shape, const ModeOptions &options,
                                                ProgressSink *progress)
{
    auto first = ModeCodec::encode(w, shape, options, progress);
    if (!first || options.mode != CodecMode::Lattice || !w.numel)
        return first;
    const std::uint64_t entry = ArchiveFormat::standaloneBytes(name, *first);
    const double bitsPerWeight = 8.0 * double(entry) / double(w.numel);
    if (bitsPerWeight <= options.targetBitsPerWeight)
        return first;
    // A few bytes of slack: the re-encoded parameters may print a digit or two longer.
    const double overhead = double(entry - std::min<std::uint64_t>(entry, first->totalBytes())) + 16.0;
    // The archive's bookkeeping (name, shape, checksum: 150-300 bytes) is charged only where it is a
    // small share of the budget. On a 512-weight layer it is most of it, and charging it would
    // leave a few bits a pair (NequIP's small layers went to 84 % error); there the target holds for
    // the codec's bytes, as for every baseline, and the report shows the archive's true figure.
    if (8.0 * overhead / double(w.numel) > kChargedShare * options.targetBitsPerWeight)
        return first;
    ModeOptions lower = options;
    lower.targetBitsPerWeight = std::max(0.25, options.targetBitsPerWeight - 8.0 * overhead / double(w.numel));
    if (lower.targetBitsPerWeight >= options.targetBitsPerWeight)
        return first;
    auto second = ModeCodec::encode(w, shape, lower, progress);
    if (!second)
        return second;
    // Tiny tensors cannot reach the target at all: keep whichever is smaller.
    return ArchiveFormat::standaloneBytes(name, *second) < entry ? std::move(second) : std::move(first);
}

QJsonObject ModelCompressor::settings() const
{
    QJsonObject s = m_config.toJsonObject();
    s.remove(QStringLiteral("format"));
    s.remove(QStringLiteral("version"));
    s.insert(QStringLiteral("threads"), m_options.threads);
    s.insert(QStringLiteral("engine"),
             m_options.engine == SearchEngine::Lattice ? QStringLiteral("lattice") : QStringLiteral("kdtree"));
    return s;
}

Result<CompressionReport> ModelCompressor::compress(const ModelSource &model, const std::string &archivePath,
                                                    ProgressSink *progress) const
{
    using R = Result<CompressionReport>;
    const auto t0 = std::chrono::steady_clock::now();
    if (Status s = m_config.validate("the compression config"); !s)
        return R::failure(s.error());
    if (samePath(model.path(), archivePath))
        return R::failure(archivePath + ": the archive would overwrite the model it is made from");

    CompressionReport report;
    report.model = model.path();
    report.settings = settings();

    const auto &tensors = model.tensors();
    // Work is weighted by bytes; the final copy of the payloads behind the header takes the last 5%.
    double totalBytes = 0;
    for (const auto &t : tensors)
        totalBytes += double(std::max<std::uint64_t>(t.byteSize, 1));
    const double encodeShare = 0.95;
    double doneBytes = 0;

    ArchiveWriter writer(archivePath);
    ErrorMetrics total;
    std::size_t totalCount = 0;
    const int threads = m_options.threads;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const TensorInfo &info = tensors[i];
        if (progress && progress->cancelRequested())
            return R::failure(archivePath + ": compression was cancelled");
        const double weight = double(std::max<std::uint64_t>(info.byteSize, 1));
        SpanSink sink(progress, encodeShare * doneBytes / totalBytes, encodeShare * weight / totalBytes);
        sink.setStep("Compressing '" + info.name + "' (" + std::to_string(i + 1) + " of " +
                     std::to_string(tensors.size()) + ")");
        sink.setProgress(0);
        const auto tt = std::chrono::steady_clock::now();

        // Zero-copy where the source maps its file; otherwise this one tensor is read into memory.
        TensorData owned;
        TensorView w = model.view(i);
        if (!w.data && info.byteSize > 0) {
            auto r = model.read(i);
            if (!r)
                return R::failure(r.error());
            owned = std::move(r).value();
            w = owned.view();
        }
        if (w.byteSize() != info.byteSize)
            return R::failure(model.path() + ": tensor '" + info.name + "' holds " + std::to_string(w.byteSize()) +
                              " bytes, not the " + std::to_string(info.byteSize) + " its header gives");

        TensorReport row;
        row.name = info.name;
        row.shape = info.shape;
        row.dtype = info.dtypeName.empty() ? std::string(dtypeName(info.dtype)) : info.dtypeName;
        row.numel = info.numel();
        row.bytesIn = info.byteSize;

        std::string reason;
        if (const std::string pattern = m_config.skipPattern(info.name); !pattern.empty())
            reason = "it matches the skip pattern '" + pattern + "'";
        else
            reason = HyperCodec::rawReason(w);

        if (!reason.empty()) {
            row.status = TensorStatus::Raw;
            row.reason = reason;
            // Exact, but its norm still counts in the model's relative error.
            if (isCompressibleFloat(info.dtype) && reason.find("NaN") == std::string::npos && w.numel > 0)
                row.errors = ErrorMetrics::measure(w, w, threads);
            row.errors.sqnrDb = INFINITY;
            if (Status s = writer.addRaw(info, w, reason); !s)
                return R::failure(s.error());
        } else {
            ModeOptions mode = m_config.modeOptionsFor(info.name);
            mode.threads = threads;
            row.status = TensorStatus::Compressed;
            row.mode = mode.mode;
            row.entropy = mode.entropy || mode.mode == CodecMode::Lattice;
            std::vector<std::uint8_t> restored(w.byteSize());
            auto cannot = [&](const std::string &why) {
                if (progress && progress->cancelRequested())
                    return R::failure(archivePath + ": compression was cancelled");
                return R::failure(model.path() + ": tensor '" + info.name + "' cannot be compressed: " + why);
            };
            if (mode.mode == CodecMode::Paper) {
                CodecParams params = mode.paper;
                if (m_config.boxMode == BoxMode::Sigma) {
                    auto box = BoxResolver::resolve(w, params.box, BoxMode::Sigma, threads);
                    if (!box)
                        return R::failure(model.path() + ": tensor '" + info.name + "': " + box.error());
                    params.box = *box;
                }
                auto encoded = HyperCodec::encode(w, info.shape, params, m_options, &sink);
                if (!encoded)
                    return cannot(encoded.error());
                const EncodedTensor &e = *encoded;
                HyperCodec::decode(e, restored.data(), threads);
                row.samples = e.samples;
                row.box = e.box;
                row.classes = e.classes;
                row.indexBits = e.bits;
                const double pairs = double(e.pairCount());
                row.order0BitsPerPair = RansCoder::order0EntropyBits(e.indices.data(), e.indices.size()) / pairs;
                if (!mode.entropy) {
                    // The original path, so that fixed-width archives keep their bytes.
                    row.indexBitsPerPair = 8.0 * double(e.packedBytes()) / pairs;
                    if (Status s = writer.addCompressed(info.name, e); !s)
                        return R::failure(s.error());
                } else {
                    const ModeEncoded m = ModeCodec::fromPaper(e, true, threads);
                    row.indexBitsPerPair = m.indexBitsPerPair();
                    if (Status s = writer.addEncoded(info.name, m); !s)
                        return R::failure(s.error());
                }
            } else {
                auto encoded = encodeMode(info.name, w, info.shape, mode, &sink);
                if (!encoded)
                    return cannot(encoded.error());
                const ModeEncoded &m = *encoded;
                if (Status s = m.decode(restored.data(), threads); !s)
                    return R::failure(model.path() + ": tensor '" + info.name + "' does not decode after encoding: " +
                                      s.error());
                row.targetBitsPerWeight = mode.targetBitsPerWeight;
                row.indexBitsPerPair = m.indexBitsPerPair();
                if (m.mode == CodecMode::Density) {
                    const std::uint32_t u = std::uint32_t(m.density.side) * std::uint32_t(m.density.side);
                    row.samples = int(u);
                    row.indexBits = BitPacker::bitLength(u - 1);
                }
                if (Status s = writer.addEncoded(info.name, m); !s)
                    return R::failure(s.error());
            }
            row.errors = ErrorMetrics::measure(w, {restored.data(), w.dtype, w.numel}, threads);
        }
        if (!owned.bytes.size())
            model.release(i);
        row.seconds = secondsSince(tt);
        if (m_tensorDone) {
            row.bytesOut = writer.entries().back().payloadBytes;
            m_tensorDone(i, row);
        }
        total = ErrorMetrics::combine(total, totalCount, row.errors, std::size_t(row.numel));
        totalCount += std::size_t(row.numel);
        report.tensors.push_back(std::move(row));
        doneBytes += weight;
        sink.setProgress(1);
    }

    if (progress)
        progress->setStep("Writing " + archivePath);
    SpanSink commitSink(progress, encodeShare, 1 - encodeShare);
    if (Status s = writer.commit(&commitSink); !s) {
        if (progress && progress->cancelRequested())
            return R::failure(archivePath + ": compression was cancelled");
        return R::failure(s.error());
    }

    auto &tot = report.totals;
    for (std::size_t i = 0; i < report.tensors.size(); ++i) {
        report.tensors[i].bytesOut = writer.entries()[i].archiveBytes;
        tot.numel += report.tensors[i].numel;
        tot.bytesIn += report.tensors[i].bytesIn;
    }
    tot.bytesOut = writer.fileSize();
    tot.ratio = tot.bytesOut ? double(tot.bytesIn) / double(tot.bytesOut) : 0;
    tot.mae = total.mae;
    tot.relFro = total.relFro;
    tot.seconds = secondsSince(t0);
    tot.paramsPerSecond = tot.seconds > 0 ? double(tot.numel) / tot.seconds : 0;
    if (progress)
        progress->setProgress(1);
    return report;
}

} // namespace hc
