// `hypercomp compress --mode/--entropy/--target-bpw`, `sweep --modes`, and decompress / verify of
// every mode (issue 9's wiring), through the same entry point the executable uses.
#include "cli/hypercompcli.h"
#include "tests/testsupport/clirun.h"
#include "core/archive/archivereader.h"
#include "core/archive/archiveformat.h"
#include "core/archive/modelcompressor.h"
#include "core/codec/modecodec.h"
#include "core/io/safetensorswriter.h"
#include "core/torch/modelfiles.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstring>
#include <sstream>

using namespace hc;
using namespace hc::testsupport;

namespace {

using Run = CliRun;

QByteArray readAll(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const std::string &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

const char *kBig = "decoder/big.weight"; // 131 072 weights: large enough for per-tensor overhead to be small

// A big weight matrix, a small one of another scale, a bias, an integer buffer.
void writeModel(const std::string &path)
{
    SafetensorsWriter w(path);
    const auto big = studentTWeights(256 * 512, 4.0, 0.02, 7);
    const auto small = studentTWeights(48 * 64, 4.0, 0.3, 8);
    const auto bias = gaussianWeights(64, 0.01, 9);
    const std::int64_t steps[3] = {1, 2, 3};
    QVERIFY(w.declareTensor(kBig, "F32", {256, 512}, big.size() * 4));
    QVERIFY(w.declareTensor("decoder/small.weight", "F32", {48, 64}, small.size() * 4));
    QVERIFY(w.declareTensor("decoder/small.bias", "F32", {64}, bias.size() * 4));
    QVERIFY(w.declareTensor("steps", "I64", {3}, sizeof steps));
    QVERIFY(w.writeTensor(0, big.data(), big.size() * 4));
    QVERIFY(w.writeTensor(1, small.data(), small.size() * 4));
    QVERIFY(w.writeTensor(2, bias.data(), bias.size() * 4));
    QVERIFY(w.writeTensor(3, steps, sizeof steps));
    QVERIFY(w.commit());
}

QJsonObject row(const QJsonObject &report, const QString &name)
{
    for (const auto &v : report.value(QStringLiteral("tensors")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    return {};
}

} // namespace

class TestModesCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string m_model;
    std::string path(const std::string &name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = path("model.safetensors");
        writeModel(m_model);
    }

    // compress -> verify -> decompress for each mode; the restored tensor is exactly what the mode
    // codec decodes; an exported config reproduces the archive byte for byte.
    void everyModeEndToEnd_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("entropy");
        QTest::addColumn<double>("target");
        QTest::newRow("paper") << QStringList{} << QStringLiteral("paper") << false << 0.0;
        QTest::newRow("paper+entropy") << QStringList{QStringLiteral("--entropy")} << QStringLiteral("paper") << true << 0.0;
        QTest::newRow("density") << QStringList{QStringLiteral("--mode"), QStringLiteral("density")} << QStringLiteral("density")
                                 << false << 5.0;
        QTest::newRow("density 4 +entropy")
            << QStringList{QStringLiteral("--mode"), QStringLiteral("density"), QStringLiteral("--target-bpw"), QStringLiteral("4"),
                           QStringLiteral("--entropy")}
            << QStringLiteral("density") << true << 4.0;
        QTest::newRow("lattice default") << QStringList{QStringLiteral("--mode=lattice")} << QStringLiteral("lattice") << true << 4.25;
        QTest::newRow("lattice 3.5") << QStringList{QStringLiteral("--mode"), QStringLiteral("lattice"), QStringLiteral("--target-bpw"),
                                                    QStringLiteral("3.5")}
                                     << QStringLiteral("lattice") << true << 3.5;
    }
    void everyModeEndToEnd()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, mode);
        QFETCH(bool, entropy);
        QFETCH(double, target);
        const std::string tag = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')).toStdString();
        const std::string archive = path(tag + ".hca"), report = path(tag + ".json"), config = path(tag + ".config.json");
        const std::string restored = path(tag + ".restored.safetensors"), again = path(tag + ".again.hca");
        std::vector<std::string> args{"compress", m_model, "-o", archive, "--report", report, "--export-config", config};
        for (const QString &f : flags)
            args.push_back(f.toStdString());
        const Run c = hypercomp(args);
        QVERIFY2(c.status == 0, c.err.c_str());
        QVERIFY(c.err.empty());
        QVERIFY(QString::fromStdString(c.out).contains(mode));

        // The report: every row's mode and what it really spends.
        const QJsonObject doc = readJson(report);
        const QJsonObject big = row(doc, QString::fromLatin1(kBig));
        QCOMPARE(big.value(QStringLiteral("status")).toString(), QStringLiteral("compressed"));
        QCOMPARE(big.value(QStringLiteral("mode")).toString(), mode);
        QCOMPARE(big.value(QStringLiteral("entropy")).toBool(), entropy);
        const double bytesOut = big.value(QStringLiteral("bytes_out")).toDouble();
        const double bpw = big.value(QStringLiteral("bits_per_weight")).toDouble();
        QCOMPARE(bpw, bytesOut * 8 / (256.0 * 512.0));
        if (target > 0)
            QCOMPARE(big.value(QStringLiteral("target_bpw")).toDouble(), target);
        else
            QVERIFY(big.value(QStringLiteral("target_bpw")).isNull());
        if (mode == QStringLiteral("lattice")) // the target counts every byte the tensor takes
            QVERIFY2(bpw <= target * 1.02 && bpw >= target * 0.95, qPrintable(QString::number(bpw)));
        if (mode == QStringLiteral("paper") && entropy) {
            const double achieved = big.value(QStringLiteral("index_bits_per_pair")).toDouble();
            const double h0 = big.value(QStringLiteral("order0_entropy_bits")).toDouble();
            // rANS with its frequency table, next to the ideal order-0 coder, on 65 536 pairs.
            QVERIFY2(achieved >= h0 && achieved < h0 * 1.02 + 0.05,
                     qPrintable(QStringLiteral("%1 vs %2").arg(achieved).arg(h0)));
            QVERIFY(achieved < big.value(QStringLiteral("index_bits")).toDouble());
        }
        double sum = 0;
        for (const auto &v : doc.value(QStringLiteral("tensors")).toArray())
            sum += v.toObject().value(QStringLiteral("bytes_out")).toDouble();
        QCOMPARE(sum, double(QFileInfo(QString::fromStdString(archive)).size()));

        // verify and decompress go through the archive reader: every mode restores.
        const Run v = hypercomp({"verify", archive, m_model, "--json"});
        QVERIFY2(v.status == 0, v.err.c_str());
        QVERIFY(QJsonDocument::fromJson(QByteArray::fromStdString(v.out)).object().value(QStringLiteral("ok")).toBool());
        const Run d = hypercomp({"decompress", archive, "-o", restored});
        QVERIFY2(d.status == 0, d.err.c_str());
        auto original = openModel(m_model);
        auto back = openModel(restored);
        QVERIFY(original && back);
        const auto w = (*original)->read(0);
        auto loaded = CompressionConfig::load(config);
        QVERIFY2(loaded.ok(), loaded.error().c_str());
        const ModeOptions options = loaded->modeOptionsFor(kBig);
        QCOMPARE(QLatin1String(codecModeName(options.mode)), mode);
        auto e = options.mode == CodecMode::Paper ? ModeCodec::encode(w->view(), w->shape, options)
                                                  : ModelCompressor::encodeMode(kBig, w->view(), w->shape, options);
        QVERIFY2(e.ok(), e.ok() ? "" : e.error().c_str());
        std::vector<float> expected(w->numel());
        QVERIFY(e->decode(expected.data()));
        const auto r = (*back)->read(std::size_t((*back)->indexOf(kBig)));
        QCOMPARE(r->bytes.size(), expected.size() * 4);
        QCOMPARE(std::memcmp(r->bytes.data(), expected.data(), r->bytes.size()), 0);
        QCOMPARE((*back)->read(std::size_t((*back)->indexOf("steps")))->bytes,
                 (*original)->read(std::size_t((*original)->indexOf("steps")))->bytes);

        // The exported config says what was used and reproduces the archive bit for bit.
        const QByteArray configText = readAll(config);
        if (mode != QStringLiteral("paper"))
            QVERIFY(configText.contains("\"mode\": \"" + mode.toLatin1() + "\""));
        const Run c2 = hypercomp({"compress", m_model, "-o", again, "--config", config, "--threads", "1"});
        QVERIFY2(c2.status == 0, c2.err.c_str());
        QCOMPARE(readAll(again), readAll(archive));
    }

    // Paper mode with fixed-width indices writes exactly the archive it always did.
    void paperModeFlagChangesNothing()
    {
        const std::string a = path("plain.hca"), b = path("flagged.hca");
        QCOMPARE(hypercomp({"compress", m_model, "-o", a}).status, 0);
        QCOMPARE(hypercomp({"compress", m_model, "-o", b, "--mode", "paper"}).status, 0);
        QCOMPARE(readAll(b), readAll(a));
        QVERIFY(!readAll(a).contains("\"mode\""));
    }

    void sweepComparesModes()
    {
        const std::vector<std::string> base{"sweep", m_model, "--layer", "decoder/small.weight", "--samples", "64,225",
                                            "--box", "0.1", "--classes", "2", "--json"};
        const Run plain = hypercomp(base);
        QCOMPARE(plain.status, 0);
        const QJsonArray plainPoints =
            QJsonDocument::fromJson(QByteArray::fromStdString(plain.out)).object().value(QStringLiteral("points")).toArray();
        QCOMPARE(plainPoints.size(), 2);
        QVERIFY(!plainPoints[0].toObject().contains(QStringLiteral("mode"))); // unchanged without --modes

        std::vector<std::string> args = base;
        args.push_back("--modes");
        args.push_back("paper,density,lattice");
        const Run r = hypercomp(args);
        QVERIFY2(r.status == 0, r.err.c_str());
        const QJsonArray points =
            QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object().value(QStringLiteral("points")).toArray();
        // 2 grid points, their 2 paper+rANS variants, density 4 and 5 (fixed and rANS), lattice 3.5/4/4.25.
        QCOMPARE(points.size(), 2 + 2 + 4 + 3);
        QMap<QString, int> perMode;
        bool front = false;
        for (const auto &v : points) {
            const QJsonObject p = v.toObject();
            perMode[p.value(QStringLiteral("mode")).toString() +
                    (p.value(QStringLiteral("entropy")).toBool() ? QStringLiteral("+") : QString())]++;
            front = front || p.value(QStringLiteral("pareto")).toBool();
            QVERIFY(p.value(QStringLiteral("bits_per_weight")).toDouble() > 0);
            QVERIFY(p.value(QStringLiteral("rel_fro_err")).toDouble() > 0);
        }
        QCOMPARE(perMode.value(QStringLiteral("paper")), 2);
        QCOMPARE(perMode.value(QStringLiteral("paper+")), 2);
        QCOMPARE(perMode.value(QStringLiteral("density")), 2);
        QCOMPARE(perMode.value(QStringLiteral("density+")), 2);
        QCOMPARE(perMode.value(QStringLiteral("lattice+")), 3);
        QVERIFY(front);
        // The paper+rANS variant has the same errors as its grid point, in fewer bytes.
        const QJsonObject fixed = points[0].toObject(), coded = points[2].toObject();
        QCOMPARE(coded.value(QStringLiteral("samples")).toInt(), fixed.value(QStringLiteral("samples")).toInt());
        QCOMPARE(coded.value(QStringLiteral("mae")).toDouble(), fixed.value(QStringLiteral("mae")).toDouble());
        QVERIFY(coded.value(QStringLiteral("bytes_out")).toDouble() < fixed.value(QStringLiteral("bytes_out")).toDouble());
        // Lattice points' sizes are what `compress` would store, and their coded bytes sit at the
        // target (on this small layer the archive entry's bookkeeping is more than 5 % of the
        // budget, so it comes on top instead of starving the layer).
        auto source = openModel(m_model);
        QVERIFY(source.ok());
        const auto small = (*source)->read(std::size_t((*source)->indexOf("decoder/small.weight")));
        QVERIFY(small.ok());
        for (const auto &v : points) {
            const QJsonObject p = v.toObject();
            if (p.value(QStringLiteral("mode")).toString() != QStringLiteral("lattice"))
                continue;
            ModeOptions o;
            o.mode = CodecMode::Lattice;
            o.targetBitsPerWeight = p.value(QStringLiteral("target_bpw")).toDouble();
            auto e = ModelCompressor::encodeMode("decoder/small.weight", small->view(), small->shape, o);
            QVERIFY(e.ok());
            QCOMPARE(p.value(QStringLiteral("bytes_out")).toDouble(),
                     double(ArchiveFormat::standaloneBytes("decoder/small.weight", *e)));
            QVERIFY2(e->bitsPerWeight() <= o.targetBitsPerWeight * 1.02, qPrintable(QString::number(e->bitsPerWeight())));
        }

        // The table gets a mode column.
        args.pop_back();
        args.push_back("density");
        args.erase(std::find(args.begin(), args.end(), "--json"));
        const Run text = hypercomp(args);
        QCOMPARE(text.status, 0);
        QVERIFY(QString::fromStdString(text.out).contains(QStringLiteral("mode")));
        QVERIFY(QString::fromStdString(text.out).contains(QStringLiteral("density+rANS @5")));
    }

    // Bad values: one sentence naming the problem, a non-zero status, no output, the input untouched.
    void badValues_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<int>("status");
        const QString model = QString::fromStdString(m_model);
        const QString out = m_dir.filePath(QStringLiteral("out.hca"));
        const QStringList compress{QStringLiteral("compress"), model, QStringLiteral("-o"), out};
        QTest::newRow("unknown mode") << compress + QStringList{QStringLiteral("--mode"), QStringLiteral("zip")}
                                      << QStringLiteral("the option --mode takes \"paper\", \"density\" or \"lattice\", not \"zip\"") << 1;
        QTest::newRow("target for paper") << compress + QStringList{QStringLiteral("--target-bpw"), QStringLiteral("4")}
                                          << QStringLiteral("--target-bpw applies to --mode lattice or density, not to the paper mode") << 1;
        QTest::newRow("target for explicit paper")
            << compress + QStringList{QStringLiteral("--mode"), QStringLiteral("paper"), QStringLiteral("--target-bpw"), QStringLiteral("4")}
            << QStringLiteral("not to the paper mode") << 1;
        QTest::newRow("lattice target too high")
            << compress + QStringList{QStringLiteral("--mode"), QStringLiteral("lattice"), QStringLiteral("--target-bpw"), QStringLiteral("30")}
            << QStringLiteral("the option --target-bpw takes 0.25 to 24 bits per weight for lattice mode, not \"30\"") << 1;
        QTest::newRow("density target too low")
            << compress + QStringList{QStringLiteral("--mode"), QStringLiteral("density"), QStringLiteral("--target-bpw"), QStringLiteral("0.5")}
            << QStringLiteral("the option --target-bpw takes 1 to 12 bits per weight for density mode, not \"0.5\"") << 1;
        QTest::newRow("target not a number")
            << compress + QStringList{QStringLiteral("--mode"), QStringLiteral("lattice"), QStringLiteral("--target-bpw"), QStringLiteral("four")}
            << QStringLiteral("--target-bpw") << 1;
        QTest::newRow("entropy takes no value") << compress + QStringList{QStringLiteral("--entropy=yes")}
                                                << QStringLiteral("the option --entropy takes no value") << 2;
        QTest::newRow("auto-tune in lattice mode")
            << compress + QStringList{QStringLiteral("--mode"), QStringLiteral("lattice"), QStringLiteral("--target-ratio"), QStringLiteral("5")}
            << QStringLiteral("tune the paper mode's U, l and K; they cannot be combined with the lattice mode") << 1;
        QTest::newRow("unknown sweep mode")
            << QStringList{QStringLiteral("sweep"), model, QStringLiteral("--modes"), QStringLiteral("paper,zip")}
            << QStringLiteral("the option --modes takes a comma-separated list of paper, density and lattice, not \"paper,zip\"") << 1;
        QTest::newRow("empty sweep mode")
            << QStringList{QStringLiteral("sweep"), model, QStringLiteral("--modes"), QStringLiteral("lattice,")}
            << QStringLiteral("\"\" is not a mode") << 1;
    }
    void badValues()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QFETCH(int, status);
        const QByteArray before = readAll(m_model);
        std::vector<std::string> a;
        for (const auto &s : args)
            a.push_back(s.toStdString());
        const Run r = hypercomp(a);
        QCOMPARE(r.status, status);
        QVERIFY2(QString::fromStdString(r.err).contains(mentions), r.err.c_str());
        QCOMPARE(QString::fromStdString(r.err).count(QLatin1Char('\n')), 1);
        QVERIFY(r.out.empty());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("out.hca"))));
        QCOMPARE(readAll(m_model), before);
    }

    // A config whose mode parameters are wrong is refused by `compress --config`.
    void badModeConfig()
    {
        const std::string config = path("bad.config.json");
        QFile f(QString::fromStdString(config));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": "hypercomp-config", "version": 1, "defaults": {"mode": "density", "target_bpw": 13}})");
        f.close();
        const Run r = hypercomp({"compress", m_model, "-o", path("out.hca"), "--config", config});
        QCOMPARE(r.status, 1);
        QVERIFY2(QString::fromStdString(r.err).contains(QString::fromStdString(config) +
                                                        QStringLiteral(": in \"defaults\", \"target_bpw\" 13 is outside 1..12")),
                 r.err.c_str());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("out.hca"))));
    }

    void helpNamesTheModes()
    {
        const Run r = hypercomp({"--help"});
        QCOMPARE(r.status, 0);
        for (const char *s : {"--mode paper|density|lattice", "--entropy", "--target-bpw B", "--modes paper,density,lattice",
                              "default\n4.25", "default 5"})
            QVERIFY2(QString::fromStdString(r.out).contains(QLatin1String(s)), s);
    }
};

QTEST_GUILESS_MAIN(TestModesCli)
#include "tst_modes_cli.moc"
