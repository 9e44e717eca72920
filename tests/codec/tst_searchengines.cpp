#include "core/codec/kdtreesearch.h"
#include "core/codec/latticesearch.h"
#include "core/codec/trajectorycodebook.h"

#include <QtTest>

#include <random>

using namespace hc;

namespace {
// The reference answer: every sample checked, lowest index on ties.
std::uint32_t bruteForce(const TrajectoryCodebook &cb, double qx, double qy)
{
    std::uint32_t best = 0;
    double bestD = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < cb.size(); ++j) {
        const double dx = qx - cb.x(j), dy = qy - cb.y(j);
        const double d = dx * dx + dy * dy;
        if (d < bestD) {
            bestD = d;
            best = std::uint32_t(j);
        }
    }
    return best;
}
} // namespace

class TestSearchEngines : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void enginesAgreeIndexForIndex_data()
    {
        QTest::addColumn<int>("U");
        QTest::addColumn<double>("l");
        QTest::addColumn<double>("cx");
        QTest::addColumn<double>("cy");
        for (int U : {1, 2, 3, 4, 5, 10, 64, 100, 200, 225, 226, 1000, 1600}) {
            QTest::addRow("U=%d l=0.1", U) << U << 0.1 << 0.0012 << -0.0007;
            QTest::addRow("U=%d l=1 off-centre", U) << U << 1.0 << 3.5 << -2.25;
        }
        QTest::newRow("U=900 l=0.8 (MobileNet setting)") << 900 << 0.8 << 0.01 << 0.02;
    }
    void enginesAgreeIndexForIndex()
    {
        QFETCH(int, U);
        QFETCH(double, l);
        QFETCH(double, cx);
        QFETCH(double, cy);
        const TrajectoryCodebook cb(cx, cy, l, U);
        const LatticeSearch lattice(cb);
        const KdTreeSearch tree(cb);
        std::mt19937_64 rng(U);
        std::uniform_real_distribution<double> inBox(-l / 2, l / 2);
        std::student_t_distribution<double> heavy(2.0);
        auto check = [&](double qx, double qy) {
            const std::uint32_t a = lattice.nearest(qx, qy);
            const std::uint32_t b = tree.nearest(qx, qy);
            const std::uint32_t c = bruteForce(cb, qx, qy);
            if (a != c || b != c)
                QFAIL(qPrintable(QStringLiteral("query (%1, %2): lattice %3, kd-tree %4, brute force %5")
                                     .arg(qx, 0, 'g', 17).arg(qy, 0, 'g', 17).arg(a).arg(b).arg(c)));
        };
        for (int i = 0; i < 20000; ++i)
            check(cx + inBox(rng), cy + inBox(rng));
        for (int i = 0; i < 5000; ++i) // heavy-tailed, mostly outside the box
            check(cx + heavy(rng) * l / 4, cy + heavy(rng) * l / 4);
        // Exactly on samples, and half-way between pairs of samples (ties go to the lower index).
        for (std::size_t j = 0; j < cb.size(); ++j) {
            check(cb.x(j), cb.y(j));
            const std::size_t k = (j * 7 + 1) % cb.size();
            check((cb.x(j) + cb.x(k)) / 2, (cb.y(j) + cb.y(k)) / 2);
        }
        // The box's corners and edges.
        for (double fx : {-0.5, 0.0, 0.5})
            for (double fy : {-0.5, 0.0, 0.5})
                check(cx + fx * l, cy + fy * l);
    }

    void customDirectionIsSearchedToo()
    {
        // An irrational direction: the codebook is no lattice, both engines must still agree.
        const auto cb = TrajectoryCodebook::withDirection(0, 0, 1.0, 300, 1.0, std::sqrt(2.0));
        QVERIFY(!cb.isPaperLattice());
        const LatticeSearch lattice(cb);
        const KdTreeSearch tree(cb);
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(-0.5, 0.5);
        for (int i = 0; i < 5000; ++i) {
            const double x = u(rng), y = u(rng);
            QCOMPARE(lattice.nearest(x, y), bruteForce(cb, x, y));
            QCOMPARE(tree.nearest(x, y), bruteForce(cb, x, y));
        }
    }
};

QTEST_GUILESS_MAIN(TestSearchEngines)
#include "tst_searchengines.moc"
