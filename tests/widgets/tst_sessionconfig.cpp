// The session's per-layer settings as a document: undo and redo, saving and loading configs,
// asking before unsaved settings are discarded, and the crash-safe autosave (issue 8).
#include "core/config/compressionconfig.h"
#include "core/io/safetensorswriter.h"
#include "core/util/syntheticweights.h"
#include "widgets/codeccontrols.h"
#include "widgets/layertablemodel.h"
#include "widgets/mainwindow.h"
#include "widgets/sweepview.h"
#include "widgets/wholemodelview.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

using namespace hc;

namespace {

constexpr int kTimeout = 30000;

void writeModel(const QString &path)
{
    SafetensorsWriter w(path.toStdString());
    const auto a = studentTWeights(64 * 48, 4.0, 0.05, 1);
    const auto b = studentTWeights(32 * 32, 4.0, 0.05, 2);
    QVERIFY(w.declareTensor("first.weight", "F32", {64, 48}, a.size() * 4).ok());
    QVERIFY(w.declareTensor("second.weight", "F32", {32, 32}, b.size() * 4).ok());
    QVERIFY(w.writeTensor(0, a.data(), a.size() * 4).ok());
    QVERIFY(w.writeTensor(1, b.data(), b.size() * 4).ok());
    QVERIFY(w.commit().ok());
}

// Presses `button` on the next message box that comes up, and records its text.
void answerNextMessageBox(QMessageBox::StandardButton button, QString *text = nullptr)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, button, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        if (text)
            *text = box->text();
        box->button(button)->click();
        timer->stop();
        timer->deleteLater();
    });
    timer->start();
}

} // namespace

class TestSessionConfig : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_model;

    void openAndSettle(MainWindow &w)
    {
        w.show();
        w.openModel(m_model, QStringLiteral("first.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(w.model() != nullptr, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings and the autosave go under ~/.qttest
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("model.safetensors"));
        writeModel(m_model);
    }
    void init() { QFile::remove(MainWindow::autosavePath()); }

    void undoRedoOfLayerSettings()
    {
        MainWindow w;
        openAndSettle(w);
        QVERIFY(!w.hasUnsavedConfig());
        const CompressionConfig original = w.currentConfig();
        w.controls()->setScope(CodecControls::Scope::ThisLayer);
        w.controls()->samplesSpinBox()->setValue(400);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QVERIFY(w.hasUnsavedConfig());
        const CompressionConfig changed = w.currentConfig();
        QCOMPARE(changed.layers.size(), std::size_t(1));
        QCOMPARE(*changed.layers.at("first.weight").samples, 400);

        w.undoStack()->undo();
        QVERIFY(w.currentConfig() == original);
        QCOMPARE(w.controls()->params().samples, original.defaults.samples);
        QVERIFY(!w.hasUnsavedConfig());
        w.undoStack()->redo();
        QVERIFY(w.currentConfig() == changed);
        QCOMPARE(w.controls()->params().samples, 400);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
    }

    void aDragIsOneUndoStep()
    {
        MainWindow w;
        openAndSettle(w);
        w.controls()->setScope(CodecControls::Scope::ThisLayer);
        const int before = w.undoStack()->count();
        QSlider *slider = w.controls()->samplesSlider();
        slider->setSliderDown(true);
        for (int step = 1; step <= 5; ++step)
            slider->setValue(slider->value() + slider->singleStep() * 3);
        slider->setSliderDown(false);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QCOMPARE(w.undoStack()->count(), before + 1);
        // A later change is a step of its own.
        QVERIFY(w.controls()->samplesSpinBox()->value() != 100);
        w.controls()->samplesSpinBox()->setValue(100);
        QCOMPARE(w.undoStack()->count(), before + 2);
    }

    void applySettingsFromOutside()
    {
        MainWindow w;
        openAndSettle(w);
        CodecParams p;
        p.samples = 64;
        p.box = 0.2;
        p.classes = 2;
        p.autoClasses = false;
        w.setLayerParams(1, p, QStringLiteral("Apply a sweep point"));
        QCOMPARE(w.layerModel()->layer(1).params.samples, 64);
        QVERIFY(w.layerModel()->layer(1).overridden);
        QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Apply a sweep point"));
        w.undoStack()->undo();
        QVERIFY(!w.layerModel()->layer(1).overridden);
    }

    void wholeModelTabFollowsTheSettingsAndFillsTheTable()
    {
        MainWindow w;
        openAndSettle(w);
        WholeModelView *whole = w.wholeModelView();
        whole->compress();
        QTRY_VERIFY_WITH_TIMEOUT(!whole->isBusy() && whole->report(), kTimeout);
        QVERIFY(!whole->isStale());
        for (int row = 0; row < 2; ++row) {
            QVERIFY(w.layerModel()->layer(row).evaluated);
            QVERIFY(w.layerModel()->layer(row).ratio > 4);
        }
        // A change of the settings makes the last compression stale.
        w.controls()->setScope(CodecControls::Scope::ThisLayer);
        w.controls()->samplesSpinBox()->setValue(64);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        QVERIFY(whole->isStale());
    }

    void sweepPointsAndAutoTuneAreUndoable()
    {
        MainWindow w;
        openAndSettle(w);
        CodecParams p;
        p.samples = 100;
        p.box = 0.15;
        p.classes = 2;
        p.autoClasses = false;
        Q_EMIT w.sweepView()->configChosen(1, p);
        QVERIFY(w.layerModel()->layer(1).overridden);
        QCOMPARE(w.layerModel()->layer(1).params.samples, 100);
        // A whole-model result: every layer at once, one undo step.
        const std::map<std::string, CodecParams> all{{"first.weight", p}, {"second.weight", p}};
        const int before = w.undoStack()->count();
        w.setLayerOverrides(all, QStringLiteral("Auto-Tune"));
        QCOMPARE(w.undoStack()->count(), before + 1);
        QVERIFY(w.layerModel()->layer(0).overridden);
        QCOMPARE(w.controls()->params().samples, 100); // the shown layer follows
        w.undoStack()->undo();
        QVERIFY(!w.layerModel()->layer(0).overridden);
        QVERIFY(w.layerModel()->layer(1).overridden);
        w.undoStack()->undo();
        QVERIFY(!w.layerModel()->layer(1).overridden);
    }

    void saveAndLoadConfig()
    {
        MainWindow w;
        openAndSettle(w);
        w.controls()->setScope(CodecControls::Scope::ThisLayer);
        w.controls()->samplesSpinBox()->setValue(144);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        const QString path = m_dir.filePath(QStringLiteral("chosen.json"));
        QVERIFY(w.saveConfig(path));
        QVERIFY(!w.hasUnsavedConfig());
        auto loaded = CompressionConfig::load(path.toStdString());
        QVERIFY(loaded);
        QVERIFY(*loaded == w.currentConfig());

        MainWindow other;
        openAndSettle(other);
        other.setConfig(*loaded, QStringLiteral("Load"));
        QCOMPARE(other.layerModel()->layer(0).params.samples, 144);
        QVERIFY(other.currentConfig() == *loaded);
    }

    void asksBeforeDiscardingUnsavedSettings()
    {
        MainWindow w;
        openAndSettle(w);
        w.controls()->setScope(CodecControls::Scope::ThisLayer);
        w.controls()->samplesSpinBox()->setValue(400);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), kTimeout);
        // Cancel keeps the window open and the settings.
        QString text;
        answerNextMessageBox(QMessageBox::Cancel, &text);
        QVERIFY(!w.close());
        QVERIFY(text.contains(QStringLiteral("model.safetensors")));
        QVERIFY(w.hasUnsavedConfig());
        // Discard closes and drops the autosave: nothing to restore next time.
        answerNextMessageBox(QMessageBox::Discard);
        QVERIFY(w.close());
        QVERIFY(!QFile::exists(MainWindow::autosavePath()));
    }

    void autosaveIsRestoredOnTheNextStart()
    {
        CompressionConfig expected;
        {
            MainWindow w;
            openAndSettle(w);
            w.controls()->setScope(CodecControls::Scope::ThisLayer);
            w.controls()->samplesSpinBox()->setValue(900);
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(MainWindow::autosavePath()), kTimeout);
            expected = w.currentConfig();
            // A crash: the window goes away without closing, the autosave stays.
            w.setBatchMode(true);
        }
        QVERIFY(QFile::exists(MainWindow::autosavePath()));
        MainWindow next;
        next.show();
        QVERIFY(next.restoreAutosave(false));
        QTRY_VERIFY_WITH_TIMEOUT(next.model() != nullptr, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(next.isSettled(), kTimeout);
        QVERIFY(next.currentConfig() == expected);
        QVERIFY(next.hasUnsavedConfig()); // restored, still not saved anywhere
    }

    void damagedAutosaveIsIgnored()
    {
        QDir().mkpath(QFileInfo(MainWindow::autosavePath()).absolutePath());
        QFile f(MainWindow::autosavePath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        MainWindow w;
        QVERIFY(!w.restoreAutosave(false));
        QVERIFY(!QFile::exists(MainWindow::autosavePath()));
    }
};

QTEST_MAIN(TestSessionConfig)
#include "tst_sessionconfig.moc"
