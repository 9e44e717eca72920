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
#include <cstring>

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
        // Every byte counted: the payload (header, density model, both streams) plus the mode's
        // JSON parameters (layout 2 has none; the entries every archived tensor has - mode, dtype,
        // shape - are not the mode's cost).
        QJsonObject params = e.toJson();
        for (const char *k : {"mode", "entropy", "dtype", "shape", "numel"})
            params.remove(QString::fromLatin1(k));
        QCOMPARE(params.size(), 0);
        QCOMPARE(e.lattice.layout, 2);
        const std::size_t json = std::size_t(QJsonDocument(params).toJson(QJsonDocument::Compact).size());
        QCOMPARE(e.metadataBytes(), json);
        QCOMPARE(e.bitsPerWeight(), 8.0 * double(e.payload.size() + json) / double(kN));
        QVERIFY2(e.bitsPerWeight() <= target, qPrintable(QString::number(e.bitsPerWeight())));
        QVERIFY2(std::fabs(e.bitsPerWeight() - target) <= 0.02 * target, qPrintable(QString::number(e.bitsPerWeight())));

        // Round trip: every pair within the hexagonal cell's circumradius h/sqrt(3) of its original
        // (nearest lattice point), so every element too.
        const auto r = decodeOk(e);
        double worst = 0;
        for (std::size_t i = 0; i + 1 < kN; i += 2)
            worst = std::max(worst, std::hypot(double(w[i]) - double(r[i]), double(w[i + 1]) - double(r[i + 1])));
        const double bound = e.lattice.spacing / std::sqrt(3.0) * (1 + 1e-6) + 1e-7;
        QVERIFY2(worst <= bound, qPrintable(QStringLiteral("%1 vs h %2").arg(worst).arg(e.lattice.spacing)));
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
        QCOMPARE(back->lattice.layout, 2);
        QCOMPARE(back->lattice.spacing, e.lattice.spacing); // from the payload's float32, exactly
        QCOMPARE(back->lattice.rowMin, e.lattice.rowMin);
        QCOMPARE(back->lattice.colMin, e.lattice.colMin);
        QCOMPARE(back->lattice.rows, e.lattice.rows);
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
        bad.lattice.rows += 1; // no longer what the payload's header says
        const Status st = bad.decode(out.data());
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error()).contains(QStringLiteral("header")), st.error().c_str());
        // A header whose spacing is not positive, a wrong layout byte, a bad precision byte, and
        // every single-byte flip of the header and model: an error or (for a flip that still
        // parses) a decode of the right size, never a crash.
        bad = e;
        const float negative = -1.0f;
        std::memcpy(bad.payload.data() + 1, &negative, 4);
        QVERIFY(!bad.decode(out.data()).ok());
        QVERIFY(!ModeEncoded::fromJson(bad.toJson(), bad.payload).ok());
        bad = e;
        bad.payload[0] = 3;
        QVERIFY(!bad.decode(out.data()).ok());
        for (std::size_t i = 0; i < 24 && i < e.payload.size(); ++i) {
            bad = e;
            bad.lattice = LatticeParams(); // as the archive's metadata gives it: layout only
            bad.payload[i] ^= 0x5a;
            (void)bad.decode(out.data());
        }
        // JSON with a missing or wrong field.
        QJsonObject j = e.toJson();
        j.insert(QStringLiteral("numel"), 12345);
        QVERIFY(!ModeEncoded::fromJson(j, e.payload).ok());
        j = e.toJson();
        j.insert(QStringLiteral("mode"), QStringLiteral("zigzag"));
        QVERIFY(!ModeEncoded::fromJson(j, e.payload).ok());
    }

    // Archives written before layout 2 (square-ish sheared lattice, parameters in the JSON, rANS
    // streams with their own tables) still decode.
    void layoutOneStillDecodes()
    {
        const std::vector<float> w{0.10f, -0.20f, 0.31f, 0.05f, -0.12f, 0.22f, 0.0f};
        LatticeParams p;
        p.layout = 1;
        p.centreX = 0.01;
        p.centreY = -0.02;
        p.spacing = 0.1;
        p.shear = 4;
        p.rowMin = -1;
        p.colMin = -2;
        p.rows = 4;
        p.cols = 5;
        // Pair i -> (row, col) symbols; the expected values follow layout 1's formula.
        const std::vector<std::uint32_t> rows{2, 0, 3, 1}, cols{1, 2, 4, 0};
        ModeEncoded e;
        e.mode = CodecMode::Lattice;
        e.entropy = true;
        e.shape = {7};
        e.numel = 7;
        e.lattice = p;
        const auto rb = RansCoder::encode(rows.data(), rows.size(), p.rows);
        const auto cb = RansCoder::encode(cols.data(), cols.size(), p.cols);
        e.payload.push_back(std::uint8_t(rb.size()));
        e.payload.insert(e.payload.end(), rb.begin(), rb.end());
        e.payload.insert(e.payload.end(), cb.begin(), cb.end());
        auto back = ModeEncoded::fromJson(e.toJson(), e.payload);
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(back->lattice.layout, 1);
        const auto r = decodeOk(*back);
        for (std::size_t i = 0; i < 4; ++i) {
            const double rr = double(p.rowMin + rows[i]), cc = double(p.colMin + cols[i]);
            const float x = float(p.centreX + (rr / 4.0) * p.spacing + cc * p.spacing);
            const float y = float(p.centreY + rr * p.spacing);
            QCOMPARE(r[2 * i], x);
            if (2 * i + 1 < 7)
                QCOMPARE(r[2 * i + 1], y);
        }
    }

    // Tiny tensors (a 16-weight bias) keep their values instead of collapsing onto a lattice of one
    // or two points to fit a target their header alone exceeds; constant tensors are exact.
    void tinyAndConstantTensors()
    {
        const std::vector<float> bias{-0.12f, 0.63f, -0.85f, 0.47f, 0.29f, 0.57f, -1.68f, -0.08f,
                                      -0.94f, 1.85f, -2.43f, -1.53f, -0.77f, -0.03f, -0.13f, 1.0f};
        LatticeMode::Options o;
        o.targetBitsPerWeight = 4.25;
        const ModeEncoded e = encodeOk(bias, o);
        QVERIFY(relErr(bias, decodeOk(e)) < 0.15);
        const std::vector<float> ones(300, 1.0f);
        const ModeEncoded c = encodeOk(ones, o);
        QVERIFY(c.bitsPerWeight() < 1.0);
        QVERIFY(relErr(ones, decodeOk(c)) < 1e-6);
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
