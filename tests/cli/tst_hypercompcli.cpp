#include "cli/hypercompcli.h"
#include "tests/testsupport/clirun.h"
#include "tests/testsupport/testfiles.h"
#include "core/archive/archivereader.h"
#include "core/codec/hypercodec.h"
#include "core/io/safetensorswriter.h"
#include "core/torch/modelfiles.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sstream>

using namespace hc;
using namespace hc::testsupport;

namespace {

using Run = CliRun;

// A small model with the shapes real ones have: two weight matrices of different scales, a bias,
// an integer buffer and a tiny tensor (stored raw).
void writeModel(const std::string &path)
{
    SafetensorsWriter w(path);
    const auto a = studentTWeights(64 * 96, 4.0, 0.02, 1);
    const auto b = studentTWeights(32 * 64, 4.0, 0.3, 2);
    const auto bias = gaussianWeights(96, 0.01, 3);
    const std::int64_t steps[3] = {1, 2, 3};
    const float tiny[4] = {1, 2, 3, 4};
    QVERIFY(w.declareTensor("encoder/layer.0.weight", "F32", {96, 64}, a.size() * 4));
    QVERIFY(w.declareTensor("encoder/layer.1.weight", "F32", {64, 32}, b.size() * 4));
    QVERIFY(w.declareTensor("encoder/layer.0.bias", "F32", {96}, bias.size() * 4));
    QVERIFY(w.declareTensor("steps", "I64", {3}, sizeof steps));
    QVERIFY(w.declareTensor("scale", "F32", {4}, sizeof tiny));
    QVERIFY(w.writeTensor(0, a.data(), a.size() * 4));
    QVERIFY(w.writeTensor(1, b.data(), b.size() * 4));
    QVERIFY(w.writeTensor(2, bias.data(), bias.size() * 4));
    QVERIFY(w.writeTensor(3, steps, sizeof steps));
    QVERIFY(w.writeTensor(4, tiny, sizeof tiny));
    QVERIFY(w.commit());
}

} // namespace

class TestHypercompCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string m_model;
    std::string path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = path("model.safetensors");
        writeModel(m_model);
    }

    void inspectListsEveryTensor()
    {
        const Run r = hypercomp({"inspect", m_model, "--json"});
        QCOMPARE(r.status, 0);
        const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("safetensors"));
        const QJsonArray tensors = doc.value(QStringLiteral("tensors")).toArray();
        QCOMPARE(tensors.size(), 5);
        QJsonObject first;
        for (const auto &t : tensors)
            if (t.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("encoder/layer.0.weight"))
                first = t.toObject();
        QCOMPARE(first.value(QStringLiteral("numel")).toInt(), 64 * 96);
        QVERIFY(std::fabs(first.value(QStringLiteral("std")).toDouble() - 0.02 * std::sqrt(2.0)) < 0.003); // t(4): σ = s·√2
        QVERIFY(first.value(QStringLiteral("kurtosis")).toDouble() > 1);
        const Run text = hypercomp({"inspect", m_model});
        QCOMPARE(text.status, 0);
        QVERIFY(QString::fromStdString(text.out).contains(QStringLiteral("encoder/layer.1.weight")));
    }

    void inspectRealTorchScriptModel()
    {
        const Run r = hypercomp({"inspect", HC_SHARED_DIR "/models/nequip_water.pt", "--json"});
        QCOMPARE(r.status, 0);
        const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("TorchScript"));
        QVERIFY(doc.value(QStringLiteral("tensors")).toArray().size() > 20);
    }

    void compressReportDecompressVerify()
    {
        const std::string archive = path("model.hca"), report = path("report.json"), restored = path("restored.safetensors");
        const Run c = hypercomp({"compress", m_model, "-o", archive, "--report", report});
        QCOMPARE(c.status, 0);
        QVERIFY(c.err.empty());
        const QJsonObject doc = QJsonDocument::fromJson(readBytes(QString::fromStdString(report))).object();
        for (const char *key : {"model", "settings", "tensors", "totals"})
            QVERIFY2(doc.contains(QLatin1String(key)), key);
        const QJsonArray tensors = doc.value(QStringLiteral("tensors")).toArray();
        QCOMPARE(tensors.size(), 5);
        std::uint64_t bytesOut = 0;
        for (const auto &v : tensors) {
            const QJsonObject t = v.toObject();
            for (const char *key : {"name", "shape", "dtype", "numel", "status", "reason", "samples", "box", "classes",
                                    "index_bits", "mae", "max_abs_err", "rmse", "rel_fro_err", "sqnr_db", "bytes_in",
                                    "bytes_out", "seconds"})
                QVERIFY2(t.contains(QLatin1String(key)), key);
            bytesOut += std::uint64_t(t.value(QStringLiteral("bytes_out")).toDouble());
            const QString name = t.value(QStringLiteral("name")).toString();
            const QString status = t.value(QStringLiteral("status")).toString();
            QCOMPARE(status, name.endsWith(QStringLiteral(".weight")) || name.endsWith(QStringLiteral(".bias"))
                                 ? QStringLiteral("compressed") : QStringLiteral("raw"));
        }
        // bytes_out is the real size each tensor takes: together, the archive's size.
        QCOMPARE(bytesOut, std::uint64_t(QFileInfo(QString::fromStdString(archive)).size()));
        const QJsonObject totals = doc.value(QStringLiteral("totals")).toObject();
        QVERIFY(totals.value(QStringLiteral("ratio")).toDouble() > 4.0);
        QCOMPARE(std::uint64_t(totals.value(QStringLiteral("bytes_out")).toDouble()), bytesOut);

        QCOMPARE(hypercomp({"verify", archive, m_model}).status, 0);
        const Run d = hypercomp({"decompress", archive, "-o", restored});
        QCOMPARE(d.status, 0);
        // The restored model holds exactly what the codec decodes.
        auto original = openModel(m_model);
        auto back = openModel(restored);
        QVERIFY(original && back);
        QCOMPARE((*back)->tensors().size(), (*original)->tensors().size());
        const long i = (*original)->indexOf("encoder/layer.0.weight");
        const auto w = (*original)->read(std::size_t(i));
        auto e = HyperCodec::encode(w->view(), w->shape, CodecParams{});
        std::vector<float> expected(w->numel());
        HyperCodec::decode(*e, expected.data());
        const auto r = (*back)->read(std::size_t((*back)->indexOf("encoder/layer.0.weight")));
        QCOMPARE(std::memcmp(r->bytes.data(), expected.data(), r->bytes.size()), 0);
        const auto steps = (*back)->read(std::size_t((*back)->indexOf("steps")));
        QCOMPARE(steps->bytes, (*original)->read(std::size_t((*original)->indexOf("steps")))->bytes);
    }

    void exportedConfigReproducesTheArchiveBitForBit()
    {
        const std::string a = path("flags.hca"), b = path("config.hca"), config = path("chosen.json");
        QCOMPARE(hypercomp({"compress", m_model, "-o", a, "--samples", "400", "--box", "0.05", "--classes", "auto:4",
                            "--export-config", config}).status, 0);
        QCOMPARE(hypercomp({"compress", m_model, "-o", b, "--config", config, "--threads", "1"}).status, 0);
        QCOMPARE(readBytes(QString::fromStdString(b)), readBytes(QString::fromStdString(a)));
        QVERIFY(readBytes(QString::fromStdString(config)).contains("\"samples\": 400"));
    }

    void boxRelativeToSigma()
    {
        const std::string archive = path("sigma.hca"), report = path("sigma.json");
        QCOMPARE(hypercomp({"compress", m_model, "-o", archive, "--box", "2", "--box-mode", "sigma", "--report", report}).status, 0);
        const QJsonObject doc = QJsonDocument::fromJson(readBytes(QString::fromStdString(report))).object();
        // The two weight matrices differ 15× in scale; each gets l = 2σ of its own.
        double small = 0, large = 0;
        for (const auto &v : doc.value(QStringLiteral("tensors")).toArray()) {
            const QJsonObject t = v.toObject();
            if (t.value(QStringLiteral("name")).toString() == QStringLiteral("encoder/layer.0.weight"))
                small = t.value(QStringLiteral("box")).toDouble();
            if (t.value(QStringLiteral("name")).toString() == QStringLiteral("encoder/layer.1.weight"))
                large = t.value(QStringLiteral("box")).toDouble();
        }
        QVERIFY(small > 0.04 && small < 0.07);
        QVERIFY(large / small > 10);
    }

    void autoTuneMeetsTargets()
    {
        const std::string report = path("tuned.json");
        QCOMPARE(hypercomp({"compress", m_model, "-o", path("tuned.hca"), "--target-error", "0.12", "--report", report}).status, 0);
        QJsonObject doc = QJsonDocument::fromJson(readBytes(QString::fromStdString(report))).object();
        for (const auto &v : doc.value(QStringLiteral("tensors")).toArray()) {
            const QJsonObject t = v.toObject();
            if (t.value(QStringLiteral("status")).toString() == QStringLiteral("compressed"))
                QVERIFY2(t.value(QStringLiteral("rel_fro_err")).toDouble() <= 0.12,
                         qPrintable(t.value(QStringLiteral("name")).toString()));
        }
        QCOMPARE(hypercomp({"compress", m_model, "-o", path("ratio.hca"), "--target-ratio", "5", "--report", report}).status, 0);
        doc = QJsonDocument::fromJson(readBytes(QString::fromStdString(report))).object();
        const double ratio = doc.value(QStringLiteral("totals")).toObject().value(QStringLiteral("ratio")).toDouble();
        // The tuner plans with each tensor's one-tensor archive size; sharing the header's fixed
        // part only helps, so the real archive reaches the target.
        QVERIFY2(ratio >= 5.0, qPrintable(QString::number(ratio)));
    }

    void sweepJson()
    {
        const Run r = hypercomp({"sweep", m_model, "--layer", "encoder/layer.0.weight", "--samples", "64,225", "--box",
                                 "0.05,0.1", "--classes", "1-2", "--json"});
        QCOMPARE(r.status, 0);
        const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        const QJsonArray points = doc.value(QStringLiteral("points")).toArray();
        QCOMPARE(points.size(), 8);
        int front = 0;
        for (const auto &p : points)
            front += p.toObject().value(QStringLiteral("pareto")).toBool() ? 1 : 0;
        QVERIFY(front >= 1);
        QVERIFY(!doc.value(QStringLiteral("baselines")).toArray().isEmpty());
        const Run whole = hypercomp({"sweep", m_model, "--samples", "225", "--box", "0.1", "--classes", "3"});
        QCOMPARE(whole.status, 0);
        QVERIFY(QString::fromStdString(whole.out).contains(QStringLiteral("whole model")));
    }

    void decompressLikeTorchScript()
    {
        const std::string nequip = HC_SHARED_DIR "/models/nequip_water.pt";
        const std::string archive = path("nequip.hca"), restored = path("nequip_restored.pt");
        QCOMPARE(hypercomp({"compress", nequip, "-o", archive}).status, 0);
        const Run d = hypercomp({"decompress", archive, "-o", restored, "--like", nequip});
        QCOMPARE(d.status, 0);
        auto back = openModel(restored);
        QVERIFY2(back, back ? "" : back.error().c_str());
        QCOMPARE((*back)->formatName(), std::string("TorchScript"));
        // Against the restored module the archive's tensors match exactly; against the original
        // they differ by the compression error.
        const Run exact = hypercomp({"verify", archive, restored, "--json"});
        QCOMPARE(exact.status, 0);
        const QJsonObject e = QJsonDocument::fromJson(QByteArray::fromStdString(exact.out)).object();
        QCOMPARE(e.value(QStringLiteral("totals")).toObject().value(QStringLiteral("mae")).toDouble(), 0.0);
        const Run lossy = hypercomp({"verify", archive, nequip, "--json"});
        QCOMPARE(lossy.status, 0);
        const QJsonObject l = QJsonDocument::fromJson(QByteArray::fromStdString(lossy.out)).object();
        QVERIFY(l.value(QStringLiteral("totals")).toObject().value(QStringLiteral("mae")).toDouble() > 0);
    }

    // Every bad input: one sentence naming the file, a non-zero status, no output file.
    void badInputs_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<int>("status");
        const QString dir = m_dir.path();
        QTest::newRow("missing model") << QStringList{QStringLiteral("compress"), dir + QStringLiteral("/nope.safetensors"), QStringLiteral("-o"), dir + QStringLiteral("/out.hca")}
                                       << QStringLiteral("nope.safetensors") << 1;
        QTest::newRow("a directory") << QStringList{QStringLiteral("inspect"), dir} << dir << 1;
        QTest::newRow("output folder missing") << QStringList{QStringLiteral("compress"), QString::fromStdString(m_model), QStringLiteral("-o"), dir + QStringLiteral("/no/such/out.hca")}
                                               << QStringLiteral("out.hca") << 1;
        QTest::newRow("bad U") << QStringList{QStringLiteral("compress"), QString::fromStdString(m_model), QStringLiteral("-o"), dir + QStringLiteral("/out.hca"), QStringLiteral("--samples"), QStringLiteral("0")}
                               << QStringLiteral("U must be at least 1") << 1;
        QTest::newRow("bad l") << QStringList{QStringLiteral("compress"), QString::fromStdString(m_model), QStringLiteral("-o"), dir + QStringLiteral("/out.hca"), QStringLiteral("--box"), QStringLiteral("-1")}
                               << QStringLiteral("l must be a positive number") << 1;
        QTest::newRow("not a number") << QStringList{QStringLiteral("compress"), QString::fromStdString(m_model), QStringLiteral("-o"), dir + QStringLiteral("/out.hca"), QStringLiteral("--box"), QStringLiteral("x")}
                                      << QStringLiteral("--box") << 1;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("inspect"), QString::fromStdString(m_model), QStringLiteral("--frobnicate")}
                                        << QStringLiteral("--frobnicate") << 2;
        QTest::newRow("unknown command") << QStringList{QStringLiteral("squash")} << QStringLiteral("squash") << 2;
        QTest::newRow("archive is not an archive") << QStringList{QStringLiteral("decompress"), QString::fromStdString(m_model), QStringLiteral("-o"), dir + QStringLiteral("/out.safetensors")}
                                                   << QStringLiteral("model.safetensors") << 1;
        QTest::newRow("unknown layer") << QStringList{QStringLiteral("sweep"), QString::fromStdString(m_model), QStringLiteral("--layer"), QStringLiteral("nope")}
                                       << QStringLiteral("nope") << 1;
        QTest::newRow("output overwrites input") << QStringList{QStringLiteral("compress"), QString::fromStdString(m_model), QStringLiteral("-o"), QString::fromStdString(m_model)}
                                                 << QStringLiteral("would overwrite") << 1;
    }
    void badInputs()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QFETCH(int, status);
        const QByteArray before = readBytes(QString::fromStdString(m_model));
        std::vector<std::string> a;
        for (const auto &s : args)
            a.push_back(s.toStdString());
        const Run r = hypercomp(a);
        QCOMPARE(r.status, status);
        QVERIFY2(QString::fromStdString(r.err).contains(mentions), r.err.c_str());
        QVERIFY(r.out.empty());
        for (const char *name : {"out.hca", "out.safetensors"})
            QVERIFY(!QFile::exists(m_dir.filePath(QLatin1String(name))));
        QCOMPARE(readBytes(QString::fromStdString(m_model)), before); // the input is never touched
    }

    void flippedPayloadByteIsCaught()
    {
        const std::string archive = path("flip.hca");
        QCOMPARE(hypercomp({"compress", m_model, "-o", archive}).status, 0);
        QByteArray bytes = readBytes(QString::fromStdString(archive));
        bytes[bytes.size() - 100] = char(bytes[bytes.size() - 100] ^ 0x10);
        QFile f(QString::fromStdString(archive));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const Run v = hypercomp({"verify", archive, m_model});
        QCOMPARE(v.status, 1);
        QVERIFY2(QString::fromStdString(v.err).contains(QStringLiteral("checksum")), v.err.c_str());
        const Run d = hypercomp({"decompress", archive, "-o", path("flip.safetensors")});
        QCOMPARE(d.status, 1);
        QVERIFY(!QFile::exists(QString::fromStdString(path("flip.safetensors"))));
    }

    // The real executable: the exit status and the one-line error reach the shell.
    void executableExitStatus()
    {
        QProcess p;
        p.start(QStringLiteral(HC_BINARY_DIR "/bin/hypercomp"), {QStringLiteral("inspect"), m_dir.filePath(QStringLiteral("missing.pt"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("missing.pt")), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
        p.start(QStringLiteral(HC_BINARY_DIR "/bin/hypercomp"), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("hypercomp compress MODEL -o ARCHIVE"));
    }
};

QTEST_GUILESS_MAIN(TestHypercompCli)
#include "tst_hypercompcli.moc"
