#include "core/baselines/normalfloatquantizer.h"
#include "core/codec/hypercodec.h"
#include "core/codec/latticemode.h"
#include "core/codec/modecodec.h"
#include "core/codec/ranscoder.h"
#include "core/metrics/errormetrics.h"
#include "core/tensor/halffloat.h"
#include "core/util/syntheticweights.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

using namespace hc;

namespace {

constexpr std::size_t kN = std::size_t(1) << 18; // 262 144 weights: fast, and tables are a small share

ModeEncoded encodeOk(const std::vector<float> &w, LatticeMode::Options o)
{
    auto r = LatticeMode::encode({w.data(), DType::F32, w.size()}, {std::int64_t(w.size())}, o);
    if (!r)
        qFatal("lattice encode failed: %s", r.error().c_str());
    return std::move(r).value();
}

std::vector<float> decodeOk(const ModeEncoded &e, int threads = 0)
{
    std::vector<float> out(e.numel);
    const Status s = e.decode(out.data(), threads);
    if (!s)
        qFatal("lattice decode failed: %s", s.error().c_str());
    return out;
}

double relErr(const std::vector<float> &w, const std::vector<float> &r)
{
    return ErrorMetrics::measure({w.data(), DType::F32, w.size()}, {r.data(), DType::F32, r.size()}).relFro;
}

} // namespace

class TestLatticeMode : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hitsTargetBitsPerWeight_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<double>("target");
        for (double t : {3.5, 4.0, 4.25, 6.0})
            QTest::newRow(qPrintable(QStringLiteral("student-t %1").arg(t))) << "t" << t;
        for (double t : {2.0, 4.25})
            QTest::newRow(qPrintable(QStringLiteral("gaussian %1").arg(t))) << "g" << t;
    }
    void hitsTargetBitsPerWeight()
    {
        QFETCH(QString, kind);
        QFETCH(double, target);
        const auto w = kind == QStringLiteral("t") ? studentTWeights(kN, 4.0, 0.02, 11) : gaussianWeights(kN, 0.02, 12);
        LatticeMode::Options o;
        o.targetBitsPerWeight = target;
        const ModeEncoded e = encodeOk(w, o);
        // Every byte counted: both streams with their tables plus the mode's JSON parameters (the
        // entries every archived tensor has - mode, dtype, shape - are not the mode's cost).
        QJsonObject params = e.toJson();
        for (const char *k : {"mode", "entropy", "dtype", "shape", "numel"})
            params.remove(QString::fromLatin1(k));
        QCOMPARE(params.size(), 8);
        const std::size_t json = std::size_t(QJsonDocument(params).toJson(QJsonDocument::Compact).size());
        QCOMPARE(e.metadataBytes(), json);
        QCOMPARE(e.bitsPerWeight(), 8.0 * double(e.payload.size() + json) / double(kN));
        QVERIFY2(e.bitsPerWeight() <= target, qPrintable(QString::number(e.bitsPerWeight())));
        QVERIFY2(std::fabs(e.bitsPerWeight() - target) <= 0.02 * target, qPrintable(QString::number(e.bitsPerWeight())));

        // Round trip: every element within one spacing of its original (nearest lattice point).
        const auto r = decodeOk(e);
        double worst = 0;
        for (std::size_t i = 0; i < kN; ++i)
            worst = std::max(worst, std::fabs(double(w[i]) - double(r[i])));
        QVERIFY2(worst <= e.lattice.spacing * 0.75, qPrintable(QStringLiteral("%1 vs h %2").arg(worst).arg(e.lattice.spacing)));
    }

    // Issue 9: at 4.25 actual bits per weight, relative error <= 0.7 x that of NF4 block-64.
    void beatsNf4AtItsOwnBits_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("student-t nu=4") << "t";
        QTest::newRow("gaussian") << "g";
    }
    void beatsNf4AtItsOwnBits()
    {
        QFETCH(QString, kind);
        const auto w = kind == QStringLiteral("t") ? studentTWeights(kN, 4.0, 0.02, 13) : gaussianWeights(kN, 0.02, 14);
        const TensorView v{w.data(), DType::F32, w.size()};
        auto nf4 = NormalFloatQuantizer::evaluate(v, 64);
        QVERIFY(nf4.ok());
        QCOMPARE(nf4->bitsPerWeight, 4.25);
        LatticeMode::Options o;
        o.targetBitsPerWeight = 4.25;
        const ModeEncoded e = encodeOk(w, o);
        QVERIFY(e.bitsPerWeight() <= 4.25);
        const double ratio = relErr(w, decodeOk(e)) / nf4->metrics.relFro;
        qInfo("lattice %.4f b/w: %.3f x NF4's relative error", e.bitsPerWeight(), ratio);
        QVERIFY2(ratio <= 0.7, qPrintable(QString::number(ratio)));
    }

    void resultsDoNotDependOnThreads()
    {
        const auto w = studentTWeights(100001, 4.0, 0.02, 15);
        LatticeMode::Options o;
        o.targetBitsPerWeight = 4.0;
        o.threads = 1;
        const ModeEncoded a = encodeOk(w, o);
        o.threads = 2;
        const ModeEncoded b = encodeOk(w, o);
        QVERIFY(a.payload == b.payload);
        QCOMPARE(a.lattice.spacing, b.lattice.spacing);
        QVERIFY(decodeOk(a, 1) == decodeOk(a, 2));
    }

    void jsonRoundTripIsExact()
    {
        const auto w = gaussianWeights(50001, 0.3, 16); // odd: the padding element is dropped again
        LatticeMode::Options o;
        o.targetBitsPerWeight = 3.0;
        const ModeEncoded e = encodeOk(w, o);
        const QByteArray text = QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact);
        auto back = ModeEncoded::fromJson(QJsonDocument::fromJson(text).object(), e.payload);
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->lattice.spacing, e.lattice.spacing); // bit-exact doubles
        QCOMPARE(back->lattice.centreX, e.lattice.centreX);
        QCOMPARE(back->lattice.centreY, e.lattice.centreY);
        QCOMPARE(back->lattice.rowMin, e.lattice.rowMin);
        QCOMPARE(back->lattice.cols, e.lattice.cols);
        QVERIFY(decodeOk(*back) == decodeOk(e));
        QCOMPARE(back->metadataBytes(), e.metadataBytes());
    }

    void otherDtypesAndDegenerateTensors()
    {
        // float16 input decodes to float16, values rounded through it.
        const auto f = gaussianWeights(4096, 0.05, 17);
        std::vector<std::uint16_t> half(f.size());
        for (std::size_t i = 0; i < f.size(); ++i)
            half[i] = floatToHalf(f[i]);
        LatticeMode::Options o;
        o.targetBitsPerWeight = 5.0;
        auto e = LatticeMode::encode({half.data(), DType::F16, half.size()}, {64, 64}, o);
        QVERIFY(e.ok());
        QCOMPARE(int(e->dtype), int(DType::F16));
        std::vector<std::uint16_t> out(half.size());
        QVERIFY(e->decode(out.data()).ok());
        double err = 0, norm = 0;
        for (std::size_t i = 0; i < half.size(); ++i) {
            const double a = halfToFloat(half[i]), b = halfToFloat(out[i]);
            err += (a - b) * (a - b);
            norm += a * a;
        }
        QVERIFY(std::sqrt(err / norm) < 0.1);

        // A constant tensor: one lattice point, exact.
        const std::vector<float> c(1000, 0.25f);
        auto ce = LatticeMode::encode({c.data(), DType::F32, c.size()}, {1000}, o);
        QVERIFY(ce.ok());
        std::vector<float> cr(c.size());
        QVERIFY(ce->decode(cr.data()).ok());
        QVERIFY(cr == c);

        // Bad inputs: one sentence each.
        std::vector<float> nan(100, 1.0f);
        nan[7] = std::nanf("");
        auto ne = LatticeMode::encode({nan.data(), DType::F32, nan.size()}, {100}, o);
        QVERIFY(!ne.ok());
        QVERIFY(QString::fromStdString(ne.error()).contains(QStringLiteral("NaN")));
        o.targetBitsPerWeight = 100;
        QVERIFY(!LatticeMode::encode({f.data(), DType::F32, f.size()}, {4096}, o).ok());
        const std::vector<std::int32_t> ints(100, 1);
        QVERIFY(!LatticeMode::encode({ints.data(), DType::I32, ints.size()}, {100}, o).ok());
        QVERIFY(!LatticeMode::encode({f.data(), DType::F32, 0}, {0}, o).ok());
    }

    void corruptPayloadsAreRejected()
    {
        const auto w = studentTWeights(40000, 4.0, 0.02, 18);
        LatticeMode::Options o;
        o.targetBitsPerWeight = 4.0;
        const ModeEncoded e = encodeOk(w, o);
        std::vector<float> out(w.size());
        for (std::size_t len : {std::size_t(0), std::size_t(1), e.payload.size() / 2, e.payload.size() - 1}) {
            ModeEncoded bad = e;
            bad.payload.resize(len);
            QVERIFY(!bad.decode(out.data()).ok());
        }
        ModeEncoded bad = e;
        bad.lattice.rows += 1; // the row stream's alphabet no longer matches
        const Status st = bad.decode(out.data());
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error()).contains(QStringLiteral("alphabet")), st.error().c_str());
        bad = e;
        bad.lattice.spacing = -1;
        QVERIFY(!bad.decode(out.data()).ok());
        // JSON with a missing or wrong field.
        QJsonObject j = e.toJson();
        j.remove(QStringLiteral("h"));
        QVERIFY(!ModeEncoded::fromJson(j, e.payload).ok());
        j = e.toJson();
        j.insert(QStringLiteral("numel"), 12345);
        QVERIFY(!ModeEncoded::fromJson(j, e.payload).ok());
        j = e.toJson();
        j.insert(QStringLiteral("mode"), QStringLiteral("zigzag"));
        QVERIFY(!ModeEncoded::fromJson(j, e.payload).ok());
    }

    // ModeCodec's paper mode with --entropy: the same restored tensor as fixed width, fewer bytes,
    // at least 80 % of the order-0 gain (issue 9).
    void paperModeEntropyCoding()
    {
        const auto w = studentTWeights(kN, 4.0, 0.02, 19);
        const TensorView v{w.data(), DType::F32, w.size()};
        ModeOptions o; // U = 225, l = 0.1, K = auto:3
        auto fixed = ModeCodec::encode(v, {std::int64_t(kN)}, o);
        o.entropy = true;
        auto coded = ModeCodec::encode(v, {std::int64_t(kN)}, o);
        QVERIFY(fixed.ok() && coded.ok());
        QVERIFY(decodeOk(*fixed) == decodeOk(*coded));
        auto e = HyperCodec::encode(v, {std::int64_t(kN)}, CodecParams{});
        const double h0 = RansCoder::order0EntropyBits(e->indices.data(), e->indices.size()) / double(e->pairCount());
        const double fixedBits = fixed->indexBitsPerPair(), codedBits = coded->indexBitsPerPair();
        qInfo("paper indices: fixed %.3f, rANS %.3f, order-0 entropy %.3f bits per pair", fixedBits, codedBits, h0);
        QVERIFY((fixedBits - codedBits) / (fixedBits - h0) >= 0.8);
        QVERIFY(coded->bitsPerWeight() < fixed->bitsPerWeight());
        // JSON round trip of the paper header.
        auto back = ModeEncoded::fromJson(coded->toJson(), coded->payload);
        QVERIFY2(back.ok(), back.error().c_str());
        QVERIFY(decodeOk(*back) == decodeOk(*coded));
    }
};

QTEST_MAIN(TestLatticeMode)
#include "tst_latticemode.moc"
