#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweeprunner.h"
#include "core/util/syntheticweights.h"
#include "widgets/autotunedialog.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace hc;

namespace {

std::shared_ptr<const ModelSource> writeModel(const QString &path)
{
    SafetensorsWriter writer(path.toStdString());
    const std::vector<std::pair<std::string, std::vector<float>>> ls = {
        {"a.weight", studentTWeights(5000, 4.0, 0.02, 21)},
        {"a.bias", studentTWeights(6, 4.0, 0.02, 22)},
        {"b.weight", studentTWeights(3000, 6.0, 0.05, 23)},
        {"c.weight", gaussianWeights(4000, 0.01, 24)}};
    for (const auto &l : ls)
        writer.declareTensor(l.first, "F32", {std::int64_t(l.second.size())}, l.second.size() * 4);
    for (std::size_t i = 0; i < ls.size(); ++i)
        writer.writeTensor(i, ls[i].second.data(), ls[i].second.size() * 4);
    if (!writer.commit().ok())
        return nullptr;
    auto src = SafetensorsSource::open(path.toStdString());
    return src ? std::shared_ptr<const ModelSource>(std::move(src).value()) : nullptr;
}

SweepGrid testGrid()
{
    return *SweepGrid::parse("16,64,225", "0.02,0.05,0.1", "1-3");
}

void setGrid(AutoTuneDialog &d)
{
    d.samplesEdit()->setText(QStringLiteral("16,64,225"));
    d.boxesEdit()->setText(QStringLiteral("0.02,0.05,0.1"));
    d.classesEdit()->setText(QStringLiteral("1-3"));
}

} // namespace

class TestAutoTuneDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<const ModelSource> m_source;
    std::optional<ModelSweep> m_own;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_source = writeModel(m_dir.filePath(QStringLiteral("m.safetensors")));
        QVERIFY(m_source);
        auto own = SweepRunner::runModel(*m_source, testGrid());
        QVERIFY(own.ok());
        m_own = std::move(own).value();
    }

    void maxErrorTarget()
    {
        AutoTuneDialog d(m_source);
        setGrid(d);
        d.setTarget(AutoTuneDialog::Target::MaxError, 0.2);
        QVERIFY(!d.okButton()->isEnabled());
        QVERIFY(d.run());
        QVERIFY(d.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 60000);
        QVERIFY(d.tuneResult().has_value());
        QVERIFY(d.okButton()->isEnabled());
        QVERIFY(d.targetMet());
        QCOMPARE(d.table()->rowCount(), 4);
        const auto overrides = d.chosenOverrides();
        QCOMPARE(overrides.size(), std::size_t(3)); // the bias stays raw
        for (const LayerSweep &layer : m_own->layers) {
            if (layer.raw) {
                QVERIFY(!overrides.count(layer.name));
                continue;
            }
            QVERIFY(overrides.count(layer.name));
            const CodecParams &p = overrides.at(layer.name);
            // Find the runner's own point for these params.
            long found = -1;
            for (std::size_t i = 0; i < layer.points.size(); ++i) {
                const CodecParams &q = layer.points[i].params;
                if (q.samples == p.samples && layer.points[i].absoluteBox == p.box && q.classes == p.classes &&
                    q.autoClasses == p.autoClasses)
                    found = long(i);
            }
            QVERIFY2(found >= 0, layer.name.c_str());
            QVERIFY(layer.points[std::size_t(found)].metrics.relFro <= 0.2);
            const auto front = ParetoFront::compute(layer.points, ErrorMeasure::RelativeError);
            QVERIFY(std::find(front.begin(), front.end(), std::size_t(found)) != front.end());
            // The best on the front within the error: no front point of higher ratio meets it too.
            for (std::size_t i : front)
                if (layer.points[i].ratio > layer.points[std::size_t(found)].ratio)
                    QVERIFY(layer.points[i].metrics.relFro > 0.2);
        }
        QVERIFY(d.totalsLabel()->text().contains(QStringLiteral("target met")));

        // A tighter target re-tunes at once from the same sweep; one no layer can meet is flagged.
        d.setTarget(AutoTuneDialog::Target::MaxError, 0.0001);
        QVERIFY(!d.isRunning());
        QVERIFY(!d.targetMet());
        QVERIFY(d.totalsLabel()->text().contains(QStringLiteral("not met")));
        QVERIFY(d.okButton()->isEnabled());

        d.resize(900, 600);
        d.setTarget(AutoTuneDialog::Target::MaxError, 0.2);
        QDir().mkpath(QStringLiteral(HC_BINARY_DIR "/screenshots"));
        QVERIFY(d.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/autotunedialog.png")));
    }

    void ratioTarget()
    {
        AutoTuneDialog d(m_source);
        setGrid(d);
        d.setTarget(AutoTuneDialog::Target::TotalRatio, 5.0);
        QVERIFY(d.run());
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 60000);
        QVERIFY(d.targetMet());
        QVERIFY(d.tuneResult()->totals.ratio >= 5.0);
        // The totals, recomputed from the runner's own points for the chosen params.
        std::vector<const SweepPoint *> chosen;
        std::uint64_t raw = 0;
        const auto overrides = d.chosenOverrides();
        for (const LayerSweep &layer : m_own->layers) {
            if (layer.raw) {
                raw += layer.bytesIn;
                continue;
            }
            const CodecParams &p = overrides.at(layer.name);
            for (const SweepPoint &q : layer.points)
                if (q.params.samples == p.samples && q.absoluteBox == p.box && q.params.classes == p.classes)
                    chosen.push_back(&q);
        }
        QCOMPARE(chosen.size(), std::size_t(3));
        const SweepPoint total = SweepRunner::total(chosen, raw);
        QVERIFY(total.ratio >= 5.0);
        QCOMPARE(total.ratio, d.tuneResult()->totals.ratio);
        // An impossible ratio is reported as not met.
        d.setTarget(AutoTuneDialog::Target::TotalRatio, 900.0);
        QVERIFY(!d.targetMet());
    }

    void sigmaBoxesAreResolvedPerLayer()
    {
        AutoTuneDialog d(m_source);
        d.samplesEdit()->setText(QStringLiteral("64,225"));
        d.boxModeCombo()->setCurrentIndex(1);
        QCOMPARE(d.boxesEdit()->text(), QStringLiteral("1,2,3,4"));
        d.classesEdit()->setText(QStringLiteral("1,2"));
        d.setTarget(AutoTuneDialog::Target::MaxError, 0.3);
        QVERIFY(d.run());
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 60000);
        const auto overrides = d.chosenOverrides();
        for (const auto &[name, p] : overrides) {
            const long i = m_source->indexOf(name);
            auto data = m_source->read(std::size_t(i));
            const double sigma = *BoxResolver::standardDeviation(data->view());
            const double multiple = p.box / sigma;
            QVERIFY2(std::fabs(multiple - std::round(multiple)) < 1e-9, name.c_str());
        }
    }

    void badGridAndCancel()
    {
        AutoTuneDialog d(m_source);
        d.samplesEdit()->setText(QStringLiteral("64,,225"));
        QVERIFY(!d.run());
        QVERIFY(d.statusLabel()->text().contains(QStringLiteral("empty entry")));
        d.samplesEdit()->setText(QStringLiteral("16-600"));
        QVERIFY(d.run());
        QTest::qWait(50);
        QVERIFY(d.isRunning());
        d.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 10000);
        QVERIFY(!d.tuneResult().has_value());
        QVERIFY(!d.okButton()->isEnabled());
        QVERIFY(d.chosenOverrides().empty());
    }

    void retranslates()
    {
        AutoTuneDialog d(m_source);
        d.runButton()->setText(QString());
        QEvent e(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&d, &e);
        QVERIFY(!d.runButton()->text().isEmpty());
        QVERIFY(!d.runButton()->toolTip().isEmpty());
    }
};

QTEST_MAIN(TestAutoTuneDialog)
#include "tst_autotunedialog.moc"
