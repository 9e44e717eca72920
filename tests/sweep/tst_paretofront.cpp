#include "core/sweep/paretofront.h"

#include <QtTest>

#include <algorithm>
#include <limits>
#include <random>

using namespace hc;

namespace {

SweepPoint point(double ratio, double relFro, double mae = 0)
{
    SweepPoint p;
    p.ratio = ratio;
    p.metrics.relFro = relFro;
    p.metrics.mae = mae;
    return p;
}

bool dominates(const SweepPoint &q, const SweepPoint &p, ErrorMeasure m)
{
    const double eq = ParetoFront::errorOf(q, m), ep = ParetoFront::errorOf(p, m);
    return q.ratio >= p.ratio && eq <= ep && (q.ratio > p.ratio || eq < ep);
}

} // namespace

class TestParetoFront : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handMadeSet()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const std::vector<SweepPoint> pts{
            point(2.0, 0.10),  // 0 on the front
            point(3.0, 0.20),  // 1 dominated by 2 (same ratio, more error)
            point(3.0, 0.15),  // 2 on the front
            point(4.0, 0.30),  // 3 on the front
            point(2.5, 0.30),  // 4 dominated by 2
            point(4.0, 0.30),  // 5 duplicate of 3: the first is kept
            point(5.0, nan),   // 6 no defined error
            point(1.0, 0.05),  // 7 on the front
            point(1.5, 0.10),  // 8 dominated by 0 (same error, lower ratio)
        };
        QCOMPARE(ParetoFront::compute(pts, ErrorMeasure::RelativeError), (std::vector<std::size_t>{7, 0, 2, 3}));
    }

    void measureChangesTheFront()
    {
        const std::vector<SweepPoint> pts{point(2, 0.1, 0.5), point(3, 0.2, 0.4), point(4, 0.3, 0.6)};
        QCOMPARE(ParetoFront::compute(pts, ErrorMeasure::RelativeError), (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(ParetoFront::compute(pts, ErrorMeasure::Mae), (std::vector<std::size_t>{1, 2}));
        QCOMPARE(ParetoFront::errorOf(pts[0], ErrorMeasure::Mae), 0.5);
    }

    void smallCases()
    {
        QVERIFY(ParetoFront::compute({}, ErrorMeasure::RelativeError).empty());
        QCOMPARE(ParetoFront::compute({point(3, 0.2)}, ErrorMeasure::RelativeError), std::vector<std::size_t>{0});
        // An exact (zero-error) point at the highest ratio dominates everything.
        QCOMPARE(ParetoFront::compute({point(3, 0.2), point(5, 0.0), point(4, 0.1)}, ErrorMeasure::RelativeError),
                 std::vector<std::size_t>{1});
    }

    // Against the definition, on random sets with many ties.
    void matchesBruteForce()
    {
        std::mt19937 rng(17);
        std::uniform_int_distribution<int> coarse(1, 12);
        for (int round = 0; round < 200; ++round) {
            std::vector<SweepPoint> pts;
            const int n = 1 + int(rng() % 40);
            for (int i = 0; i < n; ++i)
                pts.push_back(point(coarse(rng) * 0.5, coarse(rng) * 0.01, coarse(rng) * 0.001));
            for (ErrorMeasure m : {ErrorMeasure::RelativeError, ErrorMeasure::Mae}) {
                const auto front = ParetoFront::compute(pts, m);
                std::vector<std::size_t> expected;
                for (std::size_t i = 0; i < pts.size(); ++i) {
                    bool dominated = false, earlierTwin = false;
                    for (std::size_t j = 0; j < pts.size(); ++j) {
                        dominated = dominated || dominates(pts[j], pts[i], m);
                        earlierTwin = earlierTwin || (j < i && pts[j].ratio == pts[i].ratio &&
                                                      ParetoFront::errorOf(pts[j], m) == ParetoFront::errorOf(pts[i], m));
                    }
                    if (!dominated && !earlierTwin)
                        expected.push_back(i);
                }
                std::sort(expected.begin(), expected.end(),
                          [&](std::size_t a, std::size_t b) { return pts[a].ratio < pts[b].ratio; });
                QCOMPARE(front, expected);
                for (std::size_t k = 1; k < front.size(); ++k)
                    QVERIFY(ParetoFront::errorOf(pts[front[k]], m) > ParetoFront::errorOf(pts[front[k - 1]], m));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestParetoFront)
#include "tst_paretofront.moc"
