// hypercomp-workbench [MODEL] [--screenshot FILE.png [--layer NAME]]
#include "widgets/aboutdialog.h"
#include "widgets/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QSaveFile>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "hypercomp-workbench: %s\n", message.toLocal8Bit().constData());
    return 1;
}

// Writes the PNG through a temporary file so that no partial image is ever left behind.
bool savePng(const QPixmap &pixmap, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QCoreApplication::translate("main", "%1 cannot be written: %2.").arg(path, file.errorString());
        return false;
    }
    if (!pixmap.save(&file, "PNG")) {
        file.cancelWriting();
        *error = QCoreApplication::translate("main", "%1 cannot be written: the PNG could not be encoded.").arg(path);
        return false;
    }
    if (!file.commit()) {
        *error = QCoreApplication::translate("main", "%1 cannot be written: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    // A screenshot is rendered off-screen with the raster engine, whatever display there is.
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshot") == 0 || std::strncmp(argv[i], "--screenshot=", 13) == 0) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            break;
        }

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("HyperComp"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("hypercomp.github.io"));
    QCoreApplication::setApplicationName(QStringLiteral("Workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HC_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("HyperComp Workbench"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.hypercomp.Workbench"));
    app.setWindowIcon(hc::AboutDialog::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Explore hyper-compression of neural-network weights layer by layer."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QCoreApplication::translate("main", "Model to open (safetensors, .pt/.pth/.bin, TorchScript); the bundled demo model when none is given."),
                                 QStringLiteral("[MODEL]"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Render the window off-screen to FILE.png once the readouts are in, then exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption layerOption(QStringLiteral("layer"),
                                         QCoreApplication::translate("main", "Layer to select (by its name in the model)."),
                                         QStringLiteral("NAME"));
    parser.addOption(screenshotOption);
    parser.addOption(layerOption);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return fail(QCoreApplication::translate("main", "expected at most one model, got %1.").arg(positional.size()));
    const QString model = positional.value(0);
    const QString layer = parser.value(layerOption);
    const bool screenshot = parser.isSet(screenshotOption);

    hc::MainWindow window;
    if (!screenshot) {
        window.show();
        // With no file: the unsaved settings of a session that ended badly, if the user wants
        // them back; otherwise the bundled demo classifier.
        if (model.isEmpty() && !window.restoreAutosave())
            window.openDemo();
        else if (!model.isEmpty())
            window.openModel(model, layer);
        return app.exec();
    }

    const QString output = parser.value(screenshotOption);
    if (output.isEmpty())
        return fail(QCoreApplication::translate("main", "--screenshot needs a file name."));
    if (!QFileInfo(QFileInfo(output).absolutePath()).isDir())
        return fail(QCoreApplication::translate("main", "%1 cannot be written: the folder %2 does not exist.")
                        .arg(output, QDir::toNativeSeparators(QFileInfo(output).absolutePath())));

    window.setBatchMode(true);
    window.resize(1400, 900);
    window.show();

    int status = 0;
    auto grabAndQuit = [&] {
        // A few more turns of the event loop so that the chart's last range change is drawn.
        QTimer::singleShot(100, &app, [&] {
            // Layouts that changed with the last readouts settle through posted LayoutRequests.
            for (int i = 0; i < 4; ++i)
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QString error;
            if (!savePng(window.grab(), output, &error))
                status = fail(error);
            app.exit(status);
        });
    };
    {
        QObject::connect(&window, &hc::MainWindow::openFailed, &app, [&](const QString &message) {
            status = fail(message);
            app.exit(status);
        });
        QObject::connect(&window, &hc::MainWindow::settled, &app, grabAndQuit, Qt::SingleShotConnection);
        if (model.isEmpty())
            window.openDemo(layer);
        else
            window.openModel(model, layer);
    }
    const int rc = app.exec();
    return status != 0 ? status : rc;
}
