#include "core/tensor/halffloat.h"
#include "core/tensor/tensorview.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace hc;

class TestHalfFloat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyHalfRoundTrips()
    {
        for (std::uint32_t h = 0; h < 0x10000u; ++h) {
            const float f = halfToFloat(std::uint16_t(h));
            if (std::isnan(f))
                QVERIFY(std::isnan(halfToFloat(floatToHalf(f))));
            else
                QCOMPARE(floatToHalf(f), std::uint16_t(h));
        }
    }
    void knownValues_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("half");
        QTest::newRow("one") << 1.0f << 0x3c00;
        QTest::newRow("minus two") << -2.0f << 0xc000;
        QTest::newRow("largest") << 65504.0f << 0x7bff;
        QTest::newRow("overflow") << 65520.0f << 0x7c00;
        QTest::newRow("smallest subnormal") << std::ldexp(1.0f, -24) << 0x0001;
        QTest::newRow("half of smallest subnormal rounds to even zero") << std::ldexp(1.0f, -25) << 0x0000;
        QTest::newRow("ties to even (1 + 2^-11)") << (1.0f + std::ldexp(1.0f, -11)) << 0x3c00;
        QTest::newRow("ties to even (1 + 3*2^-11)") << (1.0f + 3 * std::ldexp(1.0f, -11)) << 0x3c02;
        QTest::newRow("infinity") << std::numeric_limits<float>::infinity() << 0x7c00;
    }
    void knownValues()
    {
        QFETCH(float, value);
        QFETCH(int, half);
        QCOMPARE(int(floatToHalf(value)), half);
    }
    void bfloat16()
    {
        QCOMPARE(int(floatToBf16(1.0f)), 0x3f80);
        QCOMPARE(bf16ToFloat(0x3f80), 1.0f);
        QCOMPARE(int(floatToBf16(1.0f + std::ldexp(1.0f, -8))), 0x3f80); // tie to even
        QCOMPARE(int(floatToBf16(1.0f + 3 * std::ldexp(1.0f, -8))), 0x3f82);
        QVERIFY(std::isnan(bf16ToFloat(floatToBf16(std::numeric_limits<float>::quiet_NaN()))));
        for (std::uint32_t b = 0; b < 0x10000u; b += 7) {
            const float f = bf16ToFloat(std::uint16_t(b));
            if (!std::isnan(f))
                QCOMPARE(int(floatToBf16(f)), int(b));
        }
    }
    void viewConversions()
    {
        const double values[] = {0.5, -1.25, 3.0};
        std::uint16_t halves[3];
        fromDouble(values, 3, DType::F16, halves);
        double back[3];
        toDouble({halves, DType::F16, 3}, 0, 3, back);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(back[i], values[i]);
        QCOMPARE(dtypeFromName("BF16"), DType::BF16);
        QCOMPARE(dtypeFromName("F8_E4M3"), DType::F8E4M3);
        QCOMPARE(dtypeFromName("Q4"), DType::Unknown);
        QCOMPARE(dtypeSize(DType::I64), std::size_t(8));
    }
};

QTEST_GUILESS_MAIN(TestHalfFloat)
#include "tst_halffloat.moc"
