#include "core/archive/modelcompressor.h"
#include "core/io/safetensorswriter.h"
#include "core/torch/demomodel.h"
#include "core/torch/modelfiles.h"
#include "core/torch/torchscriptrunner.h"
#include "widgets/verifyview.h"

#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace hc;

namespace {

constexpr int kTimeout = 90000;

QString demoModule() { return QStringLiteral(HC_SOURCE_DIR "/resources/demo/demo_classifier.pt"); }
QString demoTestset() { return QStringLiteral(HC_SOURCE_DIR "/resources/demo/demo_testset.safetensors"); }
QString nequip() { return QStringLiteral(HC_SHARED_DIR "/models/nequip_water.pt"); }

} // namespace

class TestVerifyView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_archive; // the demo compressed with the paper's defaults

    bool runAndWait(VerifyView &view)
    {
        QSignalSpy done(&view, &VerifyView::finished);
        if (!view.run())
            return false;
        if (!done.wait(kTimeout) && done.isEmpty())
            return false;
        return done.at(0).at(0).toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_archive = m_dir.filePath(QStringLiteral("demo.hca"));
        auto src = openModel(demoModule().toStdString());
        QVERIFY2(src.ok(), src.ok() ? "" : src.error().c_str());
        auto report = ModelCompressor(CompressionConfig{}).compress(**src, m_archive.toStdString());
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().c_str());
    }

    void parsesShapesAndSchemas()
    {
        QCOMPARE(*VerifyView::parseShape(QStringLiteral("1, 32")), (std::vector<std::int64_t>{1, 32}));
        QCOMPARE(*VerifyView::parseShape(QStringLiteral("[8, 3, 224, 224]")), (std::vector<std::int64_t>{8, 3, 224, 224}));
        QCOMPARE(*VerifyView::parseShape(QStringLiteral("4x32")), (std::vector<std::int64_t>{4, 32}));
        QCOMPARE(*VerifyView::parseShape(QStringLiteral("16")), (std::vector<std::int64_t>{16}));
        QCOMPARE(*VerifyView::parseShape(QStringLiteral("(2 3)")), (std::vector<std::int64_t>{2, 3}));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("")));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("1, x")));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("1,,2")));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("1, -3")));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("1, a")));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("0, 3")));
        QVERIFY(!VerifyView::parseShape(QStringLiteral("100000, 100000")));
        QVERIFY(VerifyView::takesOneTensor(QStringLiteral("forward(__torch__.Net self, Tensor x) -> Tensor")));
        QVERIFY(VerifyView::takesOneTensor(QStringLiteral("forward(__torch__.Net self, Tensor x, bool flag=False) -> Tensor")));
        QVERIFY(!VerifyView::takesOneTensor(QStringLiteral("forward(__torch__.Net self, Dict(str, Tensor) data) -> Dict(str, Tensor)")));
        QVERIFY(!VerifyView::takesOneTensor(QStringLiteral("forward(__torch__.Net self, Tensor x, Tensor y) -> Tensor")));
        QVERIFY(!VerifyView::takesOneTensor(QStringLiteral("forward(__torch__.Net self) -> Tensor")));
        // The real demo module's schema as LibTorch prints it.
        auto runner = TorchScriptRunner::load(demoModule().toStdString());
        QVERIFY(runner.ok());
        QVERIFY2(VerifyView::takesOneTensor(QString::fromStdString((*runner)->forwardSchema())),
                 (*runner)->forwardSchema().c_str());
    }

    void demoAccuracyBeforeAndAfter()
    {
        VerifyView view;
        view.resize(900, 700);
        view.setDemo(demoModule(), demoTestset());
        view.setArchive(m_archive);
        QVERIFY(runAndWait(view));
        QVERIFY(view.outcome().has_value());
        const VerifyView::Outcome &o = *view.outcome();
        auto before = DemoModel::accuracy(demoModule().toStdString(), demoTestset().toStdString());
        QVERIFY(before.ok());
        QVERIFY(o.hasAccuracy);
        QCOMPARE(o.accuracyBefore, *before);
        qInfo("demo accuracy %.4f -> %.4f; output rel. error %.4g, cosine %.6f, arg-max kept %.4f",
              o.accuracyBefore, o.accuracyAfter, o.relativeError, o.cosine, o.argmaxAgreement);
        QVERIFY(std::fabs(o.accuracyAfter - o.accuracyBefore) <= 0.03);
        QCOMPARE(o.testCount, std::size_t(2000));
        // 256 random rows of 32 through the classifier: close, but not identical outputs.
        QCOMPARE(o.outputShape, (std::vector<std::int64_t>{256, 10}));
        QCOMPARE(o.rows, std::size_t(256));
        QVERIFY(o.maxAbsError > 0);
        QVERIFY(o.relativeError < 0.2);
        QVERIFY(o.cosine > 0.98);
        QVERIFY(o.argmaxAgreement > 0.85);
        QVERIFY(view.resultTable()->item(VerifyView::RowArgmax, 1)->text().contains(QStringLiteral("of 256 rows")));
        QVERIFY(view.accuracyText().contains(QStringLiteral("points")));
        QVERIFY(view.messageText().startsWith(QStringLiteral("Checked")));

        // The same seed gives the same figures; another seed other ones.
        const double rel = o.relativeError;
        QVERIFY(runAndWait(view));
        QCOMPARE(view.outcome()->relativeError, rel);
        view.setSeed(7);
        QVERIFY(runAndWait(view));
        QVERIFY(view.outcome()->relativeError != rel);

        QDir().mkpath(QStringLiteral(HC_BINARY_DIR "/screenshots"));
        view.setSeed(0);
        QVERIFY(runAndWait(view));
        QVERIFY(view.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/verifyview.png")));
    }

    void loadedInputTensor()
    {
        // One tensor in a safetensors file, as the "load input tensor" option expects.
        auto input = TorchScriptRunner::randomInput({5, 32}, 3);
        QVERIFY(input.ok());
        const QString path = m_dir.filePath(QStringLiteral("input.safetensors"));
        {
            SafetensorsWriter w(path.toStdString());
            QVERIFY(w.declareTensor("x", "F32", {5, 32}, input->bytes.size()).ok());
            QVERIFY(w.writeTensor(0, input->bytes.data(), input->bytes.size()).ok());
            QVERIFY(w.commit().ok());
        }
        VerifyView view;
        view.setModel(demoModule());
        view.setArchive(m_archive);
        view.setInputFile(path);
        QCOMPARE(view.inputMode(), VerifyView::InputMode::File);
        QVERIFY(runAndWait(view));
        QCOMPARE(view.outcome()->rows, std::size_t(5));
        QVERIFY(!view.outcome()->hasAccuracy); // not set up as the demo
    }

    void clearMessages_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("expected");
        QTest::newRow("forward takes a dict") << nequip() << QStringLiteral("1, 32")
                                              << QStringLiteral("Verify needs a TorchScript model whose forward takes one tensor");
        QTest::newRow("not TorchScript") << QStringLiteral("TESTSET") << QStringLiteral("1, 32")
                                         << QStringLiteral("Verify needs a TorchScript model whose forward takes one tensor");
        QTest::newRow("wrong input shape") << demoModule() << QStringLiteral("1, 31") << QStringLiteral("forward failed");
        QTest::newRow("bad shape text") << demoModule() << QStringLiteral("1, x") << QStringLiteral("is not an input shape");
    }

    void clearMessages()
    {
        QFETCH(QString, model);
        QFETCH(QString, shape);
        QFETCH(QString, expected);
        if (model == QLatin1String("TESTSET"))
            model = demoTestset();
        if (!QFileInfo::exists(model))
            QSKIP("model file missing");
        VerifyView view;
        view.resize(900, 700);
        view.setModel(model);
        view.setArchive(m_archive);
        view.setInputShape(shape);
        QSignalSpy done(&view, &VerifyView::finished);
        view.run();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kTimeout);
        QCOMPARE(done.at(0).at(0).toBool(), false);
        const QString message = done.at(0).at(1).toString();
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(view.messageText(), message);
        QVERIFY(!view.outcome().has_value());
        QVERIFY(view.runButton()->isEnabled());
        if (model == nequip())
            QVERIFY(view.grab().save(QStringLiteral(HC_BINARY_DIR "/screenshots/verifyview_error.png")));
    }

    void missingInputs()
    {
        VerifyView view;
        QSignalSpy done(&view, &VerifyView::finished);
        QVERIFY(!view.run());
        QVERIFY(view.messageText().contains(QStringLiteral("original")));
        view.setModel(demoModule());
        QVERIFY(!view.run());
        QVERIFY(view.messageText().contains(QStringLiteral("archive")));
        view.setArchive(m_dir.filePath(QStringLiteral("nope.hca")));
        QVERIFY(!view.run());
        QVERIFY(view.messageText().contains(QStringLiteral("does not exist")));
        QCOMPARE(done.count(), 3);
    }

    void retranslates()
    {
        VerifyView view;
        const QString text = view.runButton()->text();
        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&view, &change);
        QCOMPARE(view.runButton()->text(), text);
        QVERIFY(!view.runButton()->toolTip().isEmpty());
        QCOMPARE(view.findChild<QSpinBox *>()->text(), QStringLiteral("0"));
        view.show();
        QCOMPARE(view.findChild<QSpinBox *>()->text(), QStringLiteral("0"));
    }
};

QTEST_MAIN(TestVerifyView)
#include "tst_verifyview.moc"
