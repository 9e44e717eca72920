#include "widgets/sweepchartdata.h"

#include "core/baselines/normalfloatquantizer.h"
#include "core/baselines/roundtonearestquantizer.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodec.h"
#include "core/sweep/boxresolver.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweeprunner.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <set>

namespace hc {

namespace {

const char *const kCancelled = "the sweep was cancelled";

// Maps a step's progress into [from, to] of the whole run; passes the cancel request through.
class ScaledSink : public ProgressSink {
public:
    ScaledSink(ProgressSink *outer, double from, double to) : m_outer(outer), m_from(from), m_to(to) {}
    void setProgress(double fraction) override
    {
        if (m_outer)
            m_outer->setProgress(m_from + (m_to - m_from) * std::clamp(fraction, 0.0, 1.0));
    }
    bool cancelRequested() const override { return m_outer && m_outer->cancelRequested(); }

private:
    ProgressSink *m_outer;
    double m_from, m_to;
};

// Lets an encoder see the cancel request without moving the run's progress bar.
class CancelOnly : public ProgressSink {
public:
    explicit CancelOnly(ProgressSink *outer) : m_outer(outer) {}
    bool cancelRequested() const override { return m_outer && m_outer->cancelRequested(); }

private:
    ProgressSink *m_outer;
};

// One comparison being totalled over the layers.
struct Accumulator {
    SweepComparison c;
    std::uint64_t numel = 0;
    bool failed = false;
    std::string error;

    void add(const ErrorMetrics &m, std::uint64_t n, double bytesIn, double bytesOut)
    {
        c.metrics = numel ? ErrorMetrics::combine(c.metrics, numel, m, n) : m;
        numel += n;
        c.bytesIn += bytesIn;
        c.bytesOut += bytesOut;
    }
};

std::string kindName(ComparisonKind kind)
{
    switch (kind) {
    case ComparisonKind::RtnPerTensor: return "RTN per tensor";
    case ComparisonKind::RtnGroup128: return "RTN group 128";
    case ComparisonKind::Nf4Block64: return "NF4 block 64";
    case ComparisonKind::Density: return "density mode";
    case ComparisonKind::Lattice: return "lattice mode";
    case ComparisonKind::PaperEntropy: return "paper mode with entropy coding";
    }
    return {};
}

} // namespace

std::vector<double> SweepChartData::baselineBudgets(const std::vector<SweepPoint> &points)
{
    std::set<double> budgets;
    for (const SweepPoint &p : points) {
        const double b = std::round(p.bitsPerWeight * 2) / 2;
        if (b >= 2 && b <= 16)
            budgets.insert(b);
    }
    return {budgets.begin(), budgets.end()};
}

Result<SweepChartData> SweepChartData::compute(const Request &request, ProgressSink *progress)
{
    using R = Result<SweepChartData>;
    QElapsedTimer timer;
    timer.start();
    if (!request.source)
        return R::failure("no model is open");
    const ModelSource &source = *request.source;
    const auto &infos = source.tensors();
    if (request.tensorIndex >= int(infos.size()))
        return R::failure(source.path() + ": there is no tensor number " + std::to_string(request.tensorIndex));

    SweepChartData data;
    data.tensorIndex = request.tensorIndex;
    std::vector<std::size_t> indices;
    if (request.tensorIndex >= 0) {
        indices.push_back(std::size_t(request.tensorIndex));
        data.scopeName = infos[std::size_t(request.tensorIndex)].name;
    }
    SweepOptions options;
    options.threads = request.threads;
    ScaledSink sweepSink(progress, 0.0, 0.85);
    auto sweep = SweepRunner::runModel(source, request.grid, options, &sweepSink, indices);
    if (!sweep)
        return R::failure(sweep.error());
    data.sweep = std::move(sweep).value();
    if (request.tensorIndex >= 0) {
        const LayerSweep &layer = data.sweep.layers.front();
        if (layer.raw)
            return R::failure(source.path() + ": the tensor \"" + layer.name + "\" is stored raw: " + layer.rawReason);
        data.points = layer.points;
    } else {
        data.points = data.sweep.totals;
        const bool any = std::any_of(data.sweep.layers.begin(), data.sweep.layers.end(),
                                     [](const LayerSweep &l) { return !l.raw; });
        if (!any)
            return R::failure(source.path() + ": no tensor of the model can be compressed");
    }

    // The comparisons to make, each totalled over the compressible layers.
    std::vector<Accumulator> acc;
    auto addSpec = [&](ComparisonKind kind, double setting, long gridIndex) {
        Accumulator a;
        a.c.kind = kind;
        a.c.setting = setting;
        a.c.gridIndex = gridIndex;
        acc.push_back(a);
    };
    for (double b : baselineBudgets(data.points)) {
        addSpec(ComparisonKind::RtnPerTensor, b, -1);
        addSpec(ComparisonKind::RtnGroup128, b, -1);
    }
    addSpec(ComparisonKind::Nf4Block64, 0, -1);
    if (request.modes) {
        for (double b : {4.0, 5.0})
            addSpec(ComparisonKind::Density, b, -1);
        for (double b : {3.5, 4.0, 4.25})
            addSpec(ComparisonKind::Lattice, b, -1);
        std::set<std::size_t> front;
        for (ErrorMeasure m : {ErrorMeasure::RelativeError, ErrorMeasure::Mae})
            for (std::size_t i : ParetoFront::compute(data.points, m))
                front.insert(i);
        for (std::size_t i : front)
            addSpec(ComparisonKind::PaperEntropy, 0, long(i));
    }

    std::uint64_t rawBytes = 0, compressible = 0;
    for (const LayerSweep &l : data.sweep.layers) {
        if (l.raw)
            rawBytes += l.bytesIn;
        else
            compressible += l.numel;
    }
    const int threads = request.threads;
    std::uint64_t done = 0;
    for (const LayerSweep &layer : data.sweep.layers) {
        if (layer.raw)
            continue;
        if (progress && progress->cancelRequested())
            return R::failure(kCancelled);
        const long index = request.tensorIndex >= 0 ? long(request.tensorIndex) : source.indexOf(layer.name);
        if (index < 0)
            return R::failure(source.path() + ": the tensor \"" + layer.name + "\" has gone");
        TensorData owned;
        TensorView w = source.view(std::size_t(index));
        if (!w.data) {
            auto r = source.read(std::size_t(index));
            if (!r)
                return R::failure(r.error());
            owned = std::move(r).value();
            w = owned.view();
        }
        const std::vector<std::int64_t> shape{std::int64_t(w.numel)};
        std::vector<unsigned char> restored(w.byteSize());
        const double bytesIn = double(w.byteSize());
        std::size_t step = 0;
        for (Accumulator &a : acc) {
            if (progress) {
                if (progress->cancelRequested())
                    return R::failure(kCancelled);
                const double within = double(step++) / double(std::max<std::size_t>(1, acc.size()));
                progress->setProgress(0.85 + 0.15 * (double(done) + within * double(layer.numel)) /
                                                 double(std::max<std::uint64_t>(1, compressible)));
            }
            if (a.failed)
                continue;
            auto fail = [&](const std::string &why) {
                a.failed = true;
                a.error = kindName(a.c.kind) + " on \"" + layer.name + "\": " + why;
            };
            switch (a.c.kind) {
            case ComparisonKind::RtnPerTensor:
            case ComparisonKind::RtnGroup128: {
                const int group = a.c.kind == ComparisonKind::RtnGroup128 ? 128 : 0;
                auto r = RoundToNearestQuantizer::evaluate(w, a.c.setting, group, threads);
                if (!r) {
                    fail(r.error());
                    break;
                }
                a.add(r->metrics, layer.numel, bytesIn, r->bitsPerWeight * double(layer.numel) / 8.0);
                break;
            }
            case ComparisonKind::Nf4Block64: {
                auto r = NormalFloatQuantizer::evaluate(w, 64, threads);
                if (!r) {
                    fail(r.error());
                    break;
                }
                a.add(r->metrics, layer.numel, bytesIn, r->bitsPerWeight * double(layer.numel) / 8.0);
                break;
            }
            case ComparisonKind::Density:
            case ComparisonKind::Lattice: {
                ModeOptions mo;
                mo.mode = a.c.kind == ComparisonKind::Density ? CodecMode::Density : CodecMode::Lattice;
                mo.targetBitsPerWeight = a.c.setting;
                mo.threads = threads;
                CancelOnly cancelOnly(progress);
                auto e = ModeCodec::encode(w, shape, mo, &cancelOnly);
                if (progress && progress->cancelRequested())
                    return R::failure(kCancelled);
                if (!e) {
                    fail(e.error());
                    break;
                }
                if (Status s = e->decode(restored.data(), threads); !s) {
                    fail(s.error());
                    break;
                }
                const ErrorMetrics m = ErrorMetrics::measure(w, {restored.data(), w.dtype, w.numel}, threads);
                a.add(m, layer.numel, bytesIn, double(e->totalBytes()));
                break;
            }
            case ComparisonKind::PaperEntropy: {
                // rANS coding is lossless: the error is the grid point's; only the index bytes change,
                // counted the way the sweep counts the fixed-width indices they replace.
                const SweepPoint &p = layer.points[std::size_t(a.c.gridIndex)];
                CodecParams params = p.params;
                params.box = p.absoluteBox;
                EncodeOptions eo;
                eo.threads = threads;
                auto e = HyperCodec::encode(w, shape, params, eo);
                if (!e) {
                    fail(e.error());
                    break;
                }
                const std::uint64_t packed = e->packedBytes();
                const ModeEncoded m = ModeCodec::fromPaper(*e, true, threads);
                const double out = double(p.bytesOut) - double(packed) + double(m.payload.size());
                a.add(p.metrics, layer.numel, bytesIn, out);
                break;
            }
            }
        }
        done += layer.numel;
        source.release(std::size_t(index));
    }

    for (Accumulator &a : acc) {
        if (a.failed) {
            data.notes.push_back(a.error);
            continue;
        }
        if (!a.numel)
            continue;
        a.c.bitsPerWeight = 8.0 * a.c.bytesOut / double(a.numel);
        a.c.bytesIn += double(rawBytes);
        a.c.bytesOut += double(rawBytes);
        a.c.ratio = a.c.bytesOut > 0 ? a.c.bytesIn / a.c.bytesOut : 0;
        data.comparisons.push_back(a.c);
    }
    if (progress)
        progress->setProgress(1.0);
    data.seconds = double(timer.nsecsElapsed()) * 1e-9;
    return data;
}

} // namespace hc
