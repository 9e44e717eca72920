#include "core/codec/hypercodec.h"
#include "core/torch/demomodel.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace hc;

namespace {

// Recorded by tools/demomodel (seed 20240901, 10 epochs) and in resources/demo/README.md.
constexpr double kRecordedAccuracy = 0.952;
constexpr std::int64_t kParameterCount = 113802;

std::string demoDir() { return std::string(HC_SOURCE_DIR) + "/resources/demo"; }
std::string demoModule() { return demoDir() + "/demo_classifier.pt"; }
std::string demoTestset() { return demoDir() + "/demo_testset.safetensors"; }

QByteArray fileHash(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A small safetensors file with the given header entries (JSON without braces) and data.
void writeSafetensors(const QString &path, const QByteArray &entries, const QByteArray &data)
{
    QByteArray header = "{" + entries + "}";
    while (header.size() % 8)
        header.append(' ');
    QByteArray len(8, '\0');
    quint64 n = quint64(header.size());
    for (int i = 0; i < 8; ++i)
        len[i] = char((n >> (8 * i)) & 0xff);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(len + header + data);
}

bool sameParameters(const std::map<std::string, TensorData> &a, const std::map<std::string, TensorData> &b)
{
    if (a.size() != b.size())
        return false;
    for (const auto &[name, t] : a) {
        const auto it = b.find(name);
        if (it == b.end() || it->second.shape != t.shape || it->second.dtype != t.dtype || it->second.bytes != t.bytes)
            return false;
    }
    return true;
}

} // namespace

class TestDemoModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void committedModelLoads()
    {
        auto params = DemoModel::parameters(demoModule());
        QVERIFY2(params.ok(), params.error().c_str());
        QCOMPARE(params->size(), std::size_t(6));
        QCOMPARE(params->at("fc1.weight").shape, (std::vector<std::int64_t>{384, 32}));
        QCOMPARE(params->at("fc2.weight").shape, (std::vector<std::int64_t>{256, 384}));
        QCOMPARE(params->at("fc3.weight").shape, (std::vector<std::int64_t>{10, 256}));
        QCOMPARE(params->at("fc3.bias").shape, (std::vector<std::int64_t>{10}));
        std::int64_t total = 0;
        for (const auto &p : *params) {
            QCOMPARE(p.second.dtype, DType::F32);
            total += std::int64_t(p.second.numel());
        }
        QCOMPARE(total, kParameterCount);
    }

    void committedAccuracyIsTheRecordedFigure()
    {
        auto acc = DemoModel::accuracy(demoModule(), demoTestset());
        QVERIFY2(acc.ok(), acc.error().c_str());
        qInfo("demo accuracy %.6f", *acc);
        QVERIFY(std::fabs(*acc - kRecordedAccuracy) < 1e-6);
    }

    void unchangedParametersGiveTheSameAccuracy()
    {
        auto params = DemoModel::parameters(demoModule());
        QVERIFY(params.ok());
        auto acc = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), *params);
        QVERIFY2(acc.ok(), acc.error().c_str());
        QVERIFY(std::fabs(*acc - kRecordedAccuracy) < 1e-6);
    }

    void zeroedLastLayerIsChance()
    {
        // Proves the replacement reaches the forward pass: all-zero logits pick class 0 everywhere.
        auto params = DemoModel::parameters(demoModule());
        QVERIFY(params.ok());
        std::map<std::string, TensorData> zero;
        for (const char *name : {"fc3.weight", "fc3.bias"}) {
            TensorData t = params->at(name);
            std::fill(t.bytes.begin(), t.bytes.end(), std::uint8_t(0));
            zero.emplace(name, t);
        }
        auto acc = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), zero);
        QVERIFY2(acc.ok(), acc.error().c_str());
        QVERIFY(*acc < 0.2);
    }

    void toolReproducesTheCommittedModel()
    {
        const QString tool = QStringLiteral(HC_BINARY_DIR "/bin/hc_make_demo_model");
        QVERIFY2(QFile::exists(tool), "build the hc_make_demo_model target first");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess p;
        p.start(tool, {QStringLiteral("--out"), dir.path()});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        qInfo("%s", p.readAllStandardOutput().trimmed().constData());

        const std::string module = dir.filePath(QStringLiteral("demo_classifier.pt")).toStdString();
        const std::string testset = dir.filePath(QStringLiteral("demo_testset.safetensors")).toStdString();
        auto acc = DemoModel::accuracy(module, testset);
        QVERIFY2(acc.ok(), acc.error().c_str());
        QVERIFY(std::fabs(*acc - kRecordedAccuracy) < 1e-6);

        auto fresh = DemoModel::parameters(module);
        auto committed = DemoModel::parameters(demoModule());
        QVERIFY(fresh.ok() && committed.ok());
        QVERIFY2(sameParameters(*fresh, *committed), "the rerun's parameters differ from the committed ones");
        QCOMPARE(fileBytes(QString::fromStdString(testset)), fileBytes(QString::fromStdString(demoTestset())));
        // Nothing but the two outputs is left in the directory (no temporary files).
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
    }

    void toolRejectsAMissingDirectory()
    {
        const QString tool = QStringLiteral(HC_BINARY_DIR "/bin/hc_make_demo_model");
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("nope"));
        QProcess p;
        p.start(tool, {QStringLiteral("--out"), missing});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(p.readAllStandardError().contains("no such directory"));
        QVERIFY(!QFile::exists(missing));
    }

    void accuracyAfterHyperCompression()
    {
        auto params = DemoModel::parameters(demoModule());
        QVERIFY(params.ok());
        const CodecParams codec; // the paper's defaults: U = 225, l = 0.1, K = auto:3
        QCOMPARE(codec.samples, 225);
        std::map<std::string, TensorData> restored;
        int compressed = 0;
        for (const auto &[name, t] : *params) {
            if (t.shape.size() < 2 || !HyperCodec::rawReason(t.view()).empty())
                continue; // biases and tiny tensors stay raw
            auto e = HyperCodec::encode(t.view(), t.shape, codec);
            QVERIFY2(e.ok(), e.error().c_str());
            TensorData out;
            out.shape = t.shape;
            out.dtype = t.dtype;
            out.bytes.resize(t.bytes.size());
            HyperCodec::decode(*e, out.bytes.data());
            QVERIFY(out.bytes != t.bytes);
            restored.emplace(name, std::move(out));
            ++compressed;
        }
        QCOMPARE(compressed, 3);
        auto before = DemoModel::accuracy(demoModule(), demoTestset());
        auto after = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), restored);
        QVERIFY2(after.ok(), after.error().c_str());
        qInfo("accuracy before %.4f, after hyper-compression (U=225, l=0.1, K=auto:3) %.4f", *before, *after);
        QVERIFY(*before - *after < 0.03);
    }

    void moduleFileIsNeverTouched()
    {
        const QByteArray hash = fileHash(demoModule());
        auto params = DemoModel::parameters(demoModule());
        QVERIFY(params.ok());
        TensorData w = params->at("fc1.weight");
        std::fill(w.bytes.begin(), w.bytes.end(), std::uint8_t(0));
        QVERIFY(DemoModel::accuracyWithParameters(demoModule(), demoTestset(), {{"fc1.weight", w}}).ok());
        QCOMPARE(fileHash(demoModule()), hash);
        auto again = DemoModel::accuracy(demoModule(), demoTestset());
        QVERIFY(again.ok());
        QVERIFY(std::fabs(*again - kRecordedAccuracy) < 1e-6);
    }

    void badReplacements()
    {
        auto params = DemoModel::parameters(demoModule());
        QVERIFY(params.ok());
        const TensorData w = params->at("fc1.weight");

        auto unknown = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), {{"fc9.weight", w}});
        QVERIFY(!unknown.ok());
        QVERIFY(QString::fromStdString(unknown.error()).contains(QStringLiteral("no parameter named \"fc9.weight\"")));

        auto wrongShape = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), {{"fc2.weight", w}});
        QVERIFY(!wrongShape.ok());
        QVERIFY(QString::fromStdString(wrongShape.error()).contains(QStringLiteral("[384, 32]")));

        TensorData ints = w;
        ints.dtype = DType::I32;
        auto notFloat = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), {{"fc1.weight", ints}});
        QVERIFY(!notFloat.ok());
        QVERIFY(QString::fromStdString(notFloat.error()).contains(QStringLiteral("not a float type")));

        TensorData shortBytes = w;
        shortBytes.bytes.resize(10);
        auto truncated = DemoModel::accuracyWithParameters(demoModule(), demoTestset(), {{"fc1.weight", shortBytes}});
        QVERIFY(!truncated.ok());
        QVERIFY(QString::fromStdString(truncated.error()).contains(QStringLiteral("bytes")));
    }

    void badFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        const std::string missing = dir.filePath(QStringLiteral("missing.pt")).toStdString();
        auto a = DemoModel::accuracy(missing, demoTestset());
        QVERIFY(!a.ok());
        QVERIFY(QString::fromStdString(a.error()).startsWith(QString::fromStdString(missing)));

        // A safetensors file is not a TorchScript module.
        auto b = DemoModel::accuracy(demoTestset(), demoTestset());
        QVERIFY(!b.ok());
        QVERIFY(QString::fromStdString(b.error()).contains(QStringLiteral("cannot be loaded as a TorchScript module")));
        QVERIFY(!QString::fromStdString(b.error()).contains(QLatin1Char('\n')));

        // A TorchScript module is not a test set.
        auto c = DemoModel::accuracy(demoModule(), demoModule());
        QVERIFY(!c.ok());
        QVERIFY(QString::fromStdString(c.error()).startsWith(QString::fromStdString(demoModule())));

        const QString noLabels = dir.filePath(QStringLiteral("nolabels.safetensors"));
        writeSafetensors(noLabels, "\"inputs\":{\"dtype\":\"F32\",\"shape\":[1,32],\"data_offsets\":[0,128]}",
                         QByteArray(128, '\0'));
        auto d = DemoModel::accuracy(demoModule(), noLabels.toStdString());
        QVERIFY(!d.ok());
        QVERIFY(QString::fromStdString(d.error()).contains(QStringLiteral("needs the tensors \"inputs\" and \"labels\"")));

        const QString wrongLabels = dir.filePath(QStringLiteral("wronglabels.safetensors"));
        writeSafetensors(wrongLabels,
                         "\"inputs\":{\"dtype\":\"F32\",\"shape\":[2,32],\"data_offsets\":[0,256]},"
                         "\"labels\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[256,264]}",
                         QByteArray(264, '\0'));
        auto e = DemoModel::accuracy(demoModule(), wrongLabels.toStdString());
        QVERIFY(!e.ok());
        QVERIFY(QString::fromStdString(e.error()).contains(QStringLiteral("\"labels\" must be I64")));

        // Inputs of the wrong width: the module's forward fails, reported in one sentence.
        const QString narrow = dir.filePath(QStringLiteral("narrow.safetensors"));
        writeSafetensors(narrow,
                         "\"inputs\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                         "\"labels\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]}",
                         QByteArray(40, '\0'));
        auto f = DemoModel::accuracy(demoModule(), narrow.toStdString());
        QVERIFY(!f.ok());
        QVERIFY(QString::fromStdString(f.error()).contains(QStringLiteral("forward() failed")));
        QVERIFY(!QString::fromStdString(f.error()).contains(QLatin1Char('\n')));

        // A label beyond the model's 10 classes.
        const QString bigLabel = dir.filePath(QStringLiteral("biglabel.safetensors"));
        QByteArray data(128 + 8, '\0');
        const qint64 label = 12;
        std::memcpy(data.data() + 128, &label, 8);
        writeSafetensors(bigLabel,
                         "\"inputs\":{\"dtype\":\"F32\",\"shape\":[1,32],\"data_offsets\":[0,128]},"
                         "\"labels\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[128,136]}",
                         data);
        auto g = DemoModel::accuracy(demoModule(), bigLabel.toStdString());
        QVERIFY(!g.ok());
        QVERIFY(QString::fromStdString(g.error()).contains(QStringLiteral("does not have")));

        // A truncated test set.
        const QString truncated = dir.filePath(QStringLiteral("truncated.safetensors"));
        {
            QFile f(truncated);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(fileBytes(QString::fromStdString(demoTestset())).left(1000));
        }
        auto h = DemoModel::accuracy(demoModule(), truncated.toStdString());
        QVERIFY(!h.ok());
        QVERIFY(QString::fromStdString(h.error()).startsWith(truncated));
    }
};

QTEST_GUILESS_MAIN(TestDemoModel)
#include "tst_demomodel.moc"
