#pragma once

#include <QDialog>
#include <QIcon>
#include <QString>

class QDialogButtonBox;
class QLabel;

namespace hc {

// Help > About: name, version, what the program does, the paper it implements, the license and
// the versions of Qt and LibTorch in use. The version is QCoreApplication::applicationVersion(),
// which main() sets from PROJECT_VERSION.
class AboutDialog : public QDialog {
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The application icon: the PNGs of resources/icons/icons.qrc when that is linked in, else the
    // installed hicolor theme icon, else the window icon already set. For QApplication::setWindowIcon.
    static QIcon applicationIcon();
    static QString paperUrl() { return QStringLiteral("https://arxiv.org/abs/2409.00592"); }
    // The LibTorch loaded into this process ("1.13" from libtorch_cpu.so.1.13), or an empty
    // string when none is; HC_TORCH_VERSION, if the build defines it, takes precedence.
    static QString libTorchVersion();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_paper = nullptr;
    QLabel *m_license = nullptr;
    QLabel *m_libraries = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace hc
