#include "core/baselines/normalfloatquantizer.h"
#include "core/baselines/roundtonearestquantizer.h"
#include "core/tensor/halffloat.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace hc;

namespace {

TensorView viewOf(const std::vector<double> &v)
{
    return {v.data(), DType::F64, v.size()};
}

} // namespace

class TestNormalFloatQuantizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void codebookIsTheQloraTable()
    {
        const auto &c = NormalFloatQuantizer::codebook();
        QCOMPARE(c.size(), std::size_t(16));
        QVERIFY(std::is_sorted(c.begin(), c.end()));
        QCOMPARE(c[0], -1.0);
        QCOMPARE(c[7], 0.0);
        QCOMPARE(c[15], 1.0);
        QCOMPARE(c[8], 0.07958029955625534);
        QCOMPARE(c[1], -0.6961928009986877);
        // The published values are float32 numbers.
        for (double v : c)
            QCOMPARE(double(float(v)), v);
    }

    // Every codebook value times a power-of-two absmax comes back exactly, block by block.
    void codebookValuesTimesAbsmaxAreExact()
    {
        std::vector<double> w;
        for (double absmax : {2.0, 0.5, 1.0 / 64}) {
            for (int rep = 0; rep < 4; ++rep)
                for (double c : NormalFloatQuantizer::codebook())
                    w.push_back(c * absmax);
        }
        QCOMPARE(w.size(), std::size_t(192));
        auto r = NormalFloatQuantizer::quantize(viewOf(w), 64);
        QVERIFY(r.ok());
        QCOMPARE(*r, w);
        std::vector<float> f(w.begin(), w.end());
        auto e = NormalFloatQuantizer::evaluate({f.data(), DType::F32, f.size()}, 64);
        QVERIFY(e.ok());
        QCOMPARE(e->metrics.maxAbs, 0.0);
    }

    // absmax 1: 0.1 lies between 0.0796 and 0.1609 and goes to the nearer; the absmax 0.1 of the
    // second block is stored as float16 0.0999755859375.
    void nearestCodeAndFloat16AbsmaxByHand()
    {
        const auto r = NormalFloatQuantizer::quantize(viewOf({1.0, 0.1, -0.3, 0.1, -0.05}), 3);
        QVERIFY(r.ok());
        const double s = 0.0999755859375;
        QCOMPARE(*r, (std::vector<double>{1.0, 0.07958029955625534, -0.28444138169288635, s, -0.5250730514526367 * s}));
    }

    void zeroBlockIsExact()
    {
        const std::vector<double> w(130, 0.0);
        QCOMPARE(*NormalFloatQuantizer::quantize(viewOf(w)), w);
    }

    void bitsPerWeight()
    {
        QCOMPARE(NormalFloatQuantizer::bitsPerWeightFor(64, 6400), 4.25);
        QCOMPARE(NormalFloatQuantizer::bitsPerWeightFor(128, 6400), 4.125);
        QCOMPARE(NormalFloatQuantizer::bitsPerWeightFor(64, 65), 4.0 + 32.0 / 65.0);
        const auto f = gaussianWeights(6400, 0.02, 1);
        auto r = NormalFloatQuantizer::evaluate({f.data(), DType::F32, f.size()});
        QVERIFY(r.ok());
        QCOMPARE(r->bitsPerWeight, 4.25);
        QCOMPARE(r->name, std::string("NF4 b64"));
    }

    // On normal weights NF4 sits where the literature puts it, and smaller blocks help.
    void errorOnGaussianWeights()
    {
        const auto f = gaussianWeights(100000, 0.02, 9);
        const TensorView v{f.data(), DType::F32, f.size()};
        auto b64 = NormalFloatQuantizer::evaluate(v, 64);
        auto b1024 = NormalFloatQuantizer::evaluate(v, 1024);
        QVERIFY(b64.ok() && b1024.ok());
        QVERIFY2(b64->metrics.relFro > 0.05 && b64->metrics.relFro < 0.15, qPrintable(QString::number(b64->metrics.relFro)));
        QVERIFY(b64->metrics.relFro < b1024->metrics.relFro);
        auto rtn = RoundToNearestQuantizer::evaluateCodeBits(v, 4, 64);
        qInfo("Gaussian, 4 bits, block 64: NF4 rel. error %.4f, RTN %.4f", b64->metrics.relFro, rtn->metrics.relFro);
    }

    void deterministic()
    {
        const auto f = studentTWeights(150001, 3, 0.02, 4);
        const TensorView v{f.data(), DType::F32, f.size()};
        auto one = NormalFloatQuantizer::evaluate(v, 64, 1);
        auto two = NormalFloatQuantizer::evaluate(v, 64, 2);
        QCOMPARE(one->metrics.mae, two->metrics.mae);
        QCOMPARE(one->metrics.relFro, two->metrics.relFro);
        QCOMPARE(*NormalFloatQuantizer::quantize(v, 64, 1), *NormalFloatQuantizer::quantize(v, 64, 2));
    }

    void badInputsFailWithOneSentence()
    {
        const std::vector<std::uint8_t> bytes{1, 2, 3};
        QCOMPARE(NormalFloatQuantizer::evaluate({bytes.data(), DType::U8, bytes.size()}).error(),
                 std::string("NF4 needs a float tensor, not U8"));
        const std::vector<double> w{1, 2};
        QCOMPARE(NormalFloatQuantizer::evaluate({w.data(), DType::F64, 0}).error(),
                 std::string("NF4 cannot quantize an empty tensor"));
        QCOMPARE(NormalFloatQuantizer::evaluate(viewOf(w), 0).error(), std::string("the NF4 block size must be positive, not 0"));
        const std::vector<double> inf{1, std::numeric_limits<double>::infinity()};
        QCOMPARE(NormalFloatQuantizer::evaluate(viewOf(inf)).error(),
                 std::string("NF4 cannot quantize a tensor that holds NaN or Inf"));
        const std::vector<double> huge{1, -70000};
        QVERIFY(NormalFloatQuantizer::evaluate(viewOf(huge)).error().find("float16 range") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestNormalFloatQuantizer)
#include "tst_normalfloatquantizer.moc"
