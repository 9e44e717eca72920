#include "core/archive/archivereader.h"
#include "core/archive/modelcompressor.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/util/syntheticweights.h"
#include "widgets/layerbarschart.h"
#include "widgets/wholemodelview.h"

#include <QBarSet>
#include <QDir>
#include <QFile>
#include <QHorizontalStackedBarSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace hc;

namespace {

constexpr int kTimeout = 60000;

struct Layer {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

// A small transformer-like model: weights heavy-tailed like trained ones, biases, and an integer
// buffer the codec must leave raw.
std::vector<Layer> layers(int blocks, std::int64_t width)
{
    std::vector<Layer> out;
    std::uint64_t seed = 1;
    for (int b = 0; b < blocks; ++b) {
        const std::string p = "blocks." + std::to_string(b) + ".";
        for (const char *part : {"attn.qkv", "attn.proj", "mlp.fc1", "mlp.fc2"}) {
            const std::int64_t rows = std::string(part) == "attn.qkv" ? 3 * width : width;
            out.push_back({p + part + ".weight", {rows, width}, studentTWeights(std::size_t(rows * width), 4.0, 0.04, seed++)});
            out.push_back({p + part + ".bias", {rows}, studentTWeights(std::size_t(rows), 4.0, 0.02, seed++)});
        }
    }
    out.push_back({"head.weight", {10, width}, studentTWeights(std::size_t(10 * width), 4.0, 0.05, seed++)});
    return out;
}

void writeModel(const QString &path, const std::vector<Layer> &ls)
{
    SafetensorsWriter w(path.toStdString());
    for (const Layer &l : ls)
        QVERIFY(w.declareTensor(l.name, "F32", l.shape, l.values.size() * sizeof(float)).ok());
    const std::int64_t steps[2] = {7, 8};
    QVERIFY(w.declareTensor("num_batches_tracked", "I64", {2}, sizeof steps).ok());
    for (std::size_t i = 0; i < ls.size(); ++i)
        QVERIFY(w.writeTensor(i, ls[i].values.data(), ls[i].values.size() * sizeof(float)).ok());
    QVERIFY(w.writeTensor(ls.size(), steps, sizeof steps).ok());
    QVERIFY(w.commit().ok());
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The config a user would build: paper defaults, one layer overridden, biases skipped.
CompressionConfig userConfig()
{
    CompressionConfig c;
    CompressionConfig::LayerOverride o;
    o.samples = 64;
    o.classes = 2;
    o.autoClasses = false;
    c.layers["blocks.1.mlp.fc1.weight"] = o;
    c.skip = {"\\.bias$"};
    return c;
}

QStringList hcaFiles(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral("*.hca"), QStringLiteral("*.hca.*")}, QDir::Files);
}

} // namespace

class TestWholeModelView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_modelPath;
    std::shared_ptr<const ModelSource> m_model;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_modelPath = m_dir.filePath(QStringLiteral("model.safetensors"));
        writeModel(m_modelPath, layers(3, 96));
        auto src = SafetensorsSource::open(m_modelPath.toStdString());
        QVERIFY2(src.ok(), src.ok() ? "" : src.error().c_str());
        m_model = std::shared_ptr<const ModelSource>(std::move(src).value());
    }

    void compressFillsEveryLayerAndTheSummary()
    {
        WholeModelView view;
        view.resize(1100, 800);
        view.setModel(m_model, m_modelPath);
        view.setConfig(userConfig());
        QSignalSpy layersSpy(&view, &WholeModelView::layerCompressed);
        QSignalSpy doneSpy(&view, &WholeModelView::compressionFinished);
        QVERIFY(view.compressButton()->isEnabled());
        QVERIFY(!view.cancelButton()->isEnabled());
        QVERIFY(view.compress());
        QVERIFY(view.isBusy());
        QVERIFY(view.cancelButton()->isEnabled());
        QVERIFY(!view.compress()); // refused while running
        QTRY_COMPARE_WITH_TIMEOUT(doneSpy.count(), 1, kTimeout);
        QVERIFY2(doneSpy.at(0).at(0).toBool(), qPrintable(doneSpy.at(0).at(1).toString()));
        QVERIFY(!view.isBusy());
        QVERIFY(view.report().has_value());
        QVERIFY(!view.isStale());
        QVERIFY(QFileInfo::exists(view.archivePath()));

        // One signal per layer, in model order, with the layer's own error.
        const CompressionReport &report = *view.report();
        const auto &tensors = m_model->tensors();
        QCOMPARE(std::size_t(layersSpy.count()), tensors.size());
        QCOMPARE(report.tensors.size(), tensors.size());
        for (int i = 0; i < layersSpy.count(); ++i) {
            const TensorReport &row = report.tensors[std::size_t(i)];
            QCOMPARE(layersSpy.at(i).at(0).toString(), QString::fromStdString(tensors[std::size_t(i)].name));
            QCOMPARE(layersSpy.at(i).at(2).toDouble(), row.errors.relFro);
            QVERIFY(layersSpy.at(i).at(1).toDouble() > 0);
            if (row.status == TensorStatus::Compressed)
                QVERIFY(layersSpy.at(i).at(1).toDouble() > 4); // payload ratio of a 32-bit layer
        }
        // The config reached the codec: the override and the skip pattern.
        const long fc1 = m_model->indexOf("blocks.1.mlp.fc1.weight");
        QCOMPARE(report.tensors[std::size_t(fc1)].samples, 64);
        QCOMPARE(report.tensors[std::size_t(fc1)].classes, 2);
        const long bias = m_model->indexOf("blocks.0.attn.qkv.bias");
        QCOMPARE(report.tensors[std::size_t(bias)].status, TensorStatus::Raw);
        QVERIFY(report.tensors[std::size_t(bias)].reason.find("skip pattern") != std::string::npos);
        const long other = m_model->indexOf("blocks.0.attn.qkv.weight");
        QCOMPARE(report.tensors[std::size_t(other)].samples, 225);

        // The same figures as ModelCompressor gives for the same config.
        const QString direct = m_dir.filePath(QStringLiteral("direct.hca"));
        auto expected = ModelCompressor(userConfig()).compress(*m_model, direct.toStdString());
        QVERIFY2(expected.ok(), expected.ok() ? "" : expected.error().c_str());
        QCOMPARE(report.totals.bytesIn, expected->totals.bytesIn);
        QCOMPARE(report.totals.bytesOut, expected->totals.bytesOut);
        QCOMPARE(report.totals.relFro, expected->totals.relFro);
        QCOMPARE(report.totals.mae, expected->totals.mae);
        QCOMPARE(fileBytes(view.archivePath()), fileBytes(direct));

        // Summary = the report's totals.
        const auto &t = report.totals;
        QCOMPARE(view.fieldText(WholeModelView::Field::SizeBefore), WholeModelView::formatBytes(t.bytesIn));
        QCOMPARE(view.fieldText(WholeModelView::Field::SizeAfter), WholeModelView::formatBytes(t.bytesOut));
        QCOMPARE(view.fieldText(WholeModelView::Field::Ratio), WholeModelView::formatRatio(t.ratio));
        QCOMPARE(view.fieldText(WholeModelView::Field::Mae), WholeModelView::formatError(t.mae));
        QVERIFY(view.fieldText(WholeModelView::Field::RelError).startsWith(WholeModelView::formatError(t.relFro)));
        QCOMPARE(view.fieldText(WholeModelView::Field::Throughput), WholeModelView::formatRate(t.paramsPerSecond));
        QVERIFY(view.fieldText(WholeModelView::Field::Layers).contains(QString::number(tensors.size())));
        QVERIFY(t.ratio > 3);

        // Bars: one per layer in both charts, in model order, each the layer's exact figure.
        for (LayerBarsChart *chart : {view.ratioChart(), view.errorChart()}) {
            QCOMPARE(std::size_t(chart->barCount()), tensors.size());
            QCOMPARE(chart->series()->barSets().size(), 2);
            for (QBarSet *set : chart->series()->barSets())
                QCOMPARE(std::size_t(set->count()), tensors.size());
            QCOMPARE(std::size_t(chart->categories().size()), tensors.size());
        }
        QCOMPARE(view.ratioChart()->categories().first(), QString::fromStdString(tensors.front().name));
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            const TensorReport &row = report.tensors[i];
            QCOMPARE(view.ratioChart()->shownValue(int(i)), double(row.bytesIn) / double(row.bytesOut));
            QCOMPARE(view.errorChart()->shownValue(int(i)), row.errors.relFro);
        }
        // Raw layers are drawn in the raw set, compressed ones in the other.
        const int rows = int(tensors.size());
        QBarSet *compressedSet = view.ratioChart()->series()->barSets().at(0);
        QBarSet *rawSet = view.ratioChart()->series()->barSets().at(1);
        QVERIFY(compressedSet->at(rows - 1 - int(bias)) == 0.0);
        QVERIFY(rawSet->at(rows - 1 - int(bias)) > 0.0);
        QVERIFY(compressedSet->at(rows - 1 - int(other)) > 0.0);

        // A config change marks the result stale.
        CompressionConfig changed = userConfig();
        changed.defaults.samples = 400;
        view.setConfig(changed);
        QVERIFY(view.isStale());

        QDir().mkpath(QStringLiteral(HC_BINARY_DIR "/screenshots"));
        view.setConfig(userConfig());
        QVERIFY(view.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/wholemodelview.png")));
    }

    void manyLayersScroll()
    {
        // 60 layers: the charts grow and the scroll area takes them; every bar is there.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("deep.safetensors"));
        writeModel(path, layers(15, 32));
        auto src = SafetensorsSource::open(path.toStdString());
        QVERIFY(src.ok());
        std::shared_ptr<const ModelSource> model(std::move(src).value());
        WholeModelView view;
        view.resize(1100, 800);
        view.setModel(model, path);
        QSignalSpy doneSpy(&view, &WholeModelView::compressionFinished);
        QVERIFY(view.compress());
        QTRY_COMPARE_WITH_TIMEOUT(doneSpy.count(), 1, kTimeout);
        QVERIFY(doneSpy.at(0).at(0).toBool());
        QCOMPARE(std::size_t(view.ratioChart()->barCount()), model->tensors().size());
        QVERIFY(view.ratioChart()->minimumHeight() >= LayerBarsChart::kRowHeight * int(model->tensors().size()));
        QVERIFY(view.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/wholemodelview_deep.png")));
    }

    void cancelLeavesNoFile()
    {
        // One large layer, so that the run is still going when Cancel comes.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.safetensors"));
        writeModel(path, {{"big.weight", {1024, 2048}, studentTWeights(1024 * 2048, 4.0, 0.05, 9)}});
        auto src = SafetensorsSource::open(path.toStdString());
        QVERIFY(src.ok());
        std::shared_ptr<const ModelSource> model(std::move(src).value());
        WholeModelView view;
        view.setModel(model, path);
        QSignalSpy doneSpy(&view, &WholeModelView::compressionFinished);
        QSignalSpy exportFailed(&view, &WholeModelView::exportFailed);
        // Export with no result compresses first; cancelling that run writes nothing at all.
        const QString base = dir.filePath(QStringLiteral("out"));
        QVERIFY(view.exportTo(base));
        QVERIFY(view.isCompressing());
        const QString folder = view.temporaryFolder();
        QVERIFY(!folder.isEmpty());
        view.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(doneSpy.count(), 1, kTimeout);
        QCOMPARE(doneSpy.at(0).at(0).toBool(), false);
        QCOMPARE(exportFailed.count(), 1);
        QVERIFY(!view.report().has_value());
        QVERIFY(view.archivePath().isEmpty());
        QVERIFY2(hcaFiles(folder).isEmpty(), qPrintable(hcaFiles(folder).join(QLatin1Char(' '))));
        QVERIFY(QDir(folder).entryList(QDir::Files | QDir::NoDotAndDotDot).isEmpty());
        QVERIFY(!QFileInfo::exists(base + QStringLiteral(".hca")));
        QVERIFY(!QFileInfo::exists(base + QStringLiteral(".hcconfig.json")));
        QVERIFY(view.statusText().contains(QStringLiteral("cancelled")));
        QVERIFY(view.compressButton()->isEnabled());
    }

    void exportIsTheCliArchiveByteForByte()
    {
        WholeModelView view;
        view.setModel(m_model, m_modelPath);
        view.setConfig(userConfig());
        QSignalSpy exported(&view, &WholeModelView::exported);
        QSignalSpy started(&view, &WholeModelView::compressionStarted);
        QTemporaryDir out;
        const QString base = out.filePath(QStringLiteral("mymodel"));
        QVERIFY(view.exportTo(base + QStringLiteral(".hca")));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, kTimeout);
        QCOMPARE(started.count(), 1); // no result yet: compressed first
        const QString archive = base + QStringLiteral(".hca");
        const QString configPath = base + QStringLiteral(".hcconfig.json");
        QCOMPARE(exported.at(0).at(0).toString(), archive);
        QCOMPARE(exported.at(0).at(1).toString(), configPath);

        // What `hypercomp compress MODEL -o X.hca --config NAME.hcconfig.json` does.
        auto loaded = CompressionConfig::load(configPath.toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        QVERIFY(*loaded == userConfig());
        const QString direct = out.filePath(QStringLiteral("cli.hca"));
        QVERIFY(ModelCompressor(*loaded).compress(*m_model, direct.toStdString()).ok());
        const QByteArray bytes = fileBytes(archive);
        QVERIFY(!bytes.isEmpty());
        QCOMPARE(bytes, fileBytes(direct));
        QCOMPARE(fileBytes(configPath), userConfig().toJson());
        QVERIFY(ArchiveReader::open(archive.toStdString()).ok());

        // Unchanged config: Export copies the result, no new run.
        const QString base2 = out.filePath(QStringLiteral("again"));
        QVERIFY(view.exportTo(base2));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, kTimeout);
        QCOMPARE(started.count(), 1);
        QCOMPARE(fileBytes(base2 + QStringLiteral(".hca")), bytes);

        // Changed config: Export compresses again, and the bytes follow the new config.
        CompressionConfig changed = userConfig();
        changed.defaults.samples = 100;
        view.setConfig(changed);
        const QString base3 = out.filePath(QStringLiteral("changed"));
        QVERIFY(view.exportTo(base3));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 3, kTimeout);
        QCOMPARE(started.count(), 2);
        const QString direct3 = out.filePath(QStringLiteral("cli3.hca"));
        QVERIFY(ModelCompressor(changed).compress(*m_model, direct3.toStdString()).ok());
        QCOMPARE(fileBytes(base3 + QStringLiteral(".hca")), fileBytes(direct3));
        QVERIFY(fileBytes(base3 + QStringLiteral(".hca")) != bytes);
        QVERIFY(!view.isStale());
    }

    void exportErrorsLeaveNothing()
    {
        WholeModelView view;
        view.setModel(m_model, m_modelPath);
        QSignalSpy failed(&view, &WholeModelView::exportFailed);
        QTemporaryDir out;
        const QString missing = out.filePath(QStringLiteral("no/such/folder/x"));
        QVERIFY(!view.exportTo(missing));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("does not exist")));
        QVERIFY(!view.isBusy());
        QVERIFY(QDir(out.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).isEmpty());

        // An archive that would overwrite the model it is made from is refused.
        const QString self = out.filePath(QStringLiteral("self.hca"));
        QVERIFY(QFile::copy(m_modelPath, self));
        const QByteArray original = fileBytes(self);
        auto src = SafetensorsSource::open(self.toStdString());
        QVERIFY(src.ok());
        view.setModel(std::shared_ptr<const ModelSource>(std::move(src).value()), self);
        QVERIFY(!view.exportTo(out.filePath(QStringLiteral("self"))));
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("overwrite")));
        QVERIFY(!view.isBusy());
        QCOMPARE(fileBytes(self), original);
        QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("self.hcconfig.json"))));

        // No model: nothing to compress, a clear status.
        WholeModelView empty;
        QVERIFY(!empty.compress());
        QVERIFY(empty.statusText().contains(QStringLiteral("Open a model")));
        QVERIFY(!empty.compressButton()->isEnabled());
        QVERIFY(empty.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/wholemodelview_empty.png")));
    }

    void invalidConfigIsRefused()
    {
        WholeModelView view;
        view.setModel(m_model, m_modelPath);
        CompressionConfig bad;
        bad.skip = {"("};
        view.setConfig(bad);
        QVERIFY(!view.compress());
        QVERIFY(!view.statusText().isEmpty());
        QVERIFY(!view.isBusy());
    }

    void retranslates()
    {
        WholeModelView view;
        const QString before = view.compressButton()->text();
        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&view, &change);
        QCOMPARE(view.compressButton()->text(), before);
        QVERIFY(!view.compressButton()->toolTip().isEmpty());
    }
};

QTEST_MAIN(TestWholeModelView)
#include "tst_wholemodelview.moc"
