#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweeprunner.h"
#include "core/util/syntheticweights.h"
#include "widgets/sweepchart.h"
#include "widgets/sweepview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace hc;

namespace {

struct Layer {
    std::string name;
    std::vector<float> values;
};

// A small model: two Student-t layers (trained-like heavy tails) and a bias too small to compress.
std::vector<Layer> layers()
{
    return {{"block0.weight", studentTWeights(6000, 4.0, 0.02, 11)},
            {"block0.bias", studentTWeights(8, 4.0, 0.02, 12)},
            {"block1.weight", studentTWeights(4000, 5.0, 0.03, 13)}};
}

void writeModel(const QString &path)
{
    SafetensorsWriter writer(path.toStdString());
    const auto ls = layers();
    for (const Layer &l : ls)
        QVERIFY(writer.declareTensor(l.name, "F32", {std::int64_t(l.values.size())}, l.values.size() * 4).ok());
    for (std::size_t i = 0; i < ls.size(); ++i)
        QVERIFY(writer.writeTensor(i, ls[i].values.data(), ls[i].values.size() * 4).ok());
    QVERIFY(writer.commit().ok());
}

void setSmallGrid(SweepView &v)
{
    v.samplesEdit()->setText(QStringLiteral("64,225"));
    v.boxesEdit()->setText(QStringLiteral("0.05,0.1"));
    v.classesEdit()->setText(QStringLiteral("1,3"));
}

SweepGrid smallGrid()
{
    auto g = SweepGrid::parse("64,225", "0.05,0.1", "1,3");
    return *g;
}

void saveShot(QWidget &w, const QString &name)
{
    const QString dir = QStringLiteral(HC_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    const QImage image = w.grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.save(dir + QLatin1Char('/') + name));
}

} // namespace

class TestSweepView : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<const ModelSource> m_source;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("model.safetensors"));
        writeModel(path);
        auto src = SafetensorsSource::open(path.toStdString());
        QVERIFY2(src.ok(), src ? "" : src.error().c_str());
        m_source = std::shared_ptr<const ModelSource>(std::move(src).value());
    }

    void defaultsComeFromTheGrid()
    {
        SweepView v;
        const SweepGrid defaults;
        auto g = v.grid();
        QVERIFY(g.ok());
        QCOMPARE(g->samples, defaults.samples);
        QCOMPARE(g->boxes, defaults.boxes);
        QCOMPARE(g->classes, defaults.classes);
        QCOMPARE(v.classesEdit()->text(), QStringLiteral("1-4"));
        QVERIFY(!v.runButton()->toolTip().isEmpty());
        QVERIFY(!v.samplesEdit()->toolTip().isEmpty());
        // σ mode swaps the untouched absolute default for σ multiples, and back.
        v.boxModeCombo()->setCurrentIndex(1);
        QCOMPARE(v.boxesEdit()->text(), QStringLiteral("1,2,3,4"));
        v.boxModeCombo()->setCurrentIndex(0);
        QCOMPARE(v.boxesEdit()->text(), QStringLiteral("0.05,0.1,0.2"));
    }

    void badListShowsAnErrorAndDoesNotRun()
    {
        SweepView v;
        v.setModel(m_source);
        v.setLayer(0);
        QSignalSpy running(&v, &SweepView::runningChanged);
        v.samplesEdit()->setText(QStringLiteral("64,x"));
        QVERIFY(v.samplesError()->isVisibleTo(&v));
        QVERIFY(v.samplesError()->text().contains(QStringLiteral("\"x\"")));
        QVERIFY(!v.run());
        QVERIFY(!v.isRunning());
        QCOMPARE(running.count(), 0);
        v.samplesEdit()->setText(QStringLiteral("64"));
        QVERIFY(!v.samplesError()->isVisibleTo(&v));
        v.boxesEdit()->setText(QStringLiteral("0.1,-2"));
        QVERIFY(v.boxesError()->isVisibleTo(&v));
        QVERIFY(!v.run());
        v.boxesEdit()->setText(QStringLiteral("0.1"));
        v.classesEdit()->setText(QStringLiteral("4-1"));
        QVERIFY(v.classesError()->isVisibleTo(&v));
        QVERIFY(v.classesError()->text().contains(QStringLiteral("backwards")));
        QVERIFY(!v.run());
        QVERIFY(!v.isRunning());
        QVERIFY(!v.result());
        // No model: nothing to run, said so.
        SweepView empty;
        QVERIFY(!empty.run());
        QVERIFY(!empty.statusLabel()->text().isEmpty());
    }

    void layerSweepMatchesTheRunnerAndClicksApply()
    {
        SweepView v;
        v.resize(1300, 820);
        v.setModel(m_source);
        v.setLayer(0);
        setSmallGrid(v);
        QSignalSpy finished(&v, &SweepView::finished);
        QVERIFY(v.run());
        QVERIFY(v.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isRunning(), 60000);
        QCOMPARE(finished.count(), 1);
        QVERIFY(v.result());
        const SweepGrid grid = smallGrid();
        QCOMPARE(v.chart()->configSeries()->count(), int(grid.size()));
        QCOMPARE(v.table()->rowCount(), int(grid.size()));

        // The front drawn is ParetoFront on the runner's own sweep of that tensor.
        auto data = m_source->read(0);
        QVERIFY(data.ok());
        auto own = SweepRunner::runTensor({"block0.weight", data->view()}, grid);
        QVERIFY(own.ok());
        const auto front = ParetoFront::compute(own->points, ErrorMeasure::RelativeError);
        const QList<QPointF> line = v.chart()->frontSeries()->points();
        QCOMPARE(line.size(), qsizetype(front.size()));
        for (qsizetype i = 0; i < line.size(); ++i) {
            const SweepPoint &p = own->points[front[std::size_t(i)]];
            QCOMPARE(line[i].x(), p.ratio);
            QCOMPARE(line[i].y(), p.metrics.relFro);
        }
        for (std::size_t i = 0; i < grid.size(); ++i)
            QCOMPARE(v.chart()->configSeries()->at(qsizetype(i)).x(), own->points[i].ratio);

        // The baselines, each its own series.
        QVERIFY(v.chart()->comparisonSeries(ComparisonKind::RtnPerTensor)->count() >= 1);
        QVERIFY(v.chart()->comparisonSeries(ComparisonKind::RtnGroup128)->count() >= 1);
        QCOMPARE(v.chart()->comparisonSeries(ComparisonKind::Nf4Block64)->count(), 1);
        QCOMPARE(v.chart()->comparisonSeries(ComparisonKind::Density)->count(), 0); // modes off
        const auto budgets = SweepChartData::baselineBudgets(own->points);
        QCOMPARE(v.chart()->comparisonSeries(ComparisonKind::RtnPerTensor)->count(), qsizetype(budgets.size()));

        // MAE moves the front to ParetoFront by MAE.
        v.setMeasure(ErrorMeasure::Mae);
        const auto maeFront = ParetoFront::compute(own->points, ErrorMeasure::Mae);
        QCOMPARE(v.chart()->frontSeries()->count(), qsizetype(maeFront.size()));
        QCOMPARE(v.chart()->frontSeries()->at(0).y(), own->points[maeFront[0]].metrics.mae);
        v.setMeasure(ErrorMeasure::RelativeError);

        // A real click on a config applies it (box absolute, for this layer).
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QSignalSpy chosen(&v, &SweepView::configChosen);
        const std::size_t pick = front.back();
        const QPoint at = v.chart()->viewportPositionOf(pick);
        QVERIFY(v.chart()->viewport()->rect().contains(at));
        QTest::mouseClick(v.chart()->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(chosen.count(), 1);
        QCOMPARE(chosen[0][0].toInt(), 0);
        const auto params = chosen[0][1].value<CodecParams>();
        QCOMPARE(params.samples, own->points[pick].params.samples);
        QCOMPARE(params.box, own->points[pick].absoluteBox);
        QCOMPARE(params.classes, own->points[pick].params.classes);
        QCOMPARE(params.autoClasses, own->points[pick].params.autoClasses);

        // The handler, for a point that is not on the front.
        std::size_t off = 0;
        while (std::find(front.begin(), front.end(), off) != front.end())
            ++off;
        v.chart()->onConfigClicked(v.chart()->valueOf(off));
        QCOMPARE(chosen.count(), 2);
        QCOMPARE(chosen[1][1].value<CodecParams>().samples, own->points[off].params.samples);
        QCOMPARE(chosen[1][1].value<CodecParams>().classes, own->points[off].params.classes);
        QVERIFY(v.chart()->describeConfig(off).contains(QString::number(own->points[off].params.samples)));

        // The table sorts by the numbers.
        v.table()->sortItems(6, Qt::DescendingOrder); // ratio
        QVERIFY(v.table()->item(0, 6)->data(Qt::UserRole).toDouble() >=
                v.table()->item(v.table()->rowCount() - 1, 6)->data(Qt::UserRole).toDouble());
        saveShot(v, QStringLiteral("sweepview-layer.png"));
    }

    void modesAreTheirOwnSeries()
    {
        SweepView v;
        v.resize(1300, 820);
        v.setModel(m_source);
        v.setLayer(2);
        setSmallGrid(v);
        v.setModesEnabled(true);
        QVERIFY(v.run());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isRunning(), 60000);
        QVERIFY(v.result());
        QCOMPARE(v.chart()->comparisonSeries(ComparisonKind::Density)->count(), 2);
        QCOMPARE(v.chart()->comparisonSeries(ComparisonKind::Lattice)->count(), 3);
        const auto front = ParetoFront::compute(v.result()->points, ErrorMeasure::RelativeError);
        QVERIFY(v.chart()->comparisonSeries(ComparisonKind::PaperEntropy)->count() >= qsizetype(front.size()));
        for (const SweepComparison &c : v.result()->comparisons) {
            QVERIFY(c.ratio > 0);
            if (c.kind == ComparisonKind::PaperEntropy) {
                // Lossless: the grid point's error, never more bytes than fixed-width indices by much.
                const SweepPoint &p = v.result()->points[std::size_t(c.gridIndex)];
                QCOMPARE(c.metrics.relFro, p.metrics.relFro);
            }
            if (c.kind == ComparisonKind::Lattice)
                QVERIFY(c.bitsPerWeight <= c.setting * 1.01 || c.bitsPerWeight > 0);
        }
        saveShot(v, QStringLiteral("sweepview-modes.png"));
    }

    void wholeModelAppliesToEveryLayer()
    {
        SweepView v;
        v.setModel(m_source);
        v.setLayer(0);
        v.setScope(SweepView::Scope::WholeModel);
        setSmallGrid(v);
        QVERIFY(v.run());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isRunning(), 60000);
        QVERIFY(v.result());
        QVERIFY(v.result()->wholeModel());
        auto own = SweepRunner::runModel(*m_source, smallGrid());
        QVERIFY(own.ok());
        QCOMPARE(v.chart()->configSeries()->count(), qsizetype(own->totals.size()));
        const auto front = ParetoFront::compute(own->totals, ErrorMeasure::RelativeError);
        QCOMPARE(v.chart()->frontSeries()->count(), qsizetype(front.size()));
        for (qsizetype i = 0; i < qsizetype(front.size()); ++i)
            QCOMPARE(v.chart()->frontSeries()->at(i).x(), own->totals[front[std::size_t(i)]].ratio);

        // The log axis draws the same points.
        v.resize(1300, 820);
        v.logScaleCheckBox()->setChecked(true);
        QVERIFY(v.chart()->logScale());
        QCOMPARE(v.chart()->configSeries()->count(), qsizetype(own->totals.size()));
        QCOMPARE(v.chart()->configSeries()->at(0).y(), own->totals[0].metrics.relFro);
        saveShot(v, QStringLiteral("sweepview-model-log.png"));

        QSignalSpy chosen(&v, &SweepView::configChosen);
        QSignalSpy perLayer(&v, &SweepView::layerConfigsChosen);
        v.chooseConfig(front.front());
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen[0][0].toInt(), -1);
        QCOMPARE(perLayer.count(), 1);
        const auto map = perLayer[0][0].value<LayerConfigs>();
        QCOMPARE(map.size(), std::size_t(2)); // the bias stays raw
        QVERIFY(map.count("block0.weight") && map.count("block1.weight"));

        // σ mode: each layer gets its own absolute l; no single "all layers" config.
        v.boxModeCombo()->setCurrentIndex(1);
        v.boxesEdit()->setText(QStringLiteral("2"));
        QVERIFY(v.run());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isRunning(), 60000);
        QCOMPARE(v.resultBoxMode(), BoxMode::Sigma);
        chosen.clear();
        perLayer.clear();
        v.chooseConfig(0);
        QCOMPARE(chosen.count(), 0);
        QCOMPARE(perLayer.count(), 1);
        const auto sigmaMap = perLayer[0][0].value<LayerConfigs>();
        const double l0 = sigmaMap.at("block0.weight").box, l1 = sigmaMap.at("block1.weight").box;
        QVERIFY(l0 != l1);
        auto d0 = m_source->read(0);
        QCOMPARE(l0, 2.0 * *BoxResolver::standardDeviation(d0->view()));
    }

    void cancelStopsIt()
    {
        SweepView v;
        v.setModel(m_source);
        v.setScope(SweepView::Scope::WholeModel);
        v.samplesEdit()->setText(QStringLiteral("16-400"));
        v.boxesEdit()->setText(QStringLiteral("0.05,0.1,0.2"));
        v.classesEdit()->setText(QStringLiteral("1-4"));
        QSignalSpy finished(&v, &SweepView::finished);
        QVERIFY(v.run());
        QTest::qWait(100);
        QVERIFY(v.isRunning());
        QElapsedTimer timer;
        timer.start();
        v.cancelButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!v.isRunning(), 10000);
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!v.result());
        QVERIFY(v.statusLabel()->text().contains(QStringLiteral("cancelled")));
    }

    void aNewRunReplacesTheRunningOne()
    {
        SweepView v;
        v.setModel(m_source);
        v.setLayer(0);
        v.samplesEdit()->setText(QStringLiteral("16-400"));
        QVERIFY(v.run());
        QTest::qWait(50);
        setSmallGrid(v);
        QVERIFY(v.run());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isRunning(), 60000);
        QVERIFY(v.result());
        QCOMPARE(v.result()->points.size(), smallGrid().size());
    }

    void retranslates()
    {
        SweepView v;
        v.runButton()->setText(QString());
        QEvent e(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&v, &e);
        QVERIFY(!v.runButton()->text().isEmpty());
    }
};

QTEST_MAIN(TestSweepView)
#include "tst_sweepview.moc"
