#include "widgets/aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <link.h>

namespace hc {

namespace {

int findTorch(struct dl_phdr_info *info, size_t, void *data)
{
    // The soname carries the version: .../libtorch_cpu.so.1.13 (Debian) or libtorch_cpu.so.1.13.0.
    static const QRegularExpression soname(QStringLiteral("/libtorch_cpu\\.so\\.([0-9][0-9.]*)$"));
    if (!info->dlpi_name)
        return 0;
    const QRegularExpressionMatch m = soname.match(QString::fromLocal8Bit(info->dlpi_name));
    if (!m.hasMatch())
        return 0;
    *static_cast<QString *>(data) = m.captured(1);
    return 1;
}

} // namespace

QString AboutDialog::libTorchVersion()
{
#ifdef HC_TORCH_VERSION
    return QStringLiteral(HC_TORCH_VERSION);
#else
    QString version;
    dl_iterate_phdr(findTorch, &version);
    return version;
#endif
}

QIcon AboutDialog::applicationIcon()
{
    QIcon icon;
    for (const int size : {16, 32, 48, 64, 128, 256}) {
        const QString file = QStringLiteral(":/icons/hypercomp-%1.png").arg(size);
        if (QFile::exists(file))
            icon.addFile(file, QSize(size, size));
    }
    if (icon.isNull())
        icon = QIcon::fromTheme(QStringLiteral("io.github.hypercomp.Workbench"));
    if (icon.isNull())
        icon = QApplication::windowIcon();
    return icon;
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("AboutDialog"));

    m_icon = new QLabel(this);
    m_icon->setObjectName(QStringLiteral("icon"));
    const QIcon icon = applicationIcon();
    if (!icon.isNull())
        m_icon->setPixmap(icon.pixmap(96, 96));
    m_icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);

    auto makeLabel = [this](const char *name) {
        auto *label = new QLabel(this);
        label->setObjectName(QString::fromLatin1(name));
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextBrowserInteraction);
        return label;
    };
    m_title = makeLabel("title");
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_version = makeLabel("version");
    m_description = makeLabel("description");
    m_paper = makeLabel("paper");
    m_paper->setOpenExternalLinks(true);
    m_license = makeLabel("license");
    m_libraries = makeLabel("libraries");

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_version);
    text->addSpacing(8);
    text->addWidget(m_description);
    text->addWidget(m_paper);
    text->addWidget(m_license);
    text->addSpacing(8);
    text->addWidget(m_libraries);
    text->addStretch(1);

    auto *top = new QHBoxLayout;
    top->addWidget(m_icon);
    top->addSpacing(12);
    top->addLayout(text, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_buttons);

    retranslateUi();
    setMinimumWidth(520);
}

void AboutDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void AboutDialog::retranslateUi()
{
    setWindowTitle(tr("About HyperComp Workbench"));
    m_title->setText(tr("HyperComp Workbench"));

    QString version = QCoreApplication::applicationVersion();
    if (version.isEmpty())
        version = tr("unknown");
    m_version->setText(tr("Version %1").arg(version));

    m_description->setText(
        tr("A workbench for hyper-compression of neural-network weights. Each pair of weights is stored as "
           "the index of the nearest sample on a one-dimensional trajectory that winds through a small box "
           "in the plane; outliers are pulled into the box by a few class rings. The workbench shows each "
           "layer's weight cloud, lets you tune the sample count U, the box side l and the class count K "
           "with live error and ratio readouts, and exports a configuration and a compressed archive."));
    m_paper->setText(tr("Implements the method of <a href=\"%1\">Hyper-Compression: Model Compression via "
                        "Hyperfunction</a> (arXiv 2409.00592).")
                         .arg(paperUrl()));
    m_license->setText(tr("Released under the MIT License. This program comes with absolutely no warranty."));

    const QString torch = libTorchVersion();
    m_libraries->setText(
        tr("Qt %1 (built with Qt %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
        + QLatin1Char('\n') + (torch.isEmpty() ? tr("LibTorch: not loaded") : tr("LibTorch %1").arg(torch)));
}

} // namespace hc
