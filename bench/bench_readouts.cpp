// Time from a request to the readouts for one 4M-parameter layer: LayerEvaluator (encode, decode,
// metrics, round-to-nearest baseline, thinned cloud) off the GUI thread, then the weight cloud and
// readout panel updated on the GUI thread. Prints figures; asserts nothing.
#include "core/baselines/roundtonearestquantizer.h"
#include "core/codec/hypercodec.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/util/syntheticweights.h"
#include "widgets/layerevaluator.h"
#include "widgets/readoutpanel.h"
#include "widgets/weightcloudview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hc;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    constexpr std::int64_t rows = 2048, cols = 2048; // 4 194 304 parameters
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.safetensors"));
    {
        const std::vector<float> w = studentTWeights(std::size_t(rows * cols), 4.0, 0.02, 42);
        SafetensorsWriter writer(path.toStdString());
        if (!writer.declareTensor("layer.weight", "F32", {rows, cols}, w.size() * sizeof(float))
             || !writer.writeTensor(0, w.data(), w.size() * sizeof(float)) || !writer.commit()) {
            std::fprintf(stderr, "bench_readouts: cannot write %s\n", qPrintable(path));
            return 1;
        }
    }
    auto source = SafetensorsSource::open(path.toStdString());
    if (!source) {
        std::fprintf(stderr, "bench_readouts: %s\n", source.error().c_str());
        return 1;
    }

    // Where the time goes, step by step, at the default settings.
    {
        const TensorView w = (*source)->view(0);
        const std::vector<std::int64_t> shape{rows, cols};
        CodecParams p;
        p.box = 0.04;
        QElapsedTimer t;
        t.start();
        const std::string reason = HyperCodec::rawReason(w);
        const double rawMs = double(t.nsecsElapsed()) * 1e-6;
        t.start();
        auto e = HyperCodec::encode(w, shape, p);
        const double encodeMs = double(t.nsecsElapsed()) * 1e-6;
        CodecParams fixed = p;
        fixed.autoClasses = false;
        t.start();
        auto e1 = HyperCodec::encode(w, shape, fixed);
        const double encodeFixedMs = double(t.nsecsElapsed()) * 1e-6;
        std::vector<float> out(w.numel);
        t.start();
        HyperCodec::decode(*e, out.data());
        const double decodeMs = double(t.nsecsElapsed()) * 1e-6;
        t.start();
        const ErrorMetrics m = ErrorMetrics::measure(w, TensorView{out.data(), DType::F32, out.size()});
        const double metricsMs = double(t.nsecsElapsed()) * 1e-6;
        t.start();
        auto rtn = RoundToNearestQuantizer::evaluate(w, 5.0, 0);
        const double rtnMs = double(t.nsecsElapsed()) * 1e-6;
        t.start();
        const CloudSample cloudSample = CloudSample::build(w, *e, 20000);
        const double cloudMs = double(t.nsecsElapsed()) * 1e-6;
        std::printf("steps at U 225, l 0.04: raw check %.1f ms, encode K auto<=3 %.1f ms (K fixed 3: %.1f ms), decode %.1f ms, "
                    "metrics %.1f ms, RTN %.1f ms, cloud %.1f ms\n",
                    rawMs, encodeMs, encodeFixedMs, decodeMs, metricsMs, rtnMs, cloudMs);
        (void)m;
        (void)rtn;
        (void)cloudSample;
        (void)reason;
    }

    LayerEvaluator evaluator;
    evaluator.setSource(std::shared_ptr<const ModelSource>(std::move(source).value()));
    WeightCloudView cloud;
    ReadoutPanel readouts;
    cloud.resize(640, 640);
    cloud.show();
    readouts.show();

    QElapsedTimer clock;
    double computeMs = 0, drawMs = 0;
    QEventLoop loop;
    QObject::connect(&evaluator, &LayerEvaluator::finished, &app, [&](const LayerEvaluationPtr &e) {
        computeMs = double(clock.nsecsElapsed()) * 1e-6;
        QElapsedTimer draw;
        draw.start();
        cloud.setEvaluation(e, QStringLiteral("layer.weight"));
        readouts.setEvaluation(e);
        cloud.grab(); // forces the chart to lay out and paint, as the screen would
        readouts.grab();
        drawMs = double(draw.nsecsElapsed()) * 1e-6;
        loop.quit();
    });

    std::printf("bench_readouts: one layer of %lld parameters (%lld pairs), %d threads\n", (long long)(rows * cols),
                (long long)(rows * cols / 2), QThread::idealThreadCount());
    std::printf("%-34s %10s %10s %10s\n", "request (slider released at)", "compute", "draw", "total");
    struct Case {
        const char *label;
        CodecParams params;
    };
    std::vector<Case> cases;
    for (double box : {0.01, 0.02, 0.04, 0.08}) {
        CodecParams p;
        p.box = box;
        cases.push_back({"", p});
    }
    for (int u : {64, 400, 1600}) {
        CodecParams p;
        p.samples = u;
        p.box = 0.04;
        cases.push_back({"", p});
    }
    CodecParams fixed;
    fixed.box = 0.04;
    fixed.autoClasses = false;
    fixed.classes = 2;
    cases.push_back({"", fixed});

    std::vector<double> totals, computes, draws;
    bool first = true;
    for (const Case &c : cases) {
        clock.start();
        evaluator.request(0, c.params, LayerEvaluator::Urgency::Final);
        loop.exec();
        const double total = double(clock.nsecsElapsed()) * 1e-6;
        char label[96];
        std::snprintf(label, sizeof label, "U %d, l %g, K %s%d%s", c.params.samples, c.params.box,
                      c.params.autoClasses ? "auto<=" : "", c.params.classes, first ? " (first, reads)" : "");
        std::printf("%-34s %8.1f ms %8.1f ms %8.1f ms\n", label, computeMs, drawMs, total);
        if (!first) {
            totals.push_back(total);
            computes.push_back(computeMs);
            draws.push_back(drawMs);
        }
        first = false;
    }
    std::printf("median after the first: compute %.1f ms, draw %.1f ms, total %.1f ms (target: within 100 ms)\n",
                median(computes), median(draws), median(totals));

    // Dragging: 30 live requests 16 ms apart; the GUI thread must keep turning and results keep coming.
    int delivered = 0;
    double longestGap = 0;
    QElapsedTimer gap;
    QObject::disconnect(&evaluator, &LayerEvaluator::finished, nullptr, nullptr);
    QObject::connect(&evaluator, &LayerEvaluator::finished, &app, [&](const LayerEvaluationPtr &e) {
        ++delivered;
        cloud.setEvaluation(e, QStringLiteral("layer.weight"));
        readouts.setEvaluation(e);
    });
    QTimer tick;
    int step = 0;
    gap.start();
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        longestGap = std::max(longestGap, double(gap.nsecsElapsed()) * 1e-6);
        gap.start();
        CodecParams p;
        p.box = 0.01 + 0.002 * step;
        evaluator.request(0, p, step == 29 ? LayerEvaluator::Urgency::Final : LayerEvaluator::Urgency::Live);
        if (++step == 30)
            tick.stop();
    });
    clock.start();
    tick.start(16);
    QObject::connect(&evaluator, &LayerEvaluator::busyChanged, &app, [&](bool busy) {
        if (!busy && step == 30)
            loop.quit();
    });
    loop.exec();
    std::printf("drag: 30 live requests in %.0f ms, %d results shown, longest GUI-thread gap %.1f ms\n",
                double(clock.nsecsElapsed()) * 1e-6, delivered, longestGap);
    return 0;
}
