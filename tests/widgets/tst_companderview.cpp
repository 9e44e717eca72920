#include "core/codec/densitymode.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/util/syntheticweights.h"
#include "widgets/companderview.h"

#include <QAreaSeries>
#include <QChartView>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace hc;

class TestCompanderView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void curveIsMonotoneOverTheRange()
    {
        auto w = std::make_shared<const std::vector<float>>(studentTWeights(20001, 4.0, 0.02, 5));
        const TensorView view{w->data(), DType::F32, w->size()};
        CompanderView v;
        v.resize(1200, 560);
        QSignalSpy done(&v, &CompanderView::finished);
        v.setTensor(w, view, 5, QStringLiteral("t.weight"));
        QVERIFY(v.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isBusy(), 30000);
        QCOMPARE(done.count(), 1);
        QVERIFY(v.data());

        const double lo = *std::min_element(w->begin(), w->end());
        const double hi = *std::max_element(w->begin(), w->end());
        const QList<QPointF> curve = v.curveSeries()->points();
        QVERIFY(curve.size() >= 4);
        QCOMPARE(curve.first().x(), lo);
        QCOMPARE(curve.first().y(), 0.0);
        QCOMPARE(curve.last().x(), hi);
        QCOMPARE(curve.last().y(), 1.0);
        for (qsizetype i = 1; i < curve.size(); ++i) {
            QVERIFY(curve[i].x() > curve[i - 1].x());
            QVERIFY(curve[i].y() > curve[i - 1].y());
        }
        // It is the density mode's own G.
        DensityMode::Options o;
        o.bitsPerWeight = 5;
        auto e = DensityMode::encode(view, {std::int64_t(view.numel)}, o);
        QVERIFY(e.ok());
        auto g = DensityMode::compander(*e);
        QVERIFY(g.ok());
        QCOMPARE(curve.size(), qsizetype(g->breakpoints().size()));
        QCOMPARE(g->forward(lo), 0.0);
        QCOMPARE(g->forward(hi), 1.0);
        // Histogram: step-shaped over [min, max], shares summing to 1.
        const QList<QPointF> hist = v.histogramSeries()->upperSeries()->points();
        QCOMPARE(hist.size(), 2 * CompanderView::kHistogramBins);
        double sum = 0;
        for (qsizetype i = 0; i < hist.size(); i += 2)
            sum += hist[i].y();
        QVERIFY(std::fabs(sum - 1.0) < 1e-9);
        QCOMPARE(hist.first().x(), lo);
        QVERIFY(std::fabs(hist.last().x() - hi) < 1e-12);

        // u-space: 10000 pairs shown as 4000 (stride 3 → 3334), the 32 × 32 lattice in full.
        const std::size_t pairs = w->size() / 2;
        const std::size_t stride = (pairs + CompanderView::kMaxPairsShown - 1) / CompanderView::kMaxPairsShown;
        QCOMPARE(v.shownPairs().size(), qsizetype((pairs + stride - 1) / stride));
        QCOMPARE(v.shownLattice().size(), qsizetype(32 * 32));
        QVERIFY(v.noteText().contains(QStringLiteral("Showing")));
        for (const QPointF &p : v.shownPairs())
            QVERIFY(p.x() >= 0 && p.x() <= 1 && p.y() >= 0 && p.y() <= 1);
        QCOMPARE(v.shownPairs()[1], QPointF(g->forward((*w)[2 * stride]), g->forward((*w)[2 * stride + 1])));

        // Readouts: the density mode beats the paper mode at the same bits on heavy tails.
        QVERIFY(v.data()->paperOk);
        QCOMPARE(v.data()->paper.samples, 255);
        QVERIFY(v.data()->density.relFro < v.data()->paperMetrics.relFro);
        QVERIFY(v.readoutLabel()->text().contains(QStringLiteral("Paper mode")));

        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QTest::qWait(50);
        QDir().mkpath(QStringLiteral(HC_BINARY_DIR "/screenshots"));
        QVERIFY(v.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/companderview.png")));

        // Fewer bits: a smaller lattice, recomputed in the background.
        v.bitsSpinBox()->setValue(3);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isBusy() && v.data()->bitsPerWeight == 3, 30000);
        QCOMPARE(v.shownLattice().size(), qsizetype(8 * 8));
        QCOMPARE(v.data()->paper.samples, 15);
    }

    void bigLatticeIsThinned()
    {
        auto w = std::make_shared<const std::vector<float>>(gaussianWeights(3000, 0.05, 8));
        CompanderView v;
        v.setTensor(w, {w->data(), DType::F32, w->size()}, 8);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isBusy(), 30000);
        QVERIFY(v.data());
        QCOMPARE(v.data()->latticeCount, std::uint64_t(256 * 256));
        QCOMPARE(v.shownLattice().size(), qsizetype(CompanderView::kMaxLatticeShown));
        QCOMPARE(v.shownPairs().size(), qsizetype(1500)); // every pair when there are few
    }

    void fromAModelAndNewerRequestsWin()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.safetensors"));
        {
            SafetensorsWriter writer(path.toStdString());
            const auto a = studentTWeights(40000, 3.0, 0.02, 1), b = gaussianWeights(5000, 0.1, 2);
            std::vector<std::int32_t> ints(4, 7);
            QVERIFY(writer.declareTensor("a", "F32", {200, 200}, a.size() * 4).ok());
            QVERIFY(writer.declareTensor("b", "F32", {5000}, b.size() * 4).ok());
            QVERIFY(writer.declareTensor("ids", "I32", {4}, 16).ok());
            QVERIFY(writer.writeTensor(0, a.data(), a.size() * 4).ok());
            QVERIFY(writer.writeTensor(1, b.data(), b.size() * 4).ok());
            QVERIFY(writer.writeTensor(2, ints.data(), 16).ok());
            QVERIFY(writer.commit().ok());
        }
        auto src = SafetensorsSource::open(path.toStdString());
        QVERIFY(src.ok());
        std::shared_ptr<const ModelSource> source(std::move(src).value());
        CompanderView v;
        QSignalSpy done(&v, &CompanderView::finished);
        v.setLayer(source, 0, 6);
        v.setLayer(source, 1, 4); // replaces the running job
        QTRY_VERIFY_WITH_TIMEOUT(!v.isBusy(), 30000);
        QCOMPARE(done.count(), 1);
        QCOMPARE(v.data()->name, QStringLiteral("b"));
        QCOMPARE(v.data()->numel, std::uint64_t(5000));
        QCOMPARE(v.shownLattice().size(), qsizetype(16 * 16));

        // An integer tensor: one sentence, nothing shown.
        QSignalSpy failed(&v, &CompanderView::failed);
        v.setLayer(source, 2, 5);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isBusy(), 30000);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed[0][0].toString().contains(QStringLiteral("ids")));
        QVERIFY(!v.data());
        QVERIFY(v.shownPairs().isEmpty());
        QVERIFY(v.readoutLabel()->text().contains(QStringLiteral("cannot")));
    }

    void retranslates()
    {
        CompanderView v;
        v.bitsSpinBox()->setToolTip(QString());
        QEvent e(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&v, &e);
        QVERIFY(!v.bitsSpinBox()->toolTip().isEmpty());
    }
};

QTEST_MAIN(TestCompanderView)
#include "tst_companderview.moc"
