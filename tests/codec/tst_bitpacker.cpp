#include "core/codec/bitpacker.h"

#include <QtTest>

#include <random>

using namespace hc;

class TestBitPacker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void losslessForEveryWidth()
    {
        std::mt19937_64 rng(7);
        for (int width = 1; width <= 32; ++width) {
            for (std::size_t count : {std::size_t(1), std::size_t(7), std::size_t(8), std::size_t(1001)}) {
                const std::uint64_t mask = width == 32 ? 0xffffffffull : ((1ull << width) - 1);
                std::vector<std::uint32_t> values(count);
                for (auto &v : values)
                    v = std::uint32_t(rng() & mask);
                values[0] = std::uint32_t(mask); // the largest value of this width
                const auto packed = BitPacker::pack(values.data(), count, width);
                QCOMPARE(packed.size(), (count * std::size_t(width) + 7) / 8);
                std::vector<std::uint32_t> back(count);
                BitPacker::unpack(packed.data(), packed.size(), count, width, back.data());
                QVERIFY2(back == values, qPrintable(QStringLiteral("width %1 count %2").arg(width).arg(count)));
            }
        }
    }
    void layoutIsLeastSignificantBitFirst()
    {
        const std::uint32_t values[] = {1, 2, 3}; // 3 bits each: 001 010 011 -> 0b011'010'001
        const auto packed = BitPacker::pack(values, 3, 3);
        QCOMPARE(packed.size(), std::size_t(2));
        QCOMPARE(int(packed[0]), 0b11010001);
        QCOMPARE(int(packed[1]), 0b0);
    }
    void bitLength()
    {
        QCOMPARE(BitPacker::bitLength(0), 1);
        QCOMPARE(BitPacker::bitLength(1), 1);
        QCOMPARE(BitPacker::bitLength(903), 10);
        QCOMPARE(BitPacker::bitLength(1024), 11);
        QCOMPARE(BitPacker::bitLength(0xffffffffu), 32);
    }
};

QTEST_GUILESS_MAIN(TestBitPacker)
#include "tst_bitpacker.moc"
