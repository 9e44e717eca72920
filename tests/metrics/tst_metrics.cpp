#include "core/metrics/errormetrics.h"
#include "core/metrics/tensorstatistics.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <cmath>

using namespace hc;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void errorMeasuresByHand()
    {
        const double a[] = {1, 2, 3, 4};
        const double b[] = {1, 2.5, 2, 4};
        const ErrorMetrics m = ErrorMetrics::measure({a, DType::F64, 4}, {b, DType::F64, 4});
        QCOMPARE(m.mae, 0.375);
        QCOMPARE(m.maxAbs, 1.0);
        QCOMPARE(m.rmse, std::sqrt(1.25 / 4));
        QCOMPARE(m.relFro, std::sqrt(1.25) / std::sqrt(30.0));
        QVERIFY(std::fabs(m.sqnrDb - 20 * std::log10(std::sqrt(30.0) / std::sqrt(1.25))) < 1e-12);
        const ErrorMetrics exact = ErrorMetrics::measure({a, DType::F64, 4}, {a, DType::F64, 4});
        QCOMPARE(exact.mae, 0.0);
        QVERIFY(std::isinf(exact.sqnrDb));
    }
    void combineIsParameterWeighted()
    {
        const double a[] = {1, 2, 3, 4}, b[] = {1, 2.5, 2, 4};
        const ErrorMetrics first = ErrorMetrics::measure({a, DType::F64, 2}, {b, DType::F64, 2});
        const ErrorMetrics second = ErrorMetrics::measure({a + 2, DType::F64, 2}, {b + 2, DType::F64, 2});
        const ErrorMetrics whole = ErrorMetrics::measure({a, DType::F64, 4}, {b, DType::F64, 4});
        const ErrorMetrics both = ErrorMetrics::combine(first, 2, second, 2);
        QCOMPARE(both.mae, whole.mae);
        QVERIFY(std::fabs(both.relFro - whole.relFro) < 1e-15);
        QCOMPARE(both.maxAbs, whole.maxAbs);
    }
    void statistics()
    {
        const double v[] = {1, 2, 3, 4, 5};
        const TensorStatistics s = TensorStatistics::compute({v, DType::F64, 5});
        QCOMPARE(s.mean, 3.0);
        QCOMPARE(s.stddev, std::sqrt(2.0));
        QCOMPARE(s.excessKurtosis, (1 * 16 + 1 + 0 + 1 + 16) / 5.0 / 4.0 - 3.0);
        // Pairs (1,2) (3,4) (5,3): the odd tail is padded with the mean.
        QCOMPARE(s.pairCentreX, 3.0);
        QCOMPARE(s.pairCentreY, 3.0);
        QCOMPARE(TensorStatistics::outerShare({v, DType::F64, 5}, 2.0, 3.0, 3.0), 2.0 / 3.0);
        const auto g = gaussianWeights(400000, 0.02, 1);
        const TensorStatistics gs = TensorStatistics::compute({g.data(), DType::F32, g.size()});
        QVERIFY(std::fabs(gs.stddev - 0.02) < 2e-4);
        QVERIFY(std::fabs(gs.excessKurtosis) < 0.05);
        const auto t = studentTWeights(400000, 5.0, 0.02, 1); // excess kurtosis 6/(nu-4) = 6
        QVERIFY(TensorStatistics::compute({t.data(), DType::F32, t.size()}).excessKurtosis > 3);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
