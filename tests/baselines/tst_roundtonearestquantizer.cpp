#include "core/baselines/roundtonearestquantizer.h"
#include "core/tensor/halffloat.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace hc;

namespace {

TensorView viewOf(const std::vector<double> &v)
{
    return {v.data(), DType::F64, v.size()};
}

std::vector<double> quantizeOk(const std::vector<double> &w, double bits, int group, int threads = 0)
{
    auto r = RoundToNearestQuantizer::quantize(viewOf(w), bits, group, threads);
    if (!r)
        qFatal("quantize failed: %s", r.error().c_str());
    return *r;
}

} // namespace

class TestRoundToNearestQuantizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void levels_data()
    {
        QTest::addColumn<double>("bits");
        QTest::addColumn<int>("levels");
        QTest::newRow("1") << 1.0 << 2;
        QTest::newRow("1.585 (3 levels)") << std::log2(3.0) << 3;
        QTest::newRow("2") << 2.0 << 4;
        QTest::newRow("4") << 4.0 << 16;
        QTest::newRow("4.5") << 4.5 << 22;
        QTest::newRow("8") << 8.0 << 256;
        QTest::newRow("0.5 too few") << 0.5 << 0;
        QTest::newRow("25 too many") << 25.0 << 0;
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << 0;
    }
    void levels()
    {
        QFETCH(double, bits);
        QFETCH(int, levels);
        QCOMPARE(RoundToNearestQuantizer::levelsFor(bits), long(levels));
    }

    void twoBitsOfZeroToThreeIsExact()
    {
        const std::vector<double> w{0, 1, 2, 3};
        QCOMPARE(quantizeOk(w, 2, 0), w);
        const std::vector<float> f{0, 1, 2, 3};
        auto r = RoundToNearestQuantizer::quantize({f.data(), DType::F32, f.size()}, 2, 0);
        QVERIFY(r.ok());
        QCOMPARE(*r, w);
    }

    // min 0, max 1, 2 levels: scale 1, codes round to 0 or 1.
    void oneBitByHand()
    {
        QCOMPARE(quantizeOk({0, 0.2, 0.7, 1}, 1, 0), (std::vector<double>{0, 0, 1, 1}));
    }

    // 3 levels (log2 3 bits): min -1, scale 1, so 0.2 -> 0 and 0.6 -> 1.
    void threeLevelsByHand()
    {
        QCOMPARE(quantizeOk({-1, 0.2, 0.6, 1}, std::log2(3.0), 0), (std::vector<double>{-1, 0, 1, 1}));
    }

    // The scale 0.1 is stored as float16 0.0999755859375 and the restored values show it.
    void scaleIsRoundedThroughFloat16()
    {
        const double s = double(halfToFloat(floatToHalf(0.1f)));
        QCOMPARE(s, 0.0999755859375);
        const auto out = quantizeOk({0, 0.1, 0.2, 0.3}, 2, 0);
        QCOMPARE(out, (std::vector<double>{0, s, 2 * s, 3 * s}));
    }

    // Two groups of 64 with very different ranges: each exact at 6 bits on its own, not as one.
    void groupsHaveTheirOwnScale()
    {
        std::vector<double> w(128);
        for (int i = 0; i < 64; ++i) {
            w[std::size_t(i)] = i;
            w[std::size_t(64 + i)] = 1000 + 2 * i;
        }
        QCOMPARE(quantizeOk(w, 6, 64), w);
        QVERIFY(quantizeOk(w, 6, 0) != w);
        // A short last group is a group of its own.
        std::vector<double> v(w.begin(), w.begin() + 70);
        v[64] = 500, v[65] = 563, v[66] = 501, v[67] = 530, v[68] = 545, v[69] = 562; // scale 1
        QCOMPARE(quantizeOk(v, 6, 64), v);
    }

    void constantGroupIsExact()
    {
        const std::vector<double> w(100, 0.25);
        QCOMPARE(quantizeOk(w, 3, 64), w);
    }

    void bitsPerWeightCountsScaleAndZero()
    {
        QCOMPARE(RoundToNearestQuantizer::bitsPerWeightFor(16, 64, 128), 4.5);
        QCOMPARE(RoundToNearestQuantizer::bitsPerWeightFor(16, 128, 256), 4.25);
        QCOMPARE(RoundToNearestQuantizer::bitsPerWeightFor(16, 64, 130), 4.0 + 96.0 / 130.0);
        QCOMPARE(RoundToNearestQuantizer::bitsPerWeightFor(16, 0, 1000), 4.0 + 32.0 / 1000.0);
        QCOMPARE(RoundToNearestQuantizer::bitsPerWeightFor(22, 64, 64), std::log2(22.0) + 0.5);

        const auto f = gaussianWeights(64 * 100, 0.02, 7);
        const TensorView v{f.data(), DType::F32, f.size()};
        auto r = RoundToNearestQuantizer::evaluate(v, 5.0, 64);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->bitsPerWeight, std::log2(22.0) + 0.5); // 4.5 code bits, 22 levels
        QVERIFY(r->bitsPerWeight <= 5.0);
        QVERIFY(r->name.find("22 levels") != std::string::npos);
        auto exact = RoundToNearestQuantizer::evaluate(v, 4.5, 64);
        QVERIFY(exact.ok());
        QCOMPARE(exact->bitsPerWeight, 4.5);
        auto same = RoundToNearestQuantizer::evaluateCodeBits(v, 4.0, 64);
        QVERIFY(same.ok());
        QCOMPARE(same->metrics.relFro, exact->metrics.relFro);
    }

    void errorFallsWithBits()
    {
        const auto f = studentTWeights(50000, 5, 0.02, 11);
        const TensorView v{f.data(), DType::F32, f.size()};
        double previous = std::numeric_limits<double>::infinity();
        for (double bits = 2; bits <= 8; bits += 0.5) {
            auto r = RoundToNearestQuantizer::evaluateCodeBits(v, bits, 64);
            QVERIFY(r.ok());
            QVERIFY2(r->metrics.relFro < previous, qPrintable(QString::number(bits)));
            if (bits >= 4 && std::floor(bits) == bits) // about halves per whole bit
                QVERIFY(r->metrics.relFro / previous < 0.85);
            previous = r->metrics.relFro;
        }
        // Per-tensor scales suffer from the heavy tail: groups do better.
        auto tensor = RoundToNearestQuantizer::evaluateCodeBits(v, 4, 0);
        auto grouped = RoundToNearestQuantizer::evaluateCodeBits(v, 4, 64);
        QVERIFY(grouped->metrics.relFro < tensor->metrics.relFro);
    }

    // Several chunks (more than 65536 elements): metrics agree with a direct measure and do not
    // depend on the thread count.
    void deterministicAndConsistent()
    {
        const auto f = studentTWeights(200003, 4, 0.05, 3);
        const TensorView v{f.data(), DType::F32, f.size()};
        auto one = RoundToNearestQuantizer::evaluateCodeBits(v, 4, 128, 1);
        auto two = RoundToNearestQuantizer::evaluateCodeBits(v, 4, 128, 2);
        QVERIFY(one.ok() && two.ok());
        QCOMPARE(one->metrics.mae, two->metrics.mae);
        QCOMPARE(one->metrics.relFro, two->metrics.relFro);
        QCOMPARE(one->metrics.maxAbs, two->metrics.maxAbs);
        auto restored = RoundToNearestQuantizer::quantize(v, 4, 128, 2);
        QVERIFY(restored.ok());
        QCOMPARE(*restored, *RoundToNearestQuantizer::quantize(v, 4, 128, 1));
        const ErrorMetrics m = ErrorMetrics::measure(v, {restored->data(), DType::F64, restored->size()});
        QVERIFY(std::fabs(m.mae - one->metrics.mae) <= 1e-12 * m.mae);
        QVERIFY(std::fabs(m.relFro - one->metrics.relFro) <= 1e-12 * m.relFro);
        QCOMPARE(m.maxAbs, one->metrics.maxAbs);
    }

    // Restored values are what a restored model in the tensor's dtype would hold.
    void restoredValuesAreInTheTensorsDtype()
    {
        const auto f = gaussianWeights(1000, 1.0, 5);
        std::vector<std::uint16_t> bf(f.size()), h(f.size());
        for (std::size_t i = 0; i < f.size(); ++i) {
            bf[i] = floatToBf16(f[i]);
            h[i] = floatToHalf(f[i]);
        }
        auto rb = RoundToNearestQuantizer::quantize({bf.data(), DType::BF16, bf.size()}, 6, 64);
        auto rh = RoundToNearestQuantizer::quantize({h.data(), DType::F16, h.size()}, 6, 64);
        QVERIFY(rb.ok() && rh.ok());
        for (std::size_t i = 0; i < f.size(); ++i) {
            QCOMPARE((*rb)[i], double(bf16ToFloat(floatToBf16(float((*rb)[i])))));
            QCOMPARE((*rh)[i], double(halfToFloat(floatToHalf(float((*rh)[i])))));
        }
    }

    void badInputsFailWithOneSentence()
    {
        const std::vector<double> w{0, 1, 2, 3};
        const std::vector<std::int32_t> ints{1, 2, 3};
        auto notFloat = RoundToNearestQuantizer::quantize({ints.data(), DType::I32, ints.size()}, 4, 0);
        QVERIFY(!notFloat.ok());
        QCOMPARE(notFloat.error(), std::string("round-to-nearest needs a float tensor, not I32"));
        auto empty = RoundToNearestQuantizer::quantize({w.data(), DType::F64, 0}, 4, 0);
        QCOMPARE(empty.error(), std::string("round-to-nearest cannot quantize an empty tensor"));
        const std::vector<double> nan{0, std::numeric_limits<double>::quiet_NaN(), 1};
        QCOMPARE(RoundToNearestQuantizer::quantize(viewOf(nan), 4, 0).error(),
                 std::string("round-to-nearest cannot quantize a tensor that holds NaN or Inf"));
        QVERIFY(RoundToNearestQuantizer::quantize(viewOf(w), 4, -1).error().find("group size") != std::string::npos);
        QVERIFY(RoundToNearestQuantizer::quantize(viewOf(w), 0.5, 0).error().find("code bits") != std::string::npos);
        const std::vector<double> huge{0, 1e6};
        QVERIFY(RoundToNearestQuantizer::quantize(viewOf(huge), 4, 0).error().find("float16 range") != std::string::npos);
        std::vector<double> many(640, 1.0);
        auto tooSmall = RoundToNearestQuantizer::evaluate(viewOf(many), 1.2, 64);
        QVERIFY(!tooSmall.ok());
        QVERIFY(tooSmall.error().find("less than 1 code bit") != std::string::npos);
        QVERIFY(!RoundToNearestQuantizer::evaluate(viewOf(many), -3, 64).ok());
        QVERIFY(!RoundToNearestQuantizer::evaluate(viewOf(many), std::numeric_limits<double>::infinity(), 64).ok());
    }
};

QTEST_GUILESS_MAIN(TestRoundToNearestQuantizer)
#include "tst_roundtonearestquantizer.moc"
