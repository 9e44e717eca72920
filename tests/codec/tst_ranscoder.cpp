#include "core/codec/bitpacker.h"
#include "core/codec/ranscoder.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace hc;

namespace {

std::vector<std::uint32_t> uniformStream(std::size_t n, std::uint32_t alphabet, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::uint32_t> d(0, alphabet - 1);
    std::vector<std::uint32_t> s(n);
    for (auto &v : s)
        v = d(rng);
    return s;
}

// Roughly what codec indices look like: a peaked, long-tailed distribution.
std::vector<std::uint32_t> skewedStream(std::size_t n, std::uint32_t alphabet, unsigned seed)
{
    std::mt19937 rng(seed);
    std::geometric_distribution<std::uint32_t> d(0.05);
    std::vector<std::uint32_t> s(n);
    for (auto &v : s)
        v = std::min(d(rng), alphabet - 1);
    return s;
}

void roundTrip(const std::vector<std::uint32_t> &s, std::uint32_t alphabet, const RansCoder::Options &o = {},
               int threads = 0)
{
    const auto blob = RansCoder::encode(s.data(), s.size(), alphabet, o);
    std::vector<std::uint32_t> back(s.size() + 1, 0xdeadbeef);
    const Status st = RansCoder::decode(blob, s.size(), back.data(), threads);
    QVERIFY2(st.ok(), st.error().c_str());
    for (std::size_t i = 0; i < s.size(); ++i)
        if (back[i] != s[i])
            QFAIL(qPrintable(QStringLiteral("symbol %1 differs").arg(i)));
    QCOMPARE(back[s.size()], 0xdeadbeefu); // nothing written past the end
}

} // namespace

class TestRansCoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrips_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("alphabet");
        QTest::newRow("skewed, 904 symbols (paper U=225 K=3)") << "skewed" << 300001 << 904;
        QTest::newRow("uniform, 1000 symbols") << "uniform" << 100000 << 1000;
        QTest::newRow("uniform, 2 symbols") << "uniform" << 77777 << 2;
        QTest::newRow("skewed, block boundary + 3") << "skewed" << (1 << 15) + 3 << 256;
        QTest::newRow("skewed, 1..7 symbols") << "skewed" << 7 << 300;
        QTest::newRow("single symbol") << "single" << 50000 << 5000;
        QTest::newRow("empty") << "skewed" << 0 << 10;
        QTest::newRow("huge alphabet, uniform") << "uniform" << 60000 << (1 << 30);
        QTest::newRow("huge alphabet, skewed") << "skewed" << 60000 << (1 << 30);
    }
    void roundTrips()
    {
        QFETCH(QString, kind);
        QFETCH(int, count);
        QFETCH(int, alphabet);
        std::vector<std::uint32_t> s;
        if (kind == QStringLiteral("uniform"))
            s = uniformStream(std::size_t(count), std::uint32_t(alphabet), 1);
        else if (kind == QStringLiteral("single"))
            s.assign(std::size_t(count), std::uint32_t(alphabet - 7));
        else
            s = skewedStream(std::size_t(count), std::uint32_t(alphabet), 2);
        roundTrip(s, std::uint32_t(alphabet));
        roundTrip(s, std::uint32_t(alphabet), {}, 1);
    }

    void smallBlocksAndFixedPrecision()
    {
        const auto s = skewedStream(10007, 500, 3);
        for (int p : {9, 12, 16}) {
            RansCoder::Options o;
            o.blockSize = 64;
            o.precision = p;
            o.allowPacked = false;
            const auto blob = RansCoder::encode(s.data(), s.size(), 500, o);
            auto info = RansCoder::inspect(blob.data(), blob.size());
            QVERIFY(info.ok());
            QCOMPARE(int(info->method), int(RansCoder::Method::Rans));
            QCOMPARE(info->precision, p);
            QCOMPARE(info->blocks, std::size_t((10007 + 63) / 64));
            roundTrip(s, 500, o, 2);
        }
    }

    void methodsChosenBySize()
    {
        // A uniform stream over a power-of-two alphabet cannot beat fixed width: packed inside the blob.
        const auto u = uniformStream(100000, 256, 4);
        const auto blob = RansCoder::encode(u.data(), u.size(), 256);
        QCOMPARE(int(RansCoder::inspect(blob.data(), blob.size())->method), int(RansCoder::Method::Packed));
        QVERIFY(blob.size() <= RansCoder::fixedWidthBytes(u.size(), 256) + 8);
        QVERIFY(!RansCoder::prefersEntropy(blob.size(), u.size(), 256));
        // Skewed: rANS, and close to the order-0 entropy (the target: >= 80 % of the gain).
        const auto s = skewedStream(200000, 1024, 5);
        const auto b2 = RansCoder::encode(s.data(), s.size(), 1024);
        QCOMPARE(int(RansCoder::inspect(b2.data(), b2.size())->method), int(RansCoder::Method::Rans));
        const double fixed = 8.0 * double(RansCoder::fixedWidthBytes(s.size(), 1024));
        const double h0 = RansCoder::order0EntropyBits(s.data(), s.size());
        const double got = 8.0 * double(b2.size());
        QVERIFY(RansCoder::prefersEntropy(b2.size(), s.size(), 1024));
        QVERIFY2((fixed - got) / (fixed - h0) >= 0.98, qPrintable(QString::number((fixed - got) / (fixed - h0))));
        QVERIFY(got >= h0); // no coder beats the entropy of its own model
        // One symbol: no payload at all.
        std::vector<std::uint32_t> one(100000, 3);
        QVERIFY(RansCoder::encode(one.data(), one.size(), 4).size() < 12);
    }

    void order0Entropy()
    {
        const std::vector<std::uint32_t> s{0, 0, 1, 1};
        QCOMPARE(RansCoder::order0EntropyBits(s.data(), s.size()), 4.0);
        const std::vector<std::uint32_t> c{7, 7, 7};
        QCOMPARE(RansCoder::order0EntropyBits(c.data(), c.size()), 0.0);
        const std::vector<std::uint32_t> q{0, 1, 2, 3, 0, 1, 2, 3};
        QCOMPARE(RansCoder::order0EntropyBits(q.data(), q.size()), 16.0);
        QCOMPARE(RansCoder::order0EntropyBits(nullptr, 0), 0.0);
    }

    void everyTruncationIsRejected()
    {
        const auto s = skewedStream(3000, 300, 6);
        RansCoder::Options o;
        o.blockSize = 512;
        o.allowPacked = false;
        const auto blob = RansCoder::encode(s.data(), s.size(), 300, o);
        std::vector<std::uint32_t> out(s.size());
        for (std::size_t len = 0; len < blob.size(); ++len) {
            std::vector<std::uint8_t> cut(blob.begin(), blob.begin() + std::ptrdiff_t(len)); // exact size: no slack
            QVERIFY2(!RansCoder::decode(cut, s.size(), out.data()).ok(), qPrintable(QString::number(len)));
        }
        auto longer = blob;
        longer.push_back(0);
        const Status st = RansCoder::decode(longer, s.size(), out.data());
        QVERIFY(!st.ok());
        QVERIFY(!RansCoder::decode(blob, s.size() + 1, out.data()).ok()); // wrong count
        QVERIFY(!RansCoder::decode(blob, s.size() - 1, out.data()).ok());
    }

    void corruptHeadersAreRejected()
    {
        const auto s = skewedStream(5000, 300, 7);
        const auto blob = RansCoder::encode(s.data(), s.size(), 300);
        std::vector<std::uint32_t> out(s.size());
        auto bad = blob;
        bad[0] = 9; // method
        QVERIFY(!RansCoder::decode(bad, s.size(), out.data()).ok());
        // Precision is the byte after method, count and alphabet varints (1 + 2 + 2 bytes here).
        bad = blob;
        bad[5] = 20;
        Status st = RansCoder::decode(bad, s.size(), out.data());
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error()).contains(QStringLiteral("precision")), st.error().c_str());
        // A packed blob whose width disagrees with its alphabet.
        const auto u = uniformStream(1000, 256, 8);
        auto packed = RansCoder::encode(u.data(), u.size(), 256);
        packed[5] = 7;
        QVERIFY(!RansCoder::decode(packed, u.size(), out.data()).ok());
        // A packed blob for a non-power-of-two alphabet holding a value outside it.
        std::vector<std::uint32_t> three(999, 2);
        three[0] = 0;
        three[1] = 1;
        RansCoder::Options o;
        o.precision = 8;
        auto p3 = RansCoder::encode(three.data(), three.size(), 3);
        if (RansCoder::inspect(p3.data(), p3.size())->method == RansCoder::Method::Packed) {
            p3.back() = 0xff;
            QVERIFY(!RansCoder::decode(p3, three.size(), out.data()).ok());
        }
        QVERIFY(!RansCoder::decode(nullptr, 0, 0, out.data()).ok());
    }

    // Modelled streams (no stored table): exact round trips with one state (small) and four
    // (large, several blocks), deterministic tables, and corrupt blobs rejected without a crash.
    void modelledStreams()
    {
        for (std::size_t n : {std::size_t(1), std::size_t(3000), std::size_t(200000)}) {
            const auto s = skewedStream(n, 700, 11);
            std::vector<double> mass(700);
            for (std::size_t i = 0; i < mass.size(); ++i)
                mass[i] = 1.0 / double(1 + i); // not the stream's own law: any law must round-trip
            const auto f = RansCoder::normalizeFrequencies(mass, 12);
            QCOMPARE(f.size(), mass.size());
            std::uint64_t sum = 0;
            for (auto v : f) {
                QVERIFY(v >= 1);
                sum += v;
            }
            QCOMPARE(sum, std::uint64_t(4096));
            QVERIFY(RansCoder::normalizeFrequencies(mass, 12) == f);
            const auto blob = RansCoder::encodeModelled(s.data(), n, f, 12);
            auto r = RansCoder::Reader::openModelled(blob.data(), blob.size(), n, f, 12);
            QVERIFY2(r.ok(), r.error().c_str());
            std::vector<std::uint32_t> out(n);
            for (std::size_t b = 0; b < r->blockCount(); ++b)
                QVERIFY(r->decodeBlock(b, out.data() + b * r->blockSize()));
            QVERIFY(out == s);
            std::mt19937 rng(12);
            for (int t = 0; t < 200; ++t) {
                auto bad = blob;
                bad[rng() % bad.size()] ^= std::uint8_t(1 + rng() % 255);
                if (rng() % 4 == 0)
                    bad.resize(rng() % bad.size());
                auto rb = RansCoder::Reader::openModelled(bad.data(), bad.size(), n, f, 12);
                if (rb)
                    for (std::size_t b = 0; b < rb->blockCount(); ++b)
                        (void)rb->decodeBlock(b, out.data() + b * rb->blockSize());
            }
        }
        // Too many symbols for the precision, or no mass: no table.
        QVERIFY(RansCoder::normalizeFrequencies(std::vector<double>(3000, 1.0), 12).empty());
        QVERIFY(RansCoder::normalizeFrequencies(std::vector<double>(10, 0.0), 12).empty());
    }

    void randomCorruptionNeverCrashes()
    {
        const auto s = skewedStream(20000, 700, 9);
        const auto blob = RansCoder::encode(s.data(), s.size(), 700);
        std::vector<std::uint32_t> out(s.size());
        std::mt19937 rng(10);
        int rejected = 0, trials = 400;
        for (int t = 0; t < trials; ++t) {
            auto bad = blob;
            const std::size_t at = rng() % bad.size();
            bad[at] ^= std::uint8_t(1u << (rng() % 8));
            rejected += RansCoder::decode(bad, s.size(), out.data(), 2).ok() ? 0 : 1;
        }
        // The final-state check catches nearly every flip (the archive's checksums catch the rest).
        QVERIFY2(rejected >= trials * 9 / 10, qPrintable(QString::number(rejected)));
    }
};

QTEST_MAIN(TestRansCoder)
#include "tst_ranscoder.moc"
