#include "core/baselines/roundtonearestquantizer.h"
#include "core/archive/archiveformat.h"
#include "core/codec/hypercodec.h"
#include "core/io/safetensorswriter.h"
#include "core/metrics/errormetrics.h"
#include "core/torch/modelfiles.h"
#include "core/util/syntheticweights.h"
#include "widgets/cloudpointsitem.h"
#include "widgets/codeccontrols.h"
#include "widgets/ergodicview.h"
#include "widgets/helpdialog.h"
#include "widgets/layerevaluator.h"
#include "widgets/layertablemodel.h"
#include "widgets/mainwindow.h"
#include "widgets/readoutpanel.h"
#include "widgets/weightcloudview.h"

#include <QApplication>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QScatterSeries>
#include <QLineSeries>
#include <QSettings>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace hc;

namespace {

constexpr int kTimeout = 30000;

struct TestLayer {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

// A few layers of Student-t-like weights (as trained layers are), an odd-sized one, and an
// integer buffer the codec leaves raw. "big.weight" has 100 000 pairs, so that some class holds
// more than the chart's 20 000 points per series.
std::vector<TestLayer> testLayers()
{
    return {{"small.weight", {64, 48}, studentTWeights(64 * 48, 4.0, 0.05, 1)},
            {"odd.bias", {101}, studentTWeights(101, 4.0, 0.05, 2)},
            {"big.weight", {400, 500}, studentTWeights(400 * 500, 4.0, 0.05, 3)}};
}

void writeModel(const QString &path, const std::vector<TestLayer> &layers)
{
    SafetensorsWriter w(path.toStdString());
    for (const TestLayer &l : layers)
        QVERIFY(w.declareTensor(l.name, "F32", l.shape, l.values.size() * sizeof(float)).ok());
    const std::int64_t steps[2] = {7, 8};
    QVERIFY(w.declareTensor("steps", "I64", {2}, sizeof steps).ok());
    for (std::size_t i = 0; i < layers.size(); ++i)
        QVERIFY(w.writeTensor(i, layers[i].values.data(), layers[i].values.size() * sizeof(float)).ok());
    QVERIFY(w.writeTensor(layers.size(), steps, sizeof steps).ok());
    QVERIFY(w.commit().ok());
}

// What the codec itself says for `values` at `params`.
struct Direct {
    EncodedTensor encoded;
    ErrorMetrics metrics;
    BaselineResult baseline;
    double bitsPerWeight = 0;
};

Direct direct(const std::string &name, const std::vector<float> &values, const std::vector<std::int64_t> &shape,
              const CodecParams &params)
{
    Direct d;
    const TensorView w{values.data(), DType::F32, values.size()};
    auto e = HyperCodec::encode(w, shape, params);
    if (!e)
        qFatal("encode failed: %s", e.error().c_str());
    d.encoded = *e;
    std::vector<float> decoded(values.size());
    HyperCodec::decode(d.encoded, decoded.data());
    d.metrics = ErrorMetrics::measure(w, TensorView{decoded.data(), DType::F32, decoded.size()});
    // The size it would take in an archive of its own, as `hypercomp sweep` counts it.
    const double bytesOut = double(ArchiveFormat::standaloneBytes(name, d.encoded));
    d.bitsPerWeight = 8.0 * bytesOut / double(values.size());
    auto b = RoundToNearestQuantizer::evaluate(w, d.bitsPerWeight, 0);
    if (!b)
        qFatal("RTN failed: %s", b.error().c_str());
    d.baseline = *b;
    return d;
}

QString executable()
{
    return QStringLiteral(HC_BINARY_DIR "/bin/hypercomp-workbench");
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model;
    std::vector<TestLayer> m_layers;

    const TestLayer &layerNamed(const std::string &name) const
    {
        for (const TestLayer &l : m_layers)
            if (l.name == name)
                return l;
        qFatal("no test layer %s", name.c_str());
    }

    // The readouts show what the codec, the metrics and the RTN baseline give when called directly.
    void checkReadouts(MainWindow &w, const TestLayer &layer)
    {
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        const CodecParams params = w.controls()->params();
        const LayerEvaluationPtr e = w.readouts()->evaluation();
        QVERIFY(e);
        QVERIFY(LayerTableModel::sameParams(e->params, params));
        const Direct d = direct(layer.name, layer.values, layer.shape, params);
        QCOMPARE(e->encoded.indices, d.encoded.indices);
        QCOMPARE(e->encoded.classes, d.encoded.classes);
        QCOMPARE(e->metrics.mae, d.metrics.mae);
        QCOMPARE(e->metrics.maxAbs, d.metrics.maxAbs);
        QCOMPARE(e->metrics.relFro, d.metrics.relFro);
        QCOMPARE(e->bitsPerWeight, d.bitsPerWeight);
        QCOMPARE(e->baseline.metrics.mae, d.baseline.metrics.mae);
        ReadoutPanel *r = w.readouts();
        QCOMPARE(r->text(ReadoutPanel::MaeRow, ReadoutPanel::CodecColumn), ReadoutPanel::format(ReadoutPanel::MaeRow, d.metrics.mae));
        QCOMPARE(r->text(ReadoutPanel::MaxAbsRow, ReadoutPanel::CodecColumn),
                 ReadoutPanel::format(ReadoutPanel::MaxAbsRow, d.metrics.maxAbs));
        QCOMPARE(r->text(ReadoutPanel::RmseRow, ReadoutPanel::CodecColumn), ReadoutPanel::format(ReadoutPanel::RmseRow, d.metrics.rmse));
        QCOMPARE(r->text(ReadoutPanel::RelErrorRow, ReadoutPanel::CodecColumn),
                 ReadoutPanel::format(ReadoutPanel::RelErrorRow, d.metrics.relFro));
        QCOMPARE(r->text(ReadoutPanel::SqnrRow, ReadoutPanel::CodecColumn), ReadoutPanel::format(ReadoutPanel::SqnrRow, d.metrics.sqnrDb));
        QCOMPARE(r->text(ReadoutPanel::IndexBitsRow, ReadoutPanel::CodecColumn), QString::number(d.encoded.bits));
        QCOMPARE(r->text(ReadoutPanel::BitsPerWeightRow, ReadoutPanel::CodecColumn),
                 ReadoutPanel::format(ReadoutPanel::BitsPerWeightRow, d.bitsPerWeight));
        QCOMPARE(r->text(ReadoutPanel::MaeRow, ReadoutPanel::BaselineColumn),
                 ReadoutPanel::format(ReadoutPanel::MaeRow, d.baseline.metrics.mae));
        QCOMPARE(r->text(ReadoutPanel::RelErrorRow, ReadoutPanel::BaselineColumn),
                 ReadoutPanel::format(ReadoutPanel::RelErrorRow, d.baseline.metrics.relFro));

        // The chart: one legend entry per class, the box, K rings; on the raster path the points
        // item draws each class's cloud points, then the U + 1 samples.
        WeightCloudView *cloud = w.cloudView();
        QVERIFY(!cloud->openGLEnabled());
        QCOMPARE(cloud->classSeries().size(), d.encoded.classes + 1);
        const auto &drawn = cloud->pointsItem()->layers();
        QCOMPARE(int(drawn.size()), d.encoded.classes + 2);
        std::uint64_t shown = 0;
        for (int k = 0; k <= d.encoded.classes; ++k) {
            QCOMPARE(drawn[std::size_t(k)].points, e->cloud.points[std::size_t(k)]);
            QCOMPARE(cloud->classSeries()[k]->count(), 0);
            shown += std::uint64_t(drawn[std::size_t(k)].points.size());
        }
        QCOMPARE(shown, e->cloud.shownCount);
        QCOMPARE(cloud->ringSeries().size(), d.encoded.classes);
        QCOMPARE(cloud->boxSeries()->count(), 5);
        QCOMPARE(drawn.back().points.size(), qsizetype(params.samples + 1));
        // The histogram counts every pair, whatever the chart shows.
        std::uint64_t pairs = 0;
        for (std::uint64_t c : e->histogram)
            pairs += c;
        QCOMPARE(pairs, d.encoded.pairCount());
        // The table row carries the result.
        const LayerRecord &row = w.layerModel()->layer(w.currentLayer());
        QVERIFY(row.evaluated);
        QCOMPARE(row.relError, d.metrics.relFro);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("HyperCompTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_layers = testLayers();
        m_model = m_dir.filePath(QStringLiteral("layers.safetensors"));
        writeModel(m_model, m_layers);
    }

    void emptyState()
    {
        MainWindow w;
        w.show();
        QVERIFY(!w.model());
        QVERIFY(!w.controls()->isEnabled());
        const auto labels = w.centreTabs()->findChildren<QLabel *>();
        bool hint = false;
        for (QLabel *l : labels)
            hint = hint || l->text() == QStringLiteral("Open a model: File > Open or drop a file");
        QVERIFY(hint);
    }

    // The help page lists the shortcuts the window really has.
    void helpListsRealShortcuts()
    {
        MainWindow w;
        QSet<QString> bound;
        for (QAction *a : w.findChildren<QAction *>())
            for (const QKeySequence &k : a->shortcuts())
                bound.insert(k.toString());
        for (const HelpDialog::Shortcut &s : HelpDialog::shortcuts())
            QVERIFY2(bound.contains(s.keys.toString()), qPrintable(s.keys.toString() + QStringLiteral(" is not bound")));
    }

    void demoModelAndErgodicTab()
    {
        QStandardPaths::setTestModeEnabled(true); // the demo is copied out under ~/.qttest
        MainWindow w;
        w.show();
        w.openDemo();
        QTRY_VERIFY_WITH_TIMEOUT(w.model() != nullptr, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QCOMPARE(w.model()->formatName(), std::string("TorchScript"));
        QVERIFY(QFileInfo::exists(MainWindow::demoTestSetPath()));
        const LayerEvaluationPtr e = w.readouts()->evaluation();
        QVERIFY(e);
        // The ergodic tab shows the current layer: its pairs, and the codec's own centre and U.
        ErgodicView *ergodic = w.ergodicView();
        QVERIFY(ergodic->pairCount() > 0);
        QCOMPARE(ergodic->samples(), e->encoded.samples);
        QCOMPARE(ergodic->centre().x(), e->encoded.centreX);
        QCOMPARE(ergodic->farthest(), e->encoded.farthest);
        QVERIFY(w.tabIndexOf(ergodic) > 0);
    }

    void openSelectAndMoveEachControl()
    {
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openModel(m_model);
        QVERIFY(w.isOpening());
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        LayerTableModel *model = w.layerModel();
        QCOMPARE(model->layerCount(), 4);
        QCOMPARE(w.recentFiles().value(0), QFileInfo(m_model).absoluteFilePath());
        // Statistics for every compressible layer, none for the integer buffer.
        for (int i = 0; i < 3; ++i) {
            QVERIFY(model->layer(i).statisticsReady);
            QVERIFY(model->layer(i).outerShareReady);
            QVERIFY(model->layer(i).sigma > 0.04 && model->layer(i).sigma < 0.12);
        }
        QVERIFY(!model->layer(3).compressible);
        // The largest layer is selected first.
        QCOMPARE(w.currentLayer(), model->rowOf(QStringLiteral("big.weight")));

        QVERIFY(w.selectLayer(QStringLiteral("small.weight")));
        const TestLayer &small = layerNamed("small.weight");
        checkReadouts(w, small);
        QCOMPARE(w.cloudView()->noteText().startsWith(QStringLiteral("1\u00A0536 pairs")), true);

        CodecControls *c = w.controls();
        auto changesAndMatches = [&](const char *what, const std::function<void()> &move) {
            const double before = w.readouts()->evaluation()->metrics.mae;
            const CodecParams paramsBefore = c->params();
            move();
            QVERIFY2(!LayerTableModel::sameParams(c->params(), paramsBefore), what);
            checkReadouts(w, small);
            QVERIFY2(w.readouts()->evaluation()->metrics.mae != before, what);
        };
        changesAndMatches("U spin box", [&] { c->samplesSpinBox()->setValue(900); });
        QCOMPARE(c->samplesSlider()->value(), 30);
        changesAndMatches("U slider", [&] { c->samplesSlider()->setValue(8); });
        QCOMPARE(c->params().samples, 64);
        changesAndMatches("l spin box", [&] { c->boxSpinBox()->setValue(0.03); });
        changesAndMatches("l slider", [&] { c->boxSlider()->setValue(CodecControls::boxToSlider(0.15)); });
        QCOMPARE(c->params().box, CodecControls::sliderToBox(CodecControls::boxToSlider(0.15)));
        changesAndMatches("K fixed", [&] {
            c->autoClassesCheckBox()->setChecked(false);
            c->classesSpinBox()->setValue(1);
        });
        QCOMPARE(w.readouts()->evaluation()->encoded.classes, 1);
        changesAndMatches("K = 4", [&] { c->classesSpinBox()->setValue(4); });
        QCOMPARE(w.readouts()->evaluation()->encoded.classes, 4);
        changesAndMatches("auto K", [&] {
            c->classesSpinBox()->setValue(2);
            c->autoClassesCheckBox()->setChecked(true);
        });
        QVERIFY(c->params().autoClasses);
        QVERIFY(w.readouts()->evaluation()->encoded.classes <= 2);

        // "All layers" (the default scope) set the defaults of every layer.
        for (int i = 0; i < model->layerCount(); ++i)
            if (model->layer(i).compressible)
                QVERIFY(LayerTableModel::sameParams(model->layer(i).params, c->params()));
        QCOMPARE(model->overrideCount(), 0);
    }

    void overridesShowInTheTable()
    {
        MainWindow w;
        w.show();
        w.openModel(m_model, QStringLiteral("odd.bias"));
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        LayerTableModel *model = w.layerModel();
        const int odd = model->rowOf(QStringLiteral("odd.bias"));
        QCOMPARE(w.currentLayer(), odd);
        checkReadouts(w, layerNamed("odd.bias"));

        w.controls()->setScope(CodecControls::Scope::ThisLayer);
        w.controls()->samplesSpinBox()->setValue(100);
        checkReadouts(w, layerNamed("odd.bias"));
        QVERIFY(model->layer(odd).overridden);
        QCOMPARE(model->overrideCount(), 1);
        QVERIFY(model->index(odd, LayerTableModel::ConfigColumn).data().toString().endsWith(QStringLiteral(" *")));
        QCOMPARE(model->layer(model->rowOf(QStringLiteral("small.weight"))).params.samples, model->defaults().samples);
        QVERIFY(w.controls()->useDefaultsButton()->isEnabled());

        // Switching layers shows each layer's own settings.
        QVERIFY(w.selectLayer(QStringLiteral("small.weight")));
        QCOMPARE(w.controls()->params().samples, model->defaults().samples);
        QVERIFY(!w.controls()->useDefaultsButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QVERIFY(w.selectLayer(QStringLiteral("odd.bias")));
        QCOMPARE(w.controls()->params().samples, 100);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);

        w.controls()->useDefaultsButton()->click();
        QVERIFY(!model->layer(odd).overridden);
        QCOMPARE(w.controls()->params().samples, model->defaults().samples);
        checkReadouts(w, layerNamed("odd.bias"));

        // Filtering the table keeps the selection logic on source rows.
        w.filterEdit()->setText(QStringLiteral("WEIGHT"));
        QCOMPARE(w.layerProxy()->rowCount(), 2);
        w.filterEdit()->clear();
        QCOMPARE(w.layerProxy()->rowCount(), 4);
    }

    void bigLayerIsThinnedAndSaysSo()
    {
        MainWindow w;
        w.show();
        w.openModel(m_model, QStringLiteral("big.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        checkReadouts(w, layerNamed("big.weight"));
        const LayerEvaluationPtr e = w.readouts()->evaluation();
        QVERIFY(e->cloud.thinned());
        int capped = 0;
        const auto &drawn = w.cloudView()->pointsItem()->layers();
        for (std::size_t k = 0; k + 1 < drawn.size(); ++k) {
            QVERIFY(drawn[k].points.size() <= 20000);
            capped += drawn[k].points.size() == 20000 ? 1 : 0;
        }
        QVERIFY(capped >= 1);
        QVERIFY2(w.cloudView()->noteText().contains(
                     QStringLiteral("of 100\u00A0000 pairs")),
                 qPrintable(w.cloudView()->noteText()));
        QVERIFY(w.cloudView()->noteText().startsWith(QStringLiteral("Showing ")));
        // The same layer always shows the same points.
        const QList<QPointF> first = w.cloudView()->pointsItem()->layers()[0].points;
        w.controls()->samplesSpinBox()->setValue(400);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        w.controls()->samplesSpinBox()->setValue(225);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QCOMPARE(w.cloudView()->pointsItem()->layers()[0].points, first);
        // Fit box and fit all change the visible range.
        w.cloudView()->fitBox();
        const QRectF box = w.cloudView()->visibleRange();
        w.cloudView()->fitAll();
        const QRectF all = w.cloudView()->visibleRange();
        QVERIFY(all.width() > box.width());
        QVERIFY(box.width() >= e->encoded.box && box.height() >= e->encoded.box);
    }

    void staleResultsAreDropped()
    {
        QTemporaryDir dir;
        const std::vector<TestLayer> layers{{"w", {600, 500}, studentTWeights(600 * 500, 4.0, 0.05, 9)}};
        const QString path = dir.filePath(QStringLiteral("one.safetensors"));
        writeModel(path, layers);
        auto source = hc::openModel(path.toStdString());
        QVERIFY(source.ok());
        LayerEvaluator evaluator;
        evaluator.setSource(std::shared_ptr<const ModelSource>(std::move(source).value()));
        QSignalSpy results(&evaluator, &LayerEvaluator::finished);
        CodecParams a, b, c, d;
        a.samples = 64;
        b.samples = 100;
        c.samples = 144;
        d.samples = 400;
        // Final requests: only the last one is shown.
        evaluator.request(0, a, LayerEvaluator::Urgency::Final);
        evaluator.request(0, b, LayerEvaluator::Urgency::Final);
        evaluator.request(0, c, LayerEvaluator::Urgency::Final);
        QTRY_VERIFY_WITH_TIMEOUT(!evaluator.isBusy(), kTimeout);
        QCOMPARE(results.count(), 1);
        QCOMPARE(results.at(0).at(0).value<LayerEvaluationPtr>()->params.samples, 144);
        // Live requests: the running one finishes and shows, the waiting one is replaced.
        results.clear();
        evaluator.request(0, a, LayerEvaluator::Urgency::Live);
        evaluator.request(0, b, LayerEvaluator::Urgency::Live);
        evaluator.request(0, d, LayerEvaluator::Urgency::Live);
        QTRY_VERIFY_WITH_TIMEOUT(!evaluator.isBusy(), kTimeout);
        QCOMPARE(results.count(), 2);
        QCOMPARE(results.at(0).at(0).value<LayerEvaluationPtr>()->params.samples, 64);
        QCOMPARE(results.at(1).at(0).value<LayerEvaluationPtr>()->params.samples, 400);
        QCOMPARE(evaluator.current()->params.samples, 400);
        QVERIFY(evaluator.current()->decoded);
        QCOMPARE(evaluator.current()->decoded->size(), std::size_t(600 * 500 * 4));
    }

    void badFileShowsErrorAndKeepsModel()
    {
        const QString broken = m_dir.filePath(QStringLiteral("broken.safetensors"));
        {
            QFile f(broken);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("\xff\xff\xff\xff\xff\xff\x00\x00{not json", 18);
        }
        const QByteArray before = [&] {
            QFile f(broken);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        MainWindow w;
        w.show();
        w.openModel(m_model);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        const int layer = w.currentLayer();

        QString shown;
        QTimer::singleShot(0, this, [] {}); // keep the loop turning
        QSignalSpy failed(&w, &MainWindow::openFailed);
        w.openModel(broken);
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()), kTimeout);
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        shown = box->text();
        QTimer::singleShot(0, box, [box] { box->close(); });
        QTRY_VERIFY(!QApplication::activeModalWidget());
        QCOMPARE(failed.count(), 1);
        QVERIFY2(shown.contains(QStringLiteral("broken.safetensors")), qPrintable(shown));
        QVERIFY2(shown.endsWith(QLatin1Char('.')), qPrintable(shown));
        QCOMPARE(shown.count(QStringLiteral(". ")), 0); // one sentence
        // The previous model stays open and usable; the bad file is untouched.
        QCOMPARE(w.modelPath(), m_model);
        QCOMPARE(w.layerModel()->layerCount(), 4);
        QCOMPARE(w.currentLayer(), layer);
        QVERIFY(w.controls()->isEnabled());
        QFile f(broken);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);

        // A file that does not exist.
        w.openModel(m_dir.filePath(QStringLiteral("missing.safetensors")));
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()), kTimeout);
        box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box->text().contains(QStringLiteral("missing.safetensors")));
        box->close();
        QCOMPARE(w.modelPath(), m_model);
    }

    void dropOpensTheFile()
    {
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_model)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeout);
        QCOMPARE(w.modelPath(), m_model);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
    }

    void windowStateIsRemembered()
    {
        {
            MainWindow w;
            w.show();
            w.resize(1234, 777);
            w.close();
        }
        QSettings settings;
        QVERIFY(settings.contains(QStringLiteral("mainWindow/geometry")));
        MainWindow again;
        QCOMPARE(again.size(), QSize(1234, 777));
    }

    void nequipTorchScript()
    {
        const QString path = QStringLiteral(HC_SHARED_DIR "/models/nequip_water.pt");
        if (!QFileInfo::exists(path))
            QSKIP("nequip_water.pt is not available");
        MainWindow w;
        w.show();
        w.openModel(path);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QCOMPARE(w.model()->formatName(), std::string("TorchScript"));
        std::uint64_t parameters = 0;
        for (const TensorInfo &t : w.model()->tensors())
            parameters += t.numel();
        QVERIFY(parameters >= 154200);
        // The selected layer's readouts match the codec on the tensor read directly.
        const int layer = w.currentLayer();
        QVERIFY(layer >= 0 && w.layerModel()->layer(layer).compressible);
        auto source = hc::openModel(path.toStdString());
        QVERIFY(source.ok());
        auto data = (*source)->read(std::size_t(layer));
        QVERIFY(data.ok());
        QCOMPARE(data->dtype, DType::F32);
        TestLayer t{(*source)->tensors()[std::size_t(layer)].name, data->shape, {}};
        t.values.resize(data->numel());
        std::memcpy(t.values.data(), data->bytes.data(), data->bytes.size());
        checkReadouts(w, t);
        w.controls()->boxSpinBox()->setValue(1.0);
        checkReadouts(w, t);
    }

    void screenshot()
    {
        if (!QFileInfo::exists(executable()))
            QFAIL("hypercomp-workbench is not built; build the whole project before running the tests");
        const QString png = m_dir.filePath(QStringLiteral("shot.png"));
        QProcess p;
        p.start(executable(), {m_model, QStringLiteral("--layer"), QStringLiteral("small.weight"),
                               QStringLiteral("--screenshot"), png});
        QVERIFY(p.waitForFinished(kTimeout));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1400, 900));
        QVERIFY(QFileInfo(png).size() > 10000);

        // No model: the bundled demo classifier, copied out into the (here temporary) data folder.
        const QString demo = m_dir.filePath(QStringLiteral("demo.png"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        p.setProcessEnvironment(env);
        p.start(executable(), {QStringLiteral("--screenshot"), demo});
        QVERIFY(p.waitForFinished(kTimeout));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QCOMPARE(QImage(demo).size(), QSize(1400, 900));
        QVERIFY(!QDir(m_dir.filePath(QStringLiteral("xdg-data"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
    }

    void screenshotErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no such layer") << QStringList{QStringLiteral("MODEL"), QStringLiteral("--layer"), QStringLiteral("nope")}
                                       << QStringLiteral("has no layer named");
        QTest::newRow("bad model") << QStringList{QStringLiteral("BROKEN")} << QStringLiteral("broken2.safetensors");
        QTest::newRow("missing model") << QStringList{QStringLiteral("MISSING")} << QStringLiteral("missing.pt");
    }

    void screenshotErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const QString broken = m_dir.filePath(QStringLiteral("broken2.safetensors"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("garbage, not a model");
        f.close();
        arguments.replaceInStrings(QStringLiteral("MODEL"), m_model);
        arguments.replaceInStrings(QStringLiteral("BROKEN"), broken);
        arguments.replaceInStrings(QStringLiteral("MISSING"), m_dir.filePath(QStringLiteral("missing.pt")));
        const QString png = m_dir.filePath(QStringLiteral("never.png"));
        arguments << QStringLiteral("--screenshot") << png;
        QProcess p;
        p.start(executable(), arguments);
        QVERIFY(p.waitForFinished(kTimeout));
        const QString err = QString::fromLocal8Bit(p.readAllStandardError());
        QVERIFY(p.exitCode() != 0);
        QVERIFY2(err.contains(expected), qPrintable(err));
        QVERIFY(!QFileInfo::exists(png));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
