// The About, Help and Preferences dialogs and the language switch, run offscreen.
#include "widgets/aboutdialog.h"
#include "widgets/helpdialog.h"
#include "widgets/languagemanager.h"
#include "widgets/preferencesdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QIcon>
#include <QLabel>
#include <QLibraryInfo>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QResource>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <algorithm>

using namespace hc;

namespace {

// Counts pixels of `image` inside `rect` (device pixels) that are not `background`.
int countNot(const QImage &image, const QRect &rect, QRgb background)
{
    int n = 0;
    const QRect r = rect.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += (image.pixel(x, y) & 0xffffff) != (background & 0xffffff);
    return n;
}

// Counts pixels within `tolerance` of `colour` in each channel.
int countNear(const QImage &image, QColor colour, int tolerance)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - colour.red()) <= tolerance && std::abs(c.green() - colour.green()) <= tolerance
                && std::abs(c.blue() - colour.blue()) <= tolerance;
        }
    return n;
}

QString labelText(const QWidget &w, const char *name)
{
    auto *label = w.findChild<QLabel *>(QString::fromLatin1(name));
    return label ? label->text() : QString();
}

// Counts LanguageChange events that reach a widget.
class LanguageChangeCounter : public QWidget {
public:
    int count = 0;

protected:
    void changeEvent(QEvent *event) override
    {
        if (event->type() == QEvent::LanguageChange)
            ++count;
        QWidget::changeEvent(event);
    }
};

} // namespace

class TestDialogs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void aboutShowsVersionPaperAndLibraries();
    void applicationIconFromResources();
    void helpDiagramRenders();
    void helpDialogShowsDiagramAndSections();
    void preferencesDefaults();
    void preferencesRoundTrip();
    void preferencesDialogSavesOnOkOnly();
    void preferencesRejectCorruptValues_data();
    void preferencesRejectCorruptValues();
    void languageResolution_data();
    void languageResolution();
    void languageSwitchLoadsCatalogsAndRetranslates();

private:
    QTemporaryDir m_settingsDir;
};

void TestDialogs::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    // A private settings scope: nothing the tests write can reach the user's real settings.
    QCoreApplication::setOrganizationName(QStringLiteral("hypercomp-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_dialogs"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
}

void TestDialogs::init()
{
    QSettings().clear();
}

void TestDialogs::aboutShowsVersionPaperAndLibraries()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    const QString iconFile =
        QStringLiteral(HC_SOURCE_DIR "/resources/icons/hicolor/128x128/apps/io.github.hypercomp.Workbench.png");
    QVERIFY(QFile::exists(iconFile));
    QApplication::setWindowIcon(QIcon(iconFile));
    AboutDialog about;
    about.show();
    QVERIFY(QTest::qWaitForWindowExposed(&about));
    QVERIFY(labelText(about, "version").contains(QLatin1String("9.8.7")));
    QVERIFY(labelText(about, "title").contains(QLatin1String("HyperComp")));
    QVERIFY(labelText(about, "paper").contains(QLatin1String("2409.00592")));
    QVERIFY(labelText(about, "paper").contains(AboutDialog::paperUrl()));
    QVERIFY(labelText(about, "license").contains(QLatin1String("MIT")));
    const QString libraries = labelText(about, "libraries");
    QVERIFY2(libraries.contains(QString::fromLatin1(qVersion())), qPrintable(libraries));
    QVERIFY(libraries.contains(QLatin1String("LibTorch")));
    // When LibTorch is mapped into this process (hc_widgets links hc_torch), its version is shown.
    QFile maps(QStringLiteral("/proc/self/maps"));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    if (maps.readAll().contains("/libtorch_cpu.so.")) {
        const QString version = AboutDialog::libTorchVersion();
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+\\.[0-9]+")).match(version).hasMatch(), qPrintable(version));
        QVERIFY(libraries.contains(QStringLiteral("LibTorch ") + version));
    }
    QVERIFY(!labelText(about, "description").isEmpty());
    auto *icon = about.findChild<QLabel *>(QStringLiteral("icon"));
    QVERIFY(icon && !icon->pixmap().isNull());

    const QImage shot = about.grab().toImage();
    QVERIFY(!shot.isNull());
    QVERIFY(shot.width() >= 520);
    if (qEnvironmentVariableIsSet("HC_DIALOG_SHOTS"))
        shot.save(qEnvironmentVariable("HC_DIALOG_SHOTS") + QStringLiteral("/about.png"));
}

void TestDialogs::applicationIconFromResources()
{
    // Compile resources/icons/icons.qrc as the app would, and check every size resolves.
    const QString rcc = QLibraryInfo::path(QLibraryInfo::LibraryExecutablesPath) + QStringLiteral("/rcc");
    QVERIFY2(QFile::exists(rcc), qPrintable(rcc));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString binary = dir.filePath(QStringLiteral("icons.rcc"));
    QProcess process;
    process.start(rcc,
                  {QStringLiteral("-binary"), QStringLiteral(HC_SOURCE_DIR "/resources/icons/icons.qrc"),
                   QStringLiteral("-o"), binary});
    QVERIFY(process.waitForFinished(30000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QVERIFY(QResource::registerResource(binary));
    const QIcon icon = AboutDialog::applicationIcon();
    const QList<QSize> sizes = icon.availableSizes();
    QCOMPARE(sizes.size(), 6);
    for (const int size : {16, 32, 48, 64, 128, 256})
        QVERIFY2(sizes.contains(QSize(size, size)), qPrintable(QString::number(size)));
    QCOMPARE(icon.pixmap(QSize(256, 256)).size(), QSize(256, 256));
    QVERIFY(QResource::unregisterResource(binary));
}

void TestDialogs::helpDiagramRenders()
{
    for (const qreal dpr : {1.0, 2.0}) {
        const QImage image = HelpDialog::renderDiagram(dpr);
        QCOMPARE(image.size(), HelpDialog::diagramSize() * dpr);
        const QRectF box = HelpDialog::diagramBoxRect();
        const QRect deviceBox(QPointF(box.topLeft() * dpr).toPoint(), QPointF(box.bottomRight() * dpr).toPoint());
        // Box fill, trajectory, samples and frame: nearly every pixel of the box is drawn on.
        const int drawn = countNot(image, deviceBox, qRgb(255, 255, 255));
        QVERIFY2(drawn > deviceBox.width() * deviceBox.height() * 9 / 10, qPrintable(QString::number(drawn)));
        // The samples are dark dots on the light box: there must be many dark pixels inside it.
        const QImage inside = image.copy(deviceBox.adjusted(4, 4, -4, -4));
        QVERIFY(countNear(inside, QColor(0x1d, 0x35, 0x57), 40) > 49 * dpr * dpr);
        // The outlier's red arrow lies outside the box.
        QVERIFY(countNear(image, QColor(0xd6, 0x28, 0x28), 40) > 40 * dpr);
        // The corner far from everything stays background.
        QCOMPARE(countNot(image, QRect(0, int(image.height() - 10 * dpr), int(10 * dpr), int(10 * dpr)),
                          qRgb(255, 255, 255)),
                 0);
    }
}

void TestDialogs::helpDialogShowsDiagramAndSections()
{
    HelpDialog help;
    help.show();
    QVERIFY(QTest::qWaitForWindowExposed(&help));
    const QString text = help.browser()->toPlainText();
    for (const char *word : {"MAE", "Max error", "Relative error", "SQNR", "Bits per weight", "Ratio", "RTN"})
        QVERIFY2(text.contains(QLatin1String(word)), word);
    for (const HelpDialog::Shortcut &s : HelpDialog::shortcuts())
        QVERIFY2(text.contains(s.keys.toString(QKeySequence::NativeText)), qPrintable(s.keys.toString()));
    QCOMPARE(HelpDialog::shortcuts().size(), 13);

    const QImage shot = help.grab().toImage();
    QVERIFY(!shot.isNull());
    // The diagram is visible in the text browser: its box fill colour shows up in the window.
    const int boxPixels = countNear(shot, QColor(0xdc, 0xec, 0xfb), 6);
    QVERIFY2(boxPixels > 2000, qPrintable(QString::number(boxPixels)));
    if (qEnvironmentVariableIsSet("HC_DIALOG_SHOTS")) {
        shot.save(qEnvironmentVariable("HC_DIALOG_SHOTS") + QStringLiteral("/help.png"));
        help.showSection(QStringLiteral("readouts"));
        help.grab().save(qEnvironmentVariable("HC_DIALOG_SHOTS") + QStringLiteral("/help-readouts.png"));
    }
}

void TestDialogs::preferencesDefaults()
{
    const Preferences p = Preferences::load();
    QCOMPARE(p, Preferences());
    QCOMPARE(p.defaults.samples, 225);
    QCOMPARE(p.defaults.box, 0.1);
    QCOMPARE(p.defaults.classes, 3);
    QVERIFY(p.defaults.autoClasses);
    QCOMPARE(p.threads, 0);
    QVERIFY(p.language.isEmpty());
}

void TestDialogs::preferencesRoundTrip()
{
    Preferences p;
    p.language = QStringLiteral("zh_CN");
    p.defaults.samples = 1600;
    p.defaults.box = 0.8;
    p.defaults.classes = 4;
    p.defaults.autoClasses = false;
    p.threads = 3;
    p.openGL = false;
    p.recentFilesCount = 5;
    p.save();
    {
        // A fresh QSettings reads the file back from the temporary scope.
        const QSettings settings;
        QVERIFY(settings.fileName().startsWith(m_settingsDir.path()));
        QVERIFY(QFile::exists(settings.fileName()));
    }
    QCOMPARE(Preferences::load(), p);

    PreferencesDialog dialog;
    QCOMPARE(dialog.values(), p);
    QCOMPARE(dialog.findChild<QComboBox *>(QStringLiteral("language"))->currentData().toString(),
             QStringLiteral("zh_CN"));
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("samples"))->value(), 1600);
    QCOMPARE(dialog.findChild<QDoubleSpinBox *>(QStringLiteral("box"))->value(), 0.8);
}

void TestDialogs::preferencesDialogSavesOnOkOnly()
{
    PreferencesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy changed(&dialog, &PreferencesDialog::preferencesChanged);
    auto *samples = dialog.findChild<QSpinBox *>(QStringLiteral("samples"));
    auto *threads = dialog.findChild<QSpinBox *>(QStringLiteral("threads"));
    auto *openGL = dialog.findChild<QCheckBox *>(QStringLiteral("openGL"));
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(samples && threads && openGL && buttons);
    // Every field has its label, and the label's mnemonic reaches the field.
    for (QWidget *field : std::initializer_list<QWidget *>{samples, threads}) {
        const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
        const auto label = std::find_if(labels.begin(), labels.end(), [&](QLabel *l) { return l->buddy() == field; });
        QVERIFY2(label != labels.end() && (*label)->isVisible() && !(*label)->text().isEmpty(),
                 qPrintable(field->objectName()));
    }
    if (qEnvironmentVariableIsSet("HC_DIALOG_SHOTS"))
        dialog.grab().save(qEnvironmentVariable("HC_DIALOG_SHOTS") + QStringLiteral("/preferences.png"));

    samples->setValue(64);
    buttons->button(QDialogButtonBox::Cancel)->click();
    QCOMPARE(changed.count(), 0);
    QCOMPARE(Preferences::load().defaults.samples, 225);

    samples->setValue(64);
    threads->setValue(2);
    openGL->setChecked(false);
    buttons->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(changed.count(), 1);
    const Preferences saved = Preferences::load();
    QCOMPARE(saved.defaults.samples, 64);
    QCOMPARE(saved.threads, 2);
    QVERIFY(!saved.openGL);
    QCOMPARE(changed.first().first().value<Preferences>(), saved);

    buttons->button(QDialogButtonBox::RestoreDefaults)->click();
    QCOMPARE(dialog.values(), Preferences());
    QCOMPARE(Preferences::load(), saved); // restoring defaults alone saves nothing
}

void TestDialogs::preferencesRejectCorruptValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("value");
    QTest::newRow("samples zero") << "defaults/samples" << QVariant(0);
    QTest::newRow("samples text") << "defaults/samples" << QVariant(QStringLiteral("lots"));
    QTest::newRow("samples huge") << "defaults/samples" << QVariant(qint64(1) << 40);
    QTest::newRow("box negative") << "defaults/box" << QVariant(-0.1);
    QTest::newRow("box nan") << "defaults/box" << QVariant(QStringLiteral("nan"));
    QTest::newRow("classes 65") << "defaults/classes" << QVariant(65);
    QTest::newRow("threads negative") << "performance/threads" << QVariant(-4);
    QTest::newRow("recent 1000") << "files/recentCount" << QVariant(1000);
    QTest::newRow("language klingon") << "ui/language" << QVariant(QStringLiteral("tlh"));
}

void TestDialogs::preferencesRejectCorruptValues()
{
    QFETCH(QString, key);
    QFETCH(QVariant, value);
    {
        QSettings settings;
        settings.setValue(key, value);
    }
    QCOMPARE(Preferences::load(), Preferences());
}

void TestDialogs::languageResolution_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<QString>("expected");
    QTest::newRow("english") << "en"
                             << "en";
    QTest::newRow("british") << "en_GB"
                             << "en";
    QTest::newRow("simplified") << "zh_CN"
                                << "zh_CN";
    QTest::newRow("bcp47") << "zh-Hans-CN"
                           << "zh_CN";
    QTest::newRow("traditional") << "zh_TW"
                                 << "en";
    QTest::newRow("german") << "de_DE"
                            << "en";
}

void TestDialogs::languageResolution()
{
    QFETCH(QString, choice);
    QFETCH(QString, expected);
    QCOMPARE(LanguageManager::resolve(choice), expected);
}

void TestDialogs::languageSwitchLoadsCatalogsAndRetranslates()
{
    // A real catalogue made with lrelease, in place of the project's .ts files.
    const QString lrelease = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lrelease");
    QVERIFY2(QFile::exists(lrelease), "lrelease is missing (Debian package qt6-l10n-tools)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ts = dir.filePath(QStringLiteral("hypercomp_zh_CN.ts"));
    {
        QFile f(ts);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"(<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>hc::AboutDialog</name>
<message><source>About HyperComp Workbench</source><translation>关于 HyperComp 工作台</translation></message>
</context>
<context><name>hc::PreferencesDialog</name>
<message><source>Preferences</source><translation>首选项</translation></message>
</context>
</TS>
)");
    }
    QProcess process;
    process.start(lrelease, {QStringLiteral("-silent"), ts});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);

    LanguageManager manager;
    manager.setCatalogDirectory(dir.path());
    AboutDialog about;
    PreferencesDialog preferences;
    LanguageChangeCounter counter;
    QSignalSpy changed(&manager, &LanguageManager::languageChanged);
    QCOMPARE(about.windowTitle(), QStringLiteral("About HyperComp Workbench"));

    QVERIFY(manager.setLanguage(QStringLiteral("zh_CN")));
    QCOMPARE(manager.language(), QStringLiteral("zh_CN"));
    QVERIFY(manager.applicationCatalogLoaded());
    QVERIFY2(manager.qtCatalogLoaded(), "qtbase_zh_CN.qm is missing (Debian package qt6-translations-l10n)");
    QCOMPARE(changed.count(), 1);
    QCoreApplication::processEvents(); // LanguageChange is posted to each widget
    QVERIFY(counter.count >= 1);
    QCOMPARE(about.windowTitle(), QStringLiteral("关于 HyperComp 工作台"));
    QCOMPARE(preferences.windowTitle(), QStringLiteral("首选项"));
    // Qt's own strings come from qtbase_zh_CN.qm.
    auto *cancel = preferences.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel);
    QVERIFY2(cancel->text().contains(QStringLiteral("取消")), qPrintable(cancel->text()));

    QVERIFY(manager.setLanguage(QStringLiteral("en")));
    QCoreApplication::processEvents();
    QCOMPARE(changed.count(), 2);
    QVERIFY(!manager.applicationCatalogLoaded());
    QCOMPARE(about.windowTitle(), QStringLiteral("About HyperComp Workbench"));
    QCOMPARE(preferences.windowTitle(), QStringLiteral("Preferences"));

    // Without a catalogue the switch reports it and the interface stays English.
    manager.setCatalogDirectory(dir.filePath(QStringLiteral("missing")));
    QVERIFY(!manager.setLanguage(QStringLiteral("zh_CN")));
    QVERIFY(!manager.applicationCatalogLoaded());
    QCoreApplication::processEvents();
    QCOMPARE(about.windowTitle(), QStringLiteral("About HyperComp Workbench"));
    manager.setLanguage(QStringLiteral("en"));
}

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
