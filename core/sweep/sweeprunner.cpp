#include "core/sweep/sweeprunner.h"

#include "core/archive/archiveformat.h"

#include "core/codec/hypercodec.h"
#include "core/sweep/boxresolver.h"
#include "core/util/parallelfor.h"

#include <algorithm>
#include <atomic>
#include <mutex>

namespace hc {

namespace {

const char *const kCancelled = "the sweep was cancelled";

// Lets the codec see the caller's cancel request without reporting its own progress, which
// would jump back and forth between the grid points running at once.
class CancelOnly : public ProgressSink {
public:
    explicit CancelOnly(ProgressSink *outer) : m_outer(outer) {}
    bool cancelRequested() const override { return m_outer && m_outer->cancelRequested(); }

private:
    ProgressSink *m_outer;
};

// Progress over a whole run: units of work (elements × grid points) done out of a total.
class ProgressCounter {
public:
    ProgressCounter(ProgressSink *sink, double totalUnits) : m_sink(sink), m_total(std::max(1.0, totalUnits)) {}
    void add(double units)
    {
        if (!m_sink)
            return;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_done += units;
        m_sink->setProgress(std::min(1.0, m_done / m_total));
    }
    bool cancelled() const { return m_sink && m_sink->cancelRequested(); }

private:
    ProgressSink *m_sink;
    double m_total;
    double m_done = 0;
    std::mutex m_mutex;
};

std::string layerLabel(const std::string &name)
{
    return name.empty() ? std::string("the tensor") : "tensor \"" + name + "\"";
}

// Sweeps one tensor; a raw tensor comes back with raw = true and no points.
Result<LayerSweep> sweepLayer(const SweepTensor &t, const SweepGrid &grid, const SweepOptions &options,
                              ProgressCounter &counter, ProgressSink *progress)
{
    LayerSweep layer;
    layer.name = t.name;
    layer.numel = t.view.numel;
    layer.bytesIn = t.view.byteSize();
    layer.rawReason = HyperCodec::rawReason(t.view);
    if (!layer.rawReason.empty()) {
        layer.raw = true;
        return layer;
    }
    const int threads = resolveThreadCount(options.threads);
    auto sigma = BoxResolver::standardDeviation(t.view, threads);
    if (!sigma)
        return Result<LayerSweep>::failure(layerLabel(t.name) + ": " + sigma.error());
    layer.sigma = *sigma;

    const std::size_t n = grid.size();
    const int outer = int(std::min<std::size_t>(std::size_t(threads), n));
    const int inner = std::max(1, threads / std::max(1, outer));
    std::vector<Result<SweepPoint>> results(n, Result<SweepPoint>::failure(kCancelled));
    CancelOnly cancelOnly(progress);
    const bool finished = parallelFor(
        n, outer,
        [&](std::size_t i) {
            const CodecParams asGiven = grid.point(i);
            CodecParams absolute = asGiven;
            absolute.box = BoxResolver::resolve(asGiven.box, grid.boxMode, layer.sigma);
            auto p = SweepRunner::evaluate(t.view, absolute, EncodeOptions{options.engine, inner}, &cancelOnly, t.name);
            if (p)
                p->params = asGiven;
            results[i] = std::move(p);
            counter.add(double(t.view.numel));
        },
        [&] { return counter.cancelled(); });
    if (!finished || counter.cancelled())
        return Result<LayerSweep>::failure(kCancelled);
    layer.points.reserve(n);
    for (auto &r : results) {
        if (!r)
            return Result<LayerSweep>::failure(r.error() == kCancelled ? r.error() : layerLabel(t.name) + ": " + r.error());
        layer.points.push_back(std::move(r).value());
    }
    return layer;
}

} // namespace

Result<SweepPoint> SweepRunner::evaluate(const TensorView &w, const CodecParams &params, const EncodeOptions &options,
                                         ProgressSink *progress, const std::string &name)
{
    auto e = HyperCodec::encode(w, {std::int64_t(w.numel)}, params, options, progress);
    if (!e)
        return Result<SweepPoint>::failure(e.error());
    std::vector<unsigned char> restored(w.byteSize());
    HyperCodec::decode(*e, restored.data(), options.threads);
    SweepPoint p;
    p.params = params;
    p.absoluteBox = params.box;
    p.bits = e->bits;
    p.classesUsed = e->classes;
    p.numel = w.numel;
    p.bytesIn = w.byteSize();
    p.bytesOut = ArchiveFormat::standaloneBytes(name, *e);
    p.bitsPerWeight = 8.0 * double(p.bytesOut) / double(w.numel);
    p.ratio = double(p.bytesIn) / double(p.bytesOut);
    p.metrics = ErrorMetrics::measure(w, {restored.data(), w.dtype, w.numel}, options.threads);
    return p;
}

Result<LayerSweep> SweepRunner::runTensor(const SweepTensor &tensor, const SweepGrid &grid, const SweepOptions &options,
                                          ProgressSink *progress)
{
    if (Status s = grid.validate(); !s)
        return Result<LayerSweep>::failure(s.error());
    ProgressCounter counter(progress, double(tensor.view.numel) * double(grid.size()));
    auto layer = sweepLayer(tensor, grid, options, counter, progress);
    if (layer && layer->raw)
        return Result<LayerSweep>::failure(layerLabel(tensor.name) + " cannot be compressed: " + layer->rawReason);
    return layer;
}

Result<ModelSweep> SweepRunner::runModel(const std::vector<SweepTensor> &tensors, const SweepGrid &grid,
                                         const SweepOptions &options, ProgressSink *progress)
{
    if (Status s = grid.validate(); !s)
        return Result<ModelSweep>::failure(s.error());
    double units = 0;
    for (const auto &t : tensors)
        if (isCompressibleFloat(t.view.dtype) && t.view.numel >= 10)
            units += double(t.view.numel) * double(grid.size());
    ProgressCounter counter(progress, units);
    ModelSweep sweep;
    sweep.grid = grid;
    for (const auto &t : tensors) {
        auto layer = sweepLayer(t, grid, options, counter, progress);
        if (!layer)
            return Result<ModelSweep>::failure(layer.error());
        sweep.layers.push_back(std::move(layer).value());
    }
    sweep.totals = totals(sweep.layers, grid);
    if (progress)
        progress->setProgress(1.0); // raw tensors found on the way (NaN) were counted as work
    return sweep;
}

Result<ModelSweep> SweepRunner::runModel(const ModelSource &source, const SweepGrid &grid, const SweepOptions &options,
                                         ProgressSink *progress, const std::vector<std::size_t> &indices)
{
    if (Status s = grid.validate(); !s)
        return Result<ModelSweep>::failure(s.error());
    const auto &infos = source.tensors();
    std::vector<std::size_t> which = indices;
    if (which.empty())
        for (std::size_t i = 0; i < infos.size(); ++i)
            which.push_back(i);
    double units = 0;
    for (std::size_t i : which) {
        if (i >= infos.size())
            return Result<ModelSweep>::failure(source.path() + ": there is no tensor number " + std::to_string(i) +
                                               " (the model has " + std::to_string(infos.size()) + ")");
        if (isCompressibleFloat(infos[i].dtype))
            units += double(infos[i].numel()) * double(grid.size());
    }
    ProgressCounter counter(progress, units);
    ModelSweep sweep;
    sweep.grid = grid;
    for (std::size_t i : which) {
        const TensorInfo &info = infos[i];
        const TensorView header{nullptr, info.dtype, std::size_t(info.numel())};
        // Tensors stored raw for their dtype or size need no data at all.
        if (!isCompressibleFloat(info.dtype) || info.numel() < 10) {
            LayerSweep layer;
            layer.name = info.name;
            layer.numel = info.numel();
            layer.bytesIn = info.byteSize;
            layer.raw = true;
            layer.rawReason = HyperCodec::rawReason(header);
            sweep.layers.push_back(std::move(layer));
            continue;
        }
        TensorData owned;
        TensorView view = source.view(i);
        if (!view.data) {
            auto data = source.read(i);
            if (!data)
                return Result<ModelSweep>::failure(data.error());
            owned = std::move(data).value();
            view = owned.view();
        }
        auto layer = sweepLayer({info.name, view}, grid, options, counter, progress);
        if (!layer)
            return Result<ModelSweep>::failure(source.path() + ": " + layer.error());
        sweep.layers.push_back(std::move(layer).value());
    }
    sweep.totals = totals(sweep.layers, grid);
    if (progress)
        progress->setProgress(1.0); // raw tensors found on the way (NaN) were counted as work
    return sweep;
}

SweepPoint SweepRunner::total(const std::vector<const SweepPoint *> &chosen, std::uint64_t rawBytes)
{
    SweepPoint t;
    bool first = true;
    for (const SweepPoint *p : chosen) {
        if (!p)
            continue;
        t.metrics = first ? p->metrics : ErrorMetrics::combine(t.metrics, t.numel, p->metrics, p->numel);
        if (first) {
            t.params = p->params;
            t.absoluteBox = p->absoluteBox;
        } else if (p->absoluteBox != t.absoluteBox) {
            t.absoluteBox = 0;
        }
        first = false;
        t.numel += p->numel;
        t.bytesIn += p->bytesIn;
        t.bytesOut += p->bytesOut;
        t.bits = std::max(t.bits, p->bits);
        t.classesUsed = std::max(t.classesUsed, p->classesUsed);
    }
    t.bitsPerWeight = t.numel ? 8.0 * double(t.bytesOut) / double(t.numel) : 0;
    t.bytesIn += rawBytes;
    t.bytesOut += rawBytes;
    t.ratio = t.bytesOut ? double(t.bytesIn) / double(t.bytesOut) : 0;
    return t;
}

std::vector<SweepPoint> SweepRunner::totals(const std::vector<LayerSweep> &layers, const SweepGrid &grid)
{
    std::uint64_t rawBytes = 0;
    for (const auto &l : layers)
        if (l.raw)
            rawBytes += l.bytesIn;
    std::vector<SweepPoint> out;
    out.reserve(grid.size());
    for (std::size_t i = 0; i < grid.size(); ++i) {
        std::vector<const SweepPoint *> chosen;
        for (const auto &l : layers)
            if (!l.raw && i < l.points.size())
                chosen.push_back(&l.points[i]);
        SweepPoint t = total(chosen, rawBytes);
        t.params = grid.point(i);
        if (grid.boxMode == BoxMode::Absolute)
            t.absoluteBox = t.params.box;
        out.push_back(t);
    }
    return out;
}

} // namespace hc
