#include "widgets/sweepgridfields.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QWidget>
#include <QtTest>

using namespace hc;

class TestSweepGridFields : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsReadAsTheDefaultGrid()
    {
        QWidget host;
        SweepGridFields fields(&host);
        QCOMPARE(fields.samplesEdit()->parent(), &host);
        QCOMPARE(fields.samplesEdit()->text(), QStringLiteral("64,100,144,225,400,900,1600"));
        QCOMPARE(fields.boxesEdit()->text(), QStringLiteral("0.05,0.1,0.2"));
        QCOMPARE(fields.classesEdit()->text(), QStringLiteral("1-4"));
        QCOMPARE(fields.samplesLabel()->buddy(), fields.samplesEdit());
        QCOMPARE(fields.classesLabel()->buddy(), fields.classesEdit());
        QVERIFY(!fields.errors().any());
        const auto g = fields.grid();
        QVERIFY(g.ok());
        const SweepGrid defaults;
        QCOMPARE(g->samples, defaults.samples);
        QCOMPARE(g->boxes, defaults.boxes);
        QCOMPARE(g->classes, defaults.classes);
        QVERIFY(!g->autoClasses);
        QCOMPARE(g->boxMode, BoxMode::Absolute);
    }

    void formatsLists()
    {
        QCOMPARE(SweepGridFields::formatIntegers({1, 2, 3, 4, 7, 9, 10}), QStringLiteral("1-4,7,9,10"));
        QCOMPARE(SweepGridFields::formatIntegers({}), QString());
        QCOMPARE(SweepGridFields::formatReals({0.05, 1.5}), QStringLiteral("0.05,1.5"));
    }

    void eachFieldHasItsError()
    {
        QWidget host;
        SweepGridFields fields(&host);
        fields.samplesEdit()->setText(QStringLiteral("64,x"));
        fields.boxesEdit()->setText(QString());
        auto e = fields.errors();
        QVERIFY(!e.samples.empty());
        QVERIFY(!e.boxes.empty()); // an empty field is an error, not "the defaults"
        QVERIFY(e.classes.empty());
        QVERIFY(e.any());
        // grid() gives the first field's error.
        auto g = fields.grid();
        QVERIFY(!g.ok());
        QCOMPARE(g.error(), e.samples);
        fields.samplesEdit()->setText(QStringLiteral("100"));
        g = fields.grid();
        QVERIFY(!g.ok());
        QCOMPARE(g.error(), fields.errors().boxes);
        fields.boxesEdit()->setText(QStringLiteral("0.1"));
        fields.classesEdit()->setText(QStringLiteral("0"));
        QVERIFY(!fields.errors().classes.empty());
        QVERIFY(!fields.grid().ok());
    }

    void automaticClassesAndSigmaBoxes()
    {
        QWidget host;
        SweepGridFields fields(&host);
        fields.classesEdit()->setText(QStringLiteral(" 2-3 "));
        QCOMPARE(fields.classesText(), std::string("2-3"));
        fields.classesModeCombo()->setCurrentIndex(1);
        QVERIFY(fields.automaticClasses());
        QCOMPARE(fields.classesText(), std::string("auto:2-3"));
        fields.classesEdit()->setText(QStringLiteral("auto:4"));
        QCOMPARE(fields.classesText(), std::string("auto:4")); // not prefixed twice

        // Switching to σ swaps the absolute default list for the σ one, and back.
        QSignalSpy edited(fields.boxesEdit(), &QLineEdit::textChanged);
        fields.boxModeCombo()->setCurrentIndex(1);
        QCOMPARE(fields.boxMode(), BoxMode::Sigma);
        QCOMPARE(fields.boxesEdit()->text(), QStringLiteral("1,2,3,4"));
        QCOMPARE(edited.count(), 1);
        const auto g = fields.grid();
        QVERIFY(g.ok());
        QCOMPARE(g->boxMode, BoxMode::Sigma);
        QVERIFY(g->autoClasses);
        QCOMPARE(g->classes, (std::vector<int>{4}));
        fields.boxModeCombo()->setCurrentIndex(0);
        QCOMPARE(fields.boxesEdit()->text(), QStringLiteral("0.05,0.1,0.2"));
        // A list the user typed is never replaced.
        fields.boxesEdit()->setText(QStringLiteral("0.3"));
        edited.clear();
        fields.boxModeCombo()->setCurrentIndex(1);
        QCOMPARE(fields.boxesEdit()->text(), QStringLiteral("0.3"));
        QCOMPARE(edited.count(), 0);
        QCOMPARE(SweepGridFields::boxesForMode(QStringLiteral(" 1,2,3,4 "), BoxMode::Absolute),
                 QStringLiteral("0.05,0.1,0.2"));
        QCOMPARE(SweepGridFields::boxesForMode(QStringLiteral("1,2,3,4"), BoxMode::Sigma), QStringLiteral("1,2,3,4"));
    }

    void retranslates()
    {
        QWidget host;
        SweepGridFields fields(&host);
        QVERIFY(fields.samplesLabel()->text().isEmpty());
        fields.retranslateUi();
        QCOMPARE(fields.samplesLabel()->text(), QStringLiteral("&U samples:"));
        QCOMPARE(fields.boxesLabel()->text(), QStringLiteral("&l box:"));
        QCOMPARE(fields.classesLabel()->text(), QStringLiteral("&K classes:"));
        QCOMPARE(fields.boxModeCombo()->itemText(1), QStringLiteral("× σ"));
        QCOMPARE(fields.classesModeCombo()->itemText(1), QStringLiteral("auto up to"));
        QVERIFY(!fields.samplesEdit()->toolTip().isEmpty());
        QVERIFY(!fields.boxModeCombo()->toolTip().isEmpty());
    }
};

QTEST_MAIN(TestSweepGridFields)
#include "tst_sweepgridfields.moc"
