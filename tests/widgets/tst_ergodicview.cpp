#include "core/codec/hypercodec.h"
#include "core/codec/trajectorycodebook.h"
#include "widgets/ergodiccanvas.h"
#include "widgets/ergodicview.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QtTest>

#include <cmath>
#include <random>

using namespace hc;

namespace {

// Segments that repeat an earlier one (both ends within tol): a closed trajectory retraces itself.
int repeatedSegments(const std::vector<QLineF> &segs, double tol)
{
    int repeats = 0;
    for (std::size_t i = 1; i < segs.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (QLineF(segs[i].p1(), segs[j].p1()).length() < tol && QLineF(segs[i].p2(), segs[j].p2()).length() < tol) {
                ++repeats;
                break;
            }
        }
    }
    return repeats;
}

double totalLength(const std::vector<QLineF> &segs)
{
    double sum = 0;
    for (const QLineF &l : segs)
        sum += l.length();
    return sum;
}

// Pairs symmetric about the origin, each followed by its mirror: the centroid sums to exactly 0
// whatever is appended as another mirrored couple, so an encode with an extra pair keeps c and D.
std::vector<double> symmetricPairs(int couples, double sigma, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> n(0.0, sigma);
    std::vector<double> xy;
    for (int i = 0; i < couples; ++i) {
        const double a = double(float(n(rng))), b = double(float(n(rng)));
        xy.insert(xy.end(), {a, b, -a, -b});
    }
    // Two outliers far out, which set D and make the outer classes matter.
    const double fx = double(0.2f), fy = double(0.1f);
    xy.insert(xy.end(), {fx, fy, -fx, -fy});
    return xy;
}

std::vector<float> toFloats(const std::vector<double> &xy)
{
    return std::vector<float>(xy.begin(), xy.end());
}

QString num(double v) { return QString::number(v, 'g', 6); }

} // namespace

class TestErgodicView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsShowThePapersCodebook()
    {
        ErgodicView v;
        QCOMPARE(v.samples(), 225);
        QCOMPARE(v.box(), 0.1);
        QCOMPARE(v.direction(), ErgodicView::Direction::Paper);
        QCOMPARE(v.theta(), 225.0);
        QCOMPARE(v.visibleSamples(), std::size_t(225));
        const TrajectoryCodebook reference(0, 0, 0.1, 225);
        QCOMPARE(v.codebook().stepX(), reference.stepX());
        QCOMPARE(v.codebook().stepY(), reference.stepY());
        QVERIFY(v.codebook().isPaperLattice());
        // Every trajectory piece stays in the box.
        for (const QLineF &l : v.trajectorySegments())
            for (const QPointF &p : {l.p1(), l.p2()})
                QVERIFY(std::fabs(p.x()) <= 0.05 + 1e-12 && std::fabs(p.y()) <= 0.05 + 1e-12);
        QVERIFY(!v.selection().valid);
    }

    void switchingDirectionsChangesTheTrajectory()
    {
        ErgodicView v;
        v.setTheta(100);
        const auto paper = v.trajectorySegments();
        QVERIFY(!paper.empty());
        auto combo = v.findChild<QComboBox *>(QStringLiteral("directionCombo"));
        QVERIFY(combo);
        combo->setCurrentIndex(int(ErgodicView::Direction::Irrational));
        QCOMPARE(v.direction(), ErgodicView::Direction::Irrational);
        const auto irrational = v.trajectorySegments();
        QVERIFY(!v.codebook().isPaperLattice());
        QVERIFY(std::fabs(v.codebook().stepY() / v.codebook().stepX() - std::sqrt(2.0)) < 1e-12);
        QVERIFY(irrational.size() != paper.size() || irrational[1] != paper[1]);
        v.setDirection(ErgodicView::Direction::Rational);
        QVERIFY(std::fabs(v.codebook().stepY() / v.codebook().stepX() - 2.0) < 1e-12);
        const auto rational = v.trajectorySegments();
        QVERIFY(rational.size() != irrational.size() || rational[1] != irrational[1]);
        v.setCustomDirection(3, 1);
        QCOMPARE(v.direction(), ErgodicView::Direction::Custom);
        QCOMPARE(combo->currentIndex(), int(ErgodicView::Direction::Custom));
        QVERIFY(std::fabs(v.codebook().stepX() / v.codebook().stepY() - 3.0) < 1e-12);
        // Same arc length whatever the direction: the paper's step per unit of θ.
        QVERIFY(std::fabs(totalLength(v.trajectorySegments()) - totalLength(paper)) < 1e-9);
    }

    void rationalClosesIrrationalDoesNot()
    {
        ErgodicView v;
        const double tol = 1e-9 * v.box();
        v.setDirection(ErgodicView::Direction::Rational);
        v.setTheta(v.samples());
        const auto rational = v.trajectorySegments();
        const int rationalRepeats = repeatedSegments(rational, tol);
        // 1 : 2 closes after two pieces; everything after retraces them.
        QVERIFY2(rationalRepeats >= int(rational.size()) - 3,
                 qPrintable(QStringLiteral("%1 of %2 repeat").arg(rationalRepeats).arg(rational.size())));
        const double rationalGap = v.coveringRadius();

        v.setDirection(ErgodicView::Direction::Irrational);
        const auto irrational = v.trajectorySegments();
        QVERIFY(irrational.size() > 10);
        QCOMPARE(repeatedSegments(irrational, tol), 0);
        const double irrationalGap = v.coveringRadius();
        QVERIFY(v.findChild<QLabel *>(QStringLiteral("coverage"))->text().contains(num(irrationalGap)));

        v.setDirection(ErgodicView::Direction::Paper);
        const double paperGap = v.coveringRadius();
        qInfo("largest gap: rational %.5f, irrational %.5f, paper %.5f (l = 0.1)", rationalGap, irrationalGap, paperGap);
        QVERIFY(rationalGap > 2 * irrationalGap);
        QVERIFY(rationalGap > 2 * paperGap);
    }

    void thetaSliderSetsTheDrawnLength()
    {
        ErgodicView v;
        auto slider = v.findChild<QSlider *>(QStringLiteral("thetaSlider"));
        QVERIFY(slider);
        const double speed = std::hypot(v.codebook().stepX(), v.codebook().stepY());
        slider->setValue(slider->maximum() / 4);
        QCOMPARE(v.theta(), 225.0 / 4);
        QVERIFY(std::fabs(totalLength(v.trajectorySegments()) - v.theta() * speed) < 1e-12);
        QCOMPARE(v.visibleSamples(), std::size_t(57));
        slider->setValue(slider->maximum());
        QVERIFY(std::fabs(totalLength(v.trajectorySegments()) - 225 * speed) < 1e-12);
        QCOMPARE(v.visibleSamples(), std::size_t(225));
        slider->setValue(0);
        QVERIFY(v.trajectorySegments().empty());
        QCOMPARE(v.visibleSamples(), std::size_t(1));
        v.setTheta(10.5);
        QCOMPARE(slider->value(), int(std::lround(10.5 / 225 * slider->maximum())));
        v.setTheta(1e9); // clamped to U
        QCOMPARE(v.theta(), 225.0);
    }

    void playAnimatesWithoutBlocking()
    {
        ErgodicView v;
        v.play(); // at θ = U it starts again from 0
        QVERIFY(v.isPlaying());
        QCOMPARE(v.theta(), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(v.theta() > 5, 3000);
        v.pause();
        QVERIFY(!v.isPlaying());
        const double stopped = v.theta();
        QTest::qWait(100);
        QCOMPARE(v.theta(), stopped);
        auto play = v.findChild<QPushButton *>(QStringLiteral("playButton"));
        QVERIFY(play);
        play->click();
        QVERIFY(v.isPlaying());
        play->click();
        QVERIFY(!v.isPlaying());
    }

    void chosenPairMatchesHyperCodec()
    {
        const std::vector<double> xy = symmetricPairs(300, 0.04, 7);
        const std::vector<float> w = toFloats(xy);
        ErgodicView v;
        v.setPairs(xy);
        QCOMPARE(v.pairCount(), xy.size() / 2);

        CodecParams params;
        params.autoClasses = false; // the view's K is fixed (3 by default)
        const TensorView view{w.data(), DType::F32, w.size()};
        auto e = HyperCodec::encode(view, {std::int64_t(w.size())}, params);
        QVERIFY2(e.ok(), e.error().c_str());
        QCOMPARE(v.centre().x(), e->centreX);
        QCOMPARE(v.centre().y(), e->centreY);
        QCOMPARE(v.farthest(), e->farthest);
        QCOMPARE(v.effectiveClasses(), e->classes);

        auto readout = v.findChild<QLabel *>(QStringLiteral("readout"));
        QVERIFY(readout);
        int outer = 0;
        for (std::size_t i = 0; i < v.pairCount(); ++i) {
            v.selectPair(int(i));
            const auto &s = v.selection();
            QVERIFY(s.valid && s.isPair);
            QCOMPARE(s.index, e->indices[i]);
            double dx, dy;
            HyperCodec::decodeIndex(*e, s.index, dx, dy);
            QCOMPARE(s.decodedX, dx);
            QCOMPARE(s.decodedY, dy);
            outer += s.classIndex > 0 ? 1 : 0;
            if (i % 50 == 0 || s.classIndex > 0) {
                QVERIFY(readout->text().contains(num(dx)));
                QVERIFY(readout->text().contains(num(dy)));
                QVERIFY(readout->text().contains(QStringLiteral("<b>%1</b>").arg(s.index)));
            }
        }
        QVERIFY(outer > 10); // the comparison covered the outer classes too

        // Driven by the codec's own header (K chosen automatically), with the random button.
        params.autoClasses = true;
        auto autoK = HyperCodec::encode(view, {std::int64_t(w.size())}, params);
        QVERIFY(autoK.ok());
        v.setCodec(*autoK);
        QCOMPARE(v.effectiveClasses(), autoK->classes);
        auto random = v.findChild<QPushButton *>(QStringLiteral("randomButton"));
        QVERIFY(random);
        for (int t = 0; t < 20; ++t) {
            random->click();
            const auto &s = v.selection();
            QVERIFY(s.valid && s.isPair);
            QCOMPARE(s.index, autoK->indices[std::size_t(s.pairIndex)]);
        }
    }

    void clickedPointMatchesHyperCodec()
    {
        const std::vector<double> xy = symmetricPairs(200, 0.03, 11);
        ErgodicView v;
        v.resize(1100, 760);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setPairs(xy);
        QCOMPARE(v.centre(), QPointF(0, 0));
        ErgodicCanvas *canvas = v.canvas();

        // One click inside the box, one just outside it (an outer class).
        for (const QPointF target : {QPointF(0.031, -0.017), QPointF(0.057, 0.012)}) {
            v.clearSelection();
            const QPoint pixel = canvas->toPixel(target).toPoint();
            QTest::mouseClick(canvas, Qt::LeftButton, {}, pixel);
            const auto s = v.selection();
            QVERIFY(s.valid && !s.isPair);
            QVERIFY(std::fabs(s.x - target.x()) < 0.001 && std::fabs(s.y - target.y()) < 0.001);

            // Encode the layer with the clicked point (and its mirror, so c and D stay put).
            std::vector<double> with = xy;
            with.insert(with.end(), {s.x, s.y, -s.x, -s.y});
            const std::size_t clicked = xy.size() / 2;
            CodecParams params;
            params.autoClasses = false;
            auto e = HyperCodec::encode({with.data(), DType::F64, with.size()}, {std::int64_t(with.size())}, params);
            QVERIFY2(e.ok(), e.error().c_str());
            QCOMPARE(e->centreX, 0.0);
            QCOMPARE(e->farthest, v.farthest());
            QCOMPARE(s.index, e->indices[clicked]);
            QCOMPARE(s.classIndex > 0, target.x() > 0.05);

            v.setCodec(*e); // same c, D and K; now decoding in F64
            QCOMPARE(v.selection().index, e->indices[clicked]);
            double dx, dy;
            HyperCodec::decodeIndex(*e, v.selection().index, dx, dy);
            QCOMPARE(v.selection().decodedX, dx);
            QCOMPARE(v.selection().decodedY, dy);
            QVERIFY(v.findChild<QLabel *>(QStringLiteral("readout"))->text().contains(num(dx)));
        }
    }

    void otherDirectionsUseTheirOwnSamples()
    {
        ErgodicView v;
        v.setDirection(ErgodicView::Direction::Irrational);
        v.selectPoint(0.013, -0.021);
        const auto &s = v.selection();
        QVERIFY(s.valid);
        // Brute force over the irrational codebook.
        const TrajectoryCodebook &cb = v.codebook();
        std::size_t best = 0;
        double bestD = 1e300;
        for (std::size_t j = 0; j < cb.size(); ++j) {
            const double d = std::hypot(cb.x(j) - 0.013, cb.y(j) + 0.021);
            if (d < bestD) {
                bestD = d;
                best = j;
            }
        }
        QCOMPARE(std::size_t(s.sample), best);
        QCOMPARE(s.decodedX, double(float(cb.x(best))));
    }

    void badInputIsIgnored()
    {
        ErgodicView v;
        v.setPairs({0.1, 0.2, 0.3}); // an odd count: the dangling value is dropped
        QCOMPARE(v.pairCount(), std::size_t(1));
        v.selectPair(5);
        QVERIFY(!v.selection().valid);
        v.selectPoint(std::nan(""), 0.0);
        QVERIFY(!v.selection().valid);
        v.setPairs({});
        QCOMPARE(v.pairCount(), std::size_t(0));
        v.setCodec(0, 0.1, 3, QPointF(0, 0), 0.2);
        v.setCodec(225, -1.0, 3, QPointF(0, 0), 0.2);
        v.setCodec(225, 0.1, 3, QPointF(std::nan(""), 0), 0.2);
        QCOMPARE(v.samples(), 225);
        QCOMPARE(v.box(), 0.1);
        QCOMPARE(v.centre(), QPointF(0.1, 0.2));
        v.setCustomDirection(0, 0); // no direction at all: the paper's codebook stands in
        QVERIFY(v.codebook().isPaperLattice());
        QVERIFY(!v.trajectorySegments().empty());
    }

    void rendersOffscreen()
    {
        ErgodicView v;
        v.resize(1180, 780);
        v.show(); // spin boxes fill in their text only once shown
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setPairs(symmetricPairs(1500, 0.035, 3));
        v.setTheta(140);
        v.selectPoint(0.0575, 0.021);
        const QImage img = v.grab().toImage();
        QVERIFY(!img.isNull());
        QCOMPARE(img.size(), QSize(1180, 780));
        const QString out = qEnvironmentVariable("HC_ERGODIC_SCREENSHOT");
        if (!out.isEmpty()) {
            QVERIFY(img.save(out));
            v.clearSelection();
            v.selectPair(17);
            v.setTheta(225);
            v.setDirection(ErgodicView::Direction::Rational);
            QVERIFY(v.grab().save(out + QStringLiteral("_rational.png")));
            v.setDirection(ErgodicView::Direction::Irrational);
            v.selectPoint(0.2, 0.1);
            QVERIFY(v.grab().save(out + QStringLiteral("_irrational.png")));
        }
        // The trajectory's blue is somewhere in the plot.
        bool blue = false;
        for (int y = 0; y < img.height() && !blue; y += 2)
            for (int x = 0; x < img.width() / 2 && !blue; x += 2) {
                const QColor c = img.pixelColor(x, y);
                blue = c.blue() > 150 && c.red() < 120 && c.green() > 90 && c.green() < 170;
            }
        QVERIFY(blue);
    }
};

QTEST_MAIN(TestErgodicView)
#include "tst_ergodicview.moc"
