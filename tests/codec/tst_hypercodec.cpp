#include "core/codec/bitpacker.h"
#include "core/codec/classrings.h"
#include "core/codec/hypercodec.h"
#include "core/codec/samplessearch.h"
#include "core/codec/trajectorycodebook.h"
#include "core/metrics/errormetrics.h"
#include "core/tensor/halffloat.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace hc;

namespace {

EncodedTensor encodeOk(const std::vector<double> &w, CodecParams p, SearchEngine engine = SearchEngine::Lattice,
                       int threads = 0)
{
    auto r = HyperCodec::encode({w.data(), DType::F64, w.size()}, {std::int64_t(w.size())}, p, {engine, threads});
    if (!r)
        qFatal("encode failed: %s", r.error().c_str());
    return std::move(r).value();
}

CodecParams fixedK(int U, double l, int K)
{
    CodecParams p;
    p.samples = U;
    p.box = l;
    p.classes = K;
    p.autoClasses = false;
    return p;
}

std::vector<double> decodeToDouble(const EncodedTensor &e)
{
    std::vector<double> out(e.numel);
    HyperCodec::decode(e, out.data());
    return out;
}

std::vector<double> toDoubles(const std::vector<float> &f)
{
    return std::vector<double>(f.begin(), f.end());
}

} // namespace

class TestHyperCodec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // U = 4, l = 1, c = (0, 0): m = 2, per-step move (l/m², l/m) = (0.25, 0.5).
    void codebookSmallExampleByHand()
    {
        const TrajectoryCodebook cb(0.0, 0.0, 1.0, 4);
        QCOMPARE(cb.side(), 2);
        QCOMPARE(int(cb.size()), 5);
        const double expected[5][2] = {{0, 0}, {-0.5, -0.5}, {-0.25, 0.0}, {0.0, -0.5}, {0.25, 0.0}};
        for (int j = 0; j < 5; ++j) {
            QCOMPARE(cb.x(std::size_t(j)), expected[j][0]);
            QCOMPARE(cb.y(std::size_t(j)), expected[j][1]);
        }
    }

    void codebookSideIsCeilSqrt()
    {
        QCOMPARE(TrajectoryCodebook::sideFor(1), 1);
        QCOMPARE(TrajectoryCodebook::sideFor(4), 2);
        QCOMPARE(TrajectoryCodebook::sideFor(5), 3);
        QCOMPARE(TrajectoryCodebook::sideFor(225), 15);
        QCOMPARE(TrajectoryCodebook::sideFor(226), 16);
        QCOMPARE(TrajectoryCodebook::sideFor(1600), 40);
    }

    // Expected values from tests/codec/reference/reference_codec.py, a naive brute-force
    // transcription of ALGORITHM.md.
    void matchesReference_data()
    {
        QTest::addColumn<std::vector<double>>("w");
        QTest::addColumn<int>("U");
        QTest::addColumn<double>("l");
        QTest::addColumn<int>("K");
        QTest::addColumn<double>("cx");
        QTest::addColumn<double>("cy");
        QTest::addColumn<double>("D");
        QTest::addColumn<int>("classes");
        QTest::addColumn<int>("bits");
        QTest::addColumn<std::vector<std::uint32_t>>("indices");
        QTest::addColumn<std::vector<double>>("decoded");
        QTest::newRow("U=4 l=1 K=2, odd N with outliers")
            << std::vector<double>{0.1, -0.2, 0.05, 0.3, -0.4, 0.45, 0.0, 0.02, 1.5, -1.2, 0.2} << 4 << 1.0 << 2
            << 0.24166666666666667 << -0.09257575757575755 << 1.676243189542223 << 2 << 4
            << std::vector<std::uint32_t>{2, 2, 7, 2, 14, 0}
            << std::vector<double>{-0.008333333333333304, -0.09257575757575753, -0.008333333333333304,
                                   -0.09257575757575753, -0.3023941307188891, -0.09257575757575752,
                                   -0.008333333333333304, -0.09257575757575753, 1.079788261437778,
                                   -0.0925757575757575, 0.24166666666666667};
        QTest::newRow("U=9 l=0.1 K=3")
            << std::vector<double>{0.01, -0.02, 0.005, 0.03, -0.04, 0.045, 0.0, 0.002, 0.15, -0.12, 0.02, 0.3} << 9
            << 0.1 << 3 << 0.024166666666666666 << 0.0395 << 0.26053332053906486 << 3 << 6
            << std::vector<std::uint32_t>{15, 5, 13, 4, 38, 36}
            << std::vector<double>{0.010813580720775356, -0.000559257837673896, 0.018611111111111103,
                                   0.022833333333333324, -0.0425987630627898, 0.07955925783767387,
                                   0.007499999999999989, -0.010500000000000002, 0.1689074002994804,
                                   -0.04734444017968833, 0.0531148133932294, 0.12634444017968818};
        QTest::newRow("U=16 l=1: every point inner, K = 0")
            << std::vector<double>{0.3, 0.1, -0.2, 0.25, 0.0, -0.05, 0.12, 0.33, -0.31, 0.07} << 16 << 1.0 << 1
            << -0.018000000000000006 << 0.13999999999999999 << 0.32050585018061684 << 0 << 4
            << std::vector<std::uint32_t>{15, 7, 10, 12, 3}
            << std::vector<double>{0.357, 0.14, -0.14300000000000002, 0.14, 0.044499999999999984,
                                   -0.10999999999999999, 0.16949999999999998, 0.39, -0.393, 0.14};
    }
    void matchesReference()
    {
        QFETCH(std::vector<double>, w);
        QFETCH(int, U);
        QFETCH(double, l);
        QFETCH(int, K);
        QFETCH(double, cx);
        QFETCH(double, cy);
        QFETCH(double, D);
        QFETCH(int, classes);
        QFETCH(int, bits);
        QFETCH(std::vector<std::uint32_t>, indices);
        QFETCH(std::vector<double>, decoded);
        for (SearchEngine engine : {SearchEngine::Lattice, SearchEngine::KdTree}) {
            const EncodedTensor e = encodeOk(w, fixedK(U, l, K), engine);
            // Sums may be taken in another order than the reference: agree to rounding.
            QVERIFY(std::fabs(e.centreX - cx) < 1e-15);
            QVERIFY(std::fabs(e.centreY - cy) < 1e-15);
            QVERIFY(std::fabs(e.farthest - D) < 1e-14);
            QCOMPARE(e.classes, classes);
            QCOMPARE(e.bits, bits);
            QCOMPARE(e.indices, indices);
            const auto out = decodeToDouble(e);
            QCOMPARE(out.size(), decoded.size());
            for (std::size_t i = 0; i < out.size(); ++i)
                QVERIFY2(std::fabs(out[i] - decoded[i]) < 1e-13, qPrintable(QString::number(i)));
        }
    }

    // ALGORITHM.md §4: inner points are off by at most about half the lattice diagonal; class k
    // pays that amplified by r_k / (l/2).
    void roundTripErrorBounds_data()
    {
        QTest::addColumn<int>("U");
        QTest::addColumn<double>("l");
        QTest::addColumn<int>("K");
        QTest::newRow("paper UNet U=225 l=0.1 K=3") << 225 << 0.1 << 3;
        QTest::newRow("U=64 l=0.05 K=2") << 64 << 0.05 << 2;
        QTest::newRow("U=1600 l=0.1 K=4") << 1600 << 0.1 << 4;
        QTest::newRow("U=200 (not a square) l=0.08 K=1") << 200 << 0.08 << 1;
    }
    void roundTripErrorBounds()
    {
        QFETCH(int, U);
        QFETCH(double, l);
        QFETCH(int, K);
        const auto w = toDoubles(studentTWeights(200001, 4.0, 0.02, 11));
        const EncodedTensor e = encodeOk(w, fixedK(U, l, K));
        const auto out = decodeToDouble(e);
        const int m = TrajectoryCodebook::sideFor(U);
        const double h = l / m;
        // The sheared lattice cell has sides h and sqrt(h² + (h/m)²); half its long diagonal
        // bounds the distance to the nearest sample for points inside the lattice. Points in the
        // strip past the last row or column (the box edge, wider when U < m² leaves rows short)
        // are bounded by the codebook's covering radius over the box, measured here on a grid.
        const double halfDiagonal = 0.5 * std::hypot(h + h / m, h);
        const TrajectoryCodebook cb(e.centreX, e.centreY, l, U);
        const int grid = 300;
        double covering = 0;
        for (int gy = 0; gy <= grid; ++gy)
            for (int gx = 0; gx <= grid; ++gx) {
                const double qx = e.centreX - l / 2 + l * gx / grid, qy = e.centreY - l / 2 + l * gy / grid;
                double best = std::numeric_limits<double>::infinity();
                for (std::size_t j = 0; j < cb.size(); ++j)
                    best = std::min(best, std::hypot(qx - cb.x(j), qy - cb.y(j)));
                covering = std::max(covering, best);
            }
        const double edgeBound = covering + l / grid; // a grid point lies within l/grid·√2/2 of any point
        const ClassRings rings(l, e.farthest, e.classes);
        double worstInner = 0;
        std::size_t interiorViolations = 0;
        for (std::size_t i = 0; i + 1 < w.size(); i += 2) {
            const std::uint32_t idx = e.indices[i / 2];
            const int k = int(idx / std::uint32_t(U + 1));
            const double err = std::hypot(w[i] - out[i], w[i + 1] - out[i + 1]);
            const double dx = w[i] - e.centreX, dy = w[i + 1] - e.centreY;
            if (k == 0) {
                QVERIFY(std::fabs(dx) <= l / 2 && std::fabs(dy) <= l / 2);
                worstInner = std::max(worstInner, err);
                const double margin = (U == m * m ? 1 : 3) * h;
                const bool interior = std::fabs(dx) <= l / 2 - margin && std::fabs(dy) <= l / 2 - margin;
                if (interior && err > halfDiagonal * (1 + 1e-9))
                    ++interiorViolations;
                QVERIFY2(err <= edgeBound * (1 + 1e-9), qPrintable(QStringLiteral("inner err %1 > %2").arg(err).arg(edgeBound)));
            } else {
                const double amplify = rings.radius(k) / (l / 2);
                QVERIFY2(err <= edgeBound * amplify * (1 + 1e-9),
                         qPrintable(QStringLiteral("class %1 err %2 > %3").arg(k).arg(err).arg(edgeBound * amplify)));
                const double r = std::hypot(dx, dy);
                QVERIFY(r <= rings.radius(k) && r > rings.radius(k - 1));
            }
        }
        QCOMPARE(interiorViolations, std::size_t(0));
        QVERIFY(worstInner > 0);
        QCOMPARE(e.classes, K);
    }

    void autoClassesPicksLowestMae()
    {
        const auto w = toDoubles(studentTWeights(50000, 3.0, 0.05, 3));
        CodecParams p = fixedK(225, 0.1, 3);
        std::vector<double> fixedMae(5, 0);
        for (int k = 1; k <= 4; ++k) {
            p.classes = k;
            fixedMae[std::size_t(k)] = encodeOk(w, p).mae;
        }
        p.classes = 4;
        p.autoClasses = true;
        p.lossThreshold = 0; // no early stop
        const EncodedTensor e = encodeOk(w, p);
        int best = 1;
        for (int k = 1; k <= 4; ++k)
            if (fixedMae[std::size_t(k)] <= fixedMae[std::size_t(best)])
                best = k; // on equal MAE the larger K wins
        QCOMPARE(e.classes, best);
        QCOMPARE(e.mae, fixedMae[std::size_t(best)]);
        for (int k = 1; k <= 4; ++k)
            QCOMPARE(e.maeByClasses[std::size_t(k)], fixedMae[std::size_t(k)]);
        // The auto result is the very encoding a fixed K of that value gives.
        p.autoClasses = false;
        p.classes = best;
        QCOMPARE(e.indices, encodeOk(w, p).indices);
    }

    void autoClassesStopsEarlyAtThreshold()
    {
        const auto w = toDoubles(studentTWeights(20000, 4.0, 0.02, 5));
        CodecParams p = fixedK(225, 0.1, 3);
        p.autoClasses = true;
        p.lossThreshold = 1.0; // any MAE passes: stop at K = 1
        const EncodedTensor e = encodeOk(w, p);
        QCOMPARE(e.classes, 1);
        QCOMPARE(int(e.maeByClasses.size()), 2);
    }

    void samplesListSearch()
    {
        const auto w = toDoubles(studentTWeights(20000, 4.0, 0.02, 9));
        const TensorView v{w.data(), DType::F64, w.size()};
        const std::vector<int> list{16, 64, 225, 900};
        CodecParams p = fixedK(0, 0.1, 2);
        std::vector<double> mae;
        for (int u : list) {
            p.samples = u;
            mae.push_back(encodeOk(w, p).mae);
        }
        QVERIFY(mae[0] > mae[3]);
        // loss_max above every MAE: the first U is kept.
        QCOMPARE(SamplesSearch::encode(v, {}, list, p, 1.0)->samples, 16);
        // loss_max below every MAE: the search runs to the last U.
        QCOMPARE(SamplesSearch::encode(v, {}, list, p, 0.0)->samples, 900);
        // Between: the first U whose MAE is at most loss_max.
        const double lossMax = (mae[1] + mae[2]) / 2;
        QVERIFY(mae[1] > lossMax && mae[2] <= lossMax);
        QCOMPARE(SamplesSearch::encode(v, {}, list, p, lossMax)->samples, 225);
    }

    void degenerateInputs()
    {
        const double few[] = {1, 2, 3};
        QVERIFY(!HyperCodec::rawReason({few, DType::F64, 3}).empty());
        std::vector<double> nan(20, 0.5);
        nan[7] = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(HyperCodec::rawReason({nan.data(), DType::F64, nan.size()}).find("NaN") != std::string::npos);
        nan[7] = -std::numeric_limits<double>::infinity();
        QVERIFY(!HyperCodec::rawReason({nan.data(), DType::F64, nan.size()}).empty());
        const std::int32_t ints[12] = {};
        QVERIFY(!HyperCodec::rawReason({ints, DType::I32, 12}).empty());

        // All-equal values: every point is the centre; K = 0 and the restore is exact.
        std::vector<double> same(101, 0.25);
        const EncodedTensor e = encodeOk(same, fixedK(225, 0.1, 3));
        QCOMPARE(e.classes, 0);
        QCOMPARE(e.farthest, 0.0);
        QCOMPARE(decodeToDouble(e), same);
        QVERIFY(HyperCodec::rawReason({same.data(), DType::F64, same.size()}).empty());

        // A single element is still encodable (the small-tensor rule is the caller's).
        const std::vector<double> one{0.5};
        QCOMPARE(decodeToDouble(encodeOk(one, fixedK(4, 1.0, 1))), one);
    }

    void invalidParameters_data()
    {
        QTest::addColumn<int>("U");
        QTest::addColumn<double>("l");
        QTest::addColumn<int>("K");
        QTest::addColumn<QString>("words");
        QTest::newRow("U = 0") << 0 << 0.1 << 3 << "U must be at least 1";
        QTest::newRow("U < 0") << -5 << 0.1 << 3 << "U must be at least 1";
        QTest::newRow("l = 0") << 225 << 0.0 << 3 << "l must be a positive number";
        QTest::newRow("l < 0") << 225 << -0.1 << 3 << "l must be a positive number";
        QTest::newRow("l NaN") << 225 << std::numeric_limits<double>::quiet_NaN() << 3 << "l must be a positive number";
        QTest::newRow("K = 0") << 225 << 0.1 << 0 << "K must be between";
    }
    void invalidParameters()
    {
        QFETCH(int, U);
        QFETCH(double, l);
        QFETCH(int, K);
        QFETCH(QString, words);
        const std::vector<double> w(100, 0.1);
        auto r = HyperCodec::encode({w.data(), DType::F64, w.size()}, {100}, fixedK(U, l, K));
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error()).contains(words), r.error().c_str());
    }

    void halfAndBfloatInputs_data()
    {
        QTest::addColumn<int>("dtype");
        QTest::newRow("F16") << int(DType::F16);
        QTest::newRow("BF16") << int(DType::BF16);
        QTest::newRow("F32") << int(DType::F32);
    }
    void halfAndBfloatInputs()
    {
        QFETCH(int, dtype);
        const DType t = DType(dtype);
        const auto f = studentTWeights(30001, 4.0, 0.02, 21);
        std::vector<double> d(f.begin(), f.end());
        std::vector<std::uint8_t> raw(d.size() * dtypeSize(t));
        fromDouble(d.data(), d.size(), t, raw.data());
        const TensorView v{raw.data(), t, d.size()};
        CodecParams p; // the paper's defaults
        auto r = HyperCodec::encode(v, {std::int64_t(d.size())}, p);
        QVERIFY(r);
        QCOMPARE(r->dtype, t);
        std::vector<std::uint8_t> out(raw.size());
        HyperCodec::decode(*r, out.data());
        const ErrorMetrics m = ErrorMetrics::measure(v, {out.data(), t, d.size()});
        QVERIFY(m.relFro > 0.01 && m.relFro < 0.3);
        QVERIFY(std::fabs(m.mae - r->mae) < 1e-12); // the encoder's MAE is measured on the restored dtype
        // The packed stream decodes to the same bytes.
        const auto packed = r->packed();
        std::vector<std::uint8_t> out2(raw.size());
        QVERIFY(HyperCodec::decodePacked(*r, packed.data(), packed.size(), out2.data()));
        QCOMPARE(out2, out);
    }

    void resultDoesNotDependOnThreadsOrEngine()
    {
        const auto f = studentTWeights(300001, 4.0, 0.02, 33);
        const TensorView v{f.data(), DType::F32, f.size()};
        CodecParams p;
        auto a = HyperCodec::encode(v, {}, p, {SearchEngine::Lattice, 1});
        auto b = HyperCodec::encode(v, {}, p, {SearchEngine::Lattice, 2});
        auto c = HyperCodec::encode(v, {}, p, {SearchEngine::KdTree, 2});
        QCOMPARE(a->centreX, b->centreX);
        QCOMPARE(a->centreY, b->centreY);
        QCOMPARE(a->mae, b->mae);
        QCOMPARE(a->indices, b->indices);
        QCOMPARE(a->indices, c->indices);
        QCOMPARE(a->classes, c->classes);
    }

    void corruptStreamsAreRejected()
    {
        const auto w = toDoubles(studentTWeights(1000, 4.0, 0.02, 1));
        const EncodedTensor e = encodeOk(w, fixedK(225, 0.1, 3));
        auto packed = e.packed();
        std::vector<double> out(w.size());
        QVERIFY(!HyperCodec::decodePacked(e, packed.data(), packed.size() - 1, out.data()));
        // 10-bit indices reach 1023 but the codebook has 226 * 4 = 904 entries.
        EncodedTensor h = e;
        h.bits = 10;
        std::vector<std::uint32_t> bad(e.pairCount(), 1023);
        const auto badPacked = BitPacker::pack(bad.data(), bad.size(), 10);
        const Status s = HyperCodec::decodePacked(h, badPacked.data(), badPacked.size(), out.data());
        QVERIFY(!s);
        QVERIFY(QString::fromStdString(s.error()).contains(QStringLiteral("outside the codebook")));
    }

    void paperSettingGivesTenBitIndices()
    {
        // ALGORITHM.md §2: U = 225, K = 3 -> largest index 903 -> b = 10, 5 bits per weight.
        const auto w = toDoubles(studentTWeights(100000, 4.0, 0.02, 2));
        const EncodedTensor e = encodeOk(w, fixedK(225, 0.1, 3));
        QCOMPARE(e.bits, 10);
        QCOMPARE(e.packedBytes(), std::uint64_t(50000 * 10 / 8));
        const auto hist = e.classHistogram();
        QCOMPARE(int(hist.size()), 4);
        std::uint64_t total = 0;
        for (auto c : hist)
            total += c;
        QCOMPARE(total, e.pairCount());
        QVERIFY(hist[3] > 0);
    }
};

QTEST_GUILESS_MAIN(TestHyperCodec)
#include "tst_hypercodec.moc"
