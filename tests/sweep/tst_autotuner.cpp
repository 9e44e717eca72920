#include "core/sweep/autotuner.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweeprunner.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace hc;

namespace {

// Student-t layers of different tails and scales, plus a raw integer buffer.
struct Model {
    std::vector<std::vector<float>> weights;
    std::vector<std::int64_t> steps{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    ModelSweep sweep;
};

const Model &model()
{
    static Model m = [] {
        Model mm;
        mm.weights.push_back(studentTWeights(16000, 3.0, 0.02, 101));
        mm.weights.push_back(studentTWeights(9000, 5.0, 0.05, 102));
        mm.weights.push_back(studentTWeights(20000, 2.5, 0.01, 103));
        mm.weights.push_back(studentTWeights(4001, 8.0, 0.1, 104));
        std::vector<SweepTensor> tensors;
        for (std::size_t i = 0; i < mm.weights.size(); ++i)
            tensors.push_back({"layer" + std::to_string(i), {mm.weights[i].data(), DType::F32, mm.weights[i].size()}});
        tensors.push_back({"steps", {mm.steps.data(), DType::I64, mm.steps.size()}});
        SweepGrid g;
        g.samples = {64, 144, 400, 1600};
        g.boxes = {0.5, 1, 2, 4};
        g.classes = {1, 2, 3, 4};
        g.boxMode = BoxMode::Sigma;
        auto r = SweepRunner::runModel(tensors, g);
        if (!r)
            qFatal("sweep failed: %s", r.error().c_str());
        mm.sweep = std::move(r).value();
        return mm;
    }();
    return m;
}

bool onFront(const LayerSweep &layer, long index)
{
    const auto front = ParetoFront::compute(layer.points, ErrorMeasure::RelativeError);
    return std::find(front.begin(), front.end(), std::size_t(index)) != front.end();
}

SweepPoint makePoint(std::uint64_t bytesOut, double err2)
{
    SweepPoint p;
    p.numel = 250;
    p.bytesIn = 1000;
    p.bytesOut = bytesOut;
    p.ratio = 1000.0 / double(bytesOut);
    p.metrics.errorNorm = std::sqrt(err2);
    p.metrics.signalNorm = 100;
    p.metrics.relFro = p.metrics.errorNorm / 100;
    p.metrics.mae = p.metrics.errorNorm / 250;
    return p;
}

LayerSweep makeLayer(const std::string &name, const std::vector<std::pair<std::uint64_t, double>> &pts)
{
    LayerSweep l;
    l.name = name;
    l.numel = 250;
    l.bytesIn = 1000;
    for (const auto &[bytes, err2] : pts)
        l.points.push_back(makePoint(bytes, err2));
    return l;
}

} // namespace

class TestAutoTuner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void maxErrorPerLayer()
    {
        const auto &layers = model().sweep.layers;
        for (double target : {0.02, 0.05, 0.1, 0.2}) {
            auto r = AutoTuner::forMaxError(layers, target);
            QVERIFY2(r.ok(), r.error().c_str());
            QCOMPARE(r->layers.size(), layers.size());
            QVERIFY(r->layers.back().raw);
            QCOMPARE(r->layers.back().pointIndex, -1L);
            bool all = true;
            for (std::size_t l = 0; l + 1 < layers.size(); ++l) {
                const LayerChoice &c = r->layers[l];
                QVERIFY(onFront(layers[l], c.pointIndex));
                // No point of the layer within the target has a higher ratio.
                double bestRatio = 0;
                double leastError = std::numeric_limits<double>::infinity();
                for (const SweepPoint &p : layers[l].points) {
                    if (p.metrics.relFro <= target)
                        bestRatio = std::max(bestRatio, p.ratio);
                    leastError = std::min(leastError, p.metrics.relFro);
                }
                if (c.meetsTarget) {
                    QVERIFY(c.point.metrics.relFro <= target);
                    QCOMPARE(c.point.ratio, bestRatio);
                } else {
                    QCOMPARE(bestRatio, 0.0);
                    QCOMPARE(c.point.metrics.relFro, leastError);
                }
                all = all && c.meetsTarget;
            }
            QCOMPARE(r->targetMet, all);
            if (target >= 0.1)
                QVERIFY(r->targetMet);
            QVERIFY(r->totals.ratio > 1);
        }
        // Unreachable: every layer flagged, least error chosen.
        auto none = AutoTuner::forMaxError(layers, 1e-9);
        QVERIFY(none.ok());
        QVERIFY(!none->targetMet);
        QVERIFY(!none->layers[0].meetsTarget);
    }

    void targetRatioForTheModel()
    {
        const ModelSweep &sweep = model().sweep;
        double lo = std::numeric_limits<double>::infinity(), hi = 0;
        for (const SweepPoint &t : sweep.totals) {
            lo = std::min(lo, t.ratio);
            hi = std::max(hi, t.ratio);
        }
        qInfo("uniform configs span total ratios %.2f to %.2f", lo, hi);
        for (double target : {lo, 0.75 * lo + 0.25 * hi, 0.5 * (lo + hi), 0.25 * lo + 0.75 * hi, hi}) {
            auto r = AutoTuner::forTargetRatio(sweep.layers, target);
            QVERIFY2(r.ok(), r.error().c_str());
            QVERIFY(r->targetMet);
            QVERIFY(r->totals.ratio >= target * (1 - 1e-12));
            double e2 = 0;
            for (std::size_t l = 0; l + 1 < sweep.layers.size(); ++l) {
                QVERIFY(onFront(sweep.layers[l], r->layers[l].pointIndex));
                e2 += std::pow(r->layers[l].point.metrics.errorNorm, 2);
            }
            QVERIFY(std::fabs(r->squaredError - e2) <= 1e-12 * e2);
            QVERIFY(std::fabs(r->totals.metrics.errorNorm * r->totals.metrics.errorNorm - e2) <= 1e-9 * e2);
            // Per-layer choices do at least as well as any one config for every layer.
            for (const SweepPoint &t : sweep.totals)
                if (t.ratio >= target)
                    QVERIFY2(r->squaredError <= t.metrics.errorNorm * t.metrics.errorNorm * (1 + 1e-12),
                             qPrintable(QStringLiteral("target %1").arg(target)));
            qInfo("target ratio %.2f: reached %.3f, rel. error %.4f", target, r->totals.ratio, r->totals.metrics.relFro);
        }
        // Out of reach: the highest-ratio point of every layer, flagged.
        auto far = AutoTuner::forTargetRatio(sweep.layers, 1000);
        QVERIFY(far.ok());
        QVERIFY(!far->targetMet);
        for (std::size_t l = 0; l + 1 < sweep.layers.size(); ++l) {
            double best = 0;
            for (const SweepPoint &p : sweep.layers[l].points)
                best = std::max(best, p.ratio);
            QCOMPARE(far->layers[l].point.ratio, best);
        }
    }

    // Two layers by hand (bytes in 1000 each): the best choice for 600 bytes out is A@200 + B@300.
    void handMadeOptimum()
    {
        const std::vector<LayerSweep> layers{
            makeLayer("A", {{100, 50}, {200, 20}, {400, 5}, {250, 25} /* dominated */}),
            makeLayer("B", {{100, 40}, {300, 10}, {500, 2}}),
        };
        for (double ratio : {2000.0 / 600, 2000.0 / 500}) {
            auto r = AutoTuner::forTargetRatio(layers, ratio);
            QVERIFY(r.ok());
            QVERIFY(r->targetMet);
            QCOMPARE(r->layers[0].pointIndex, 1L);
            QCOMPARE(r->layers[1].pointIndex, 1L);
            QCOMPARE(r->squaredError, 30.0);
            QCOMPARE(r->totals.bytesOut, std::uint64_t(500));
        }
        // 700 bytes: A@400 + B@300 (15) beats A@200 + B@500 (22).
        auto r = AutoTuner::forTargetRatio(layers, 2000.0 / 700);
        QCOMPARE(r->squaredError, 15.0);
        // Everything fits: the least error of each layer.
        r = AutoTuner::forTargetRatio(layers, 1.0);
        QCOMPARE(r->squaredError, 7.0);
        QCOMPARE(r->totals.ratio, 2000.0 / 900);
        // A budget between hull steps: the fill pass spends it (A@200 + B@100 = 60 at 300 bytes,
        // then nothing else fits in 350).
        r = AutoTuner::forTargetRatio(layers, 2000.0 / 350);
        QCOMPARE(r->squaredError, 60.0);
        // A non-convex front: the greedy walk skips A@150, the fill pass takes it.
        const std::vector<LayerSweep> bumpy{makeLayer("A", {{100, 50}, {150, 45}, {300, 0}})};
        r = AutoTuner::forTargetRatio(bumpy, 1000.0 / 200);
        QCOMPARE(r->layers[0].pointIndex, 1L);
        // Error limit by hand: B's highest ratio within relFro 0.04 (err² 16) is 300 bytes.
        auto e = AutoTuner::forMaxError(layers, 0.04);
        QCOMPARE(e->layers[0].pointIndex, 2L);
        QCOMPARE(e->layers[1].pointIndex, 1L);
        QVERIFY(e->targetMet);
    }

    void badInputs()
    {
        const std::vector<LayerSweep> layers{makeLayer("A", {{100, 50}})};
        QCOMPARE(AutoTuner::forTargetRatio(layers, 0).error(),
                 std::string("the target compression ratio must be a positive number, not 0"));
        QVERIFY(!AutoTuner::forTargetRatio(layers, std::numeric_limits<double>::quiet_NaN()).ok());
        QCOMPARE(AutoTuner::forMaxError(layers, -1).error(),
                 std::string("the maximum relative error must be a number of at least 0, not -1"));
        const std::vector<LayerSweep> empty{makeLayer("lonely", {})};
        QCOMPARE(AutoTuner::forMaxError(empty, 0.1).error(), std::string("layer \"lonely\" has no sweep points to choose from"));
        QVERIFY(!AutoTuner::forTargetRatio(empty, 2).ok());
        // No layers at all: nothing to do, trivially met.
        auto none = AutoTuner::forTargetRatio({}, 2);
        QVERIFY(none.ok());
        QVERIFY(none->layers.empty());
    }
};

QTEST_GUILESS_MAIN(TestAutoTuner)
#include "tst_autotuner.moc"
