#include "widgets/restoredialog.h"

#include "core/archive/archivereader.h"
#include "core/torch/modelfiles.h"
#include "widgets/numberformat.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace hc {

struct RestoreDialog::Loaded {
    std::shared_ptr<const ArchiveReader> reader;
    QString error;
};

namespace {

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList dims;
    for (std::int64_t d : shape)
        dims.append(QString::number(d));
    return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
}

QTableWidgetItem *item(const QString &text, bool number = false)
{
    auto *it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number)
        it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

ModelFormat modelFormatOf(RestoreDialog::Output o)
{
    switch (o) {
    case RestoreDialog::Output::Safetensors: return ModelFormat::Safetensors;
    case RestoreDialog::Output::StateDict: return ModelFormat::StateDict;
    case RestoreDialog::Output::TorchScript: return ModelFormat::TorchScript;
    }
    return ModelFormat::Safetensors;
}

} // namespace

RestoreDialog::RestoreDialog(QWidget *parent) : QDialog(parent)
{
    setMinimumSize(760, 520);
    resize(880, 600);

    m_archiveBox = new QGroupBox(this);
    m_archiveEdit = new QLineEdit(m_archiveBox);
    m_archiveEdit->setReadOnly(true);
    m_archiveBrowse = new QPushButton(m_archiveBox);
    connect(m_archiveBrowse, &QPushButton::clicked, this, &RestoreDialog::browseArchive);
    m_metadata = new QLabel(m_archiveBox);
    m_metadata->setWordWrap(true);
    m_metadata->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table = new QTableWidget(0, ColumnCount, m_archiveBox);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    auto *archiveRow = new QHBoxLayout;
    archiveRow->addWidget(m_archiveEdit, 1);
    archiveRow->addWidget(m_archiveBrowse);
    auto *archiveLayout = new QVBoxLayout(m_archiveBox);
    archiveLayout->addLayout(archiveRow);
    archiveLayout->addWidget(m_metadata);
    archiveLayout->addWidget(m_table, 1);

    m_outputBox = new QGroupBox(this);
    m_format = new QComboBox(m_outputBox);
    m_format->addItems({QString(), QString(), QString()});
    m_outputEdit = new QLineEdit(m_outputBox);
    m_outputBrowse = new QPushButton(m_outputBox);
    m_originalEdit = new QLineEdit(m_outputBox);
    m_originalBrowse = new QPushButton(m_outputBox);
    m_formatLabel = new QLabel(m_outputBox);
    m_outputLabel = new QLabel(m_outputBox);
    m_originalLabel = new QLabel(m_outputBox);
    m_formatLabel->setBuddy(m_format);
    m_outputLabel->setBuddy(m_outputEdit);
    m_originalLabel->setBuddy(m_originalEdit);
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_outputEdit, 1);
    outputRow->addWidget(m_outputBrowse);
    auto *originalRow = new QHBoxLayout;
    originalRow->addWidget(m_originalEdit, 1);
    originalRow->addWidget(m_originalBrowse);
    auto *form = new QFormLayout(m_outputBox);
    form->addRow(m_formatLabel, m_format);
    form->addRow(m_originalLabel, originalRow);
    form->addRow(m_outputLabel, outputRow);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        fixOutputSuffix();
        updateState();
    });
    connect(m_outputEdit, &QLineEdit::textEdited, this, [this] { m_userEditedOutput = true; });
    connect(m_outputEdit, &QLineEdit::textChanged, this, &RestoreDialog::updateState);
    connect(m_originalEdit, &QLineEdit::textChanged, this, &RestoreDialog::updateState);
    connect(m_outputBrowse, &QPushButton::clicked, this, &RestoreDialog::browseOutput);
    connect(m_originalBrowse, &QPushButton::clicked, this, &RestoreDialog::browseOriginal);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    m_buttons = new QDialogButtonBox(this);
    m_restoreButton = m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_cancelButton = m_buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_closeButton = m_buttons->addButton(QDialogButtonBox::Close);
    m_restoreButton->setDefault(true);
    // AcceptRole would close the dialog: restoring is an action, the dialog stays.
    disconnect(m_buttons, &QDialogButtonBox::accepted, this, nullptr);
    connect(m_restoreButton, &QPushButton::clicked, this, [this] { restore(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &RestoreDialog::cancelRestore);
    connect(m_closeButton, &QPushButton::clicked, this, &RestoreDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_archiveBox, 1);
    layout->addWidget(m_outputBox);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    m_job = new ArchiveRestoreJob(this);
    connect(m_job, &ArchiveRestoreJob::progressChanged, m_progress, &QProgressBar::setValue);
    connect(m_job, &ArchiveRestoreJob::finished, this, &RestoreDialog::onWritten);
    connect(&m_loadWatcher, &QFutureWatcher<std::shared_ptr<Loaded>>::finished, this, &RestoreDialog::onLoaded);

    retranslateUi();
    updateState();
}

RestoreDialog::~RestoreDialog()
{
    m_job->cancel();
    m_job->waitForFinished();
    m_loadWatcher.waitForFinished();
}

void RestoreDialog::retranslateUi()
{
    setWindowTitle(tr("Restore Model from Archive"));
    m_archiveBox->setTitle(tr("Archive"));
    m_archiveEdit->setPlaceholderText(tr("No archive chosen"));
    m_archiveEdit->setToolTip(tr("The HyperComp archive (.hca) to restore"));
    m_archiveBrowse->setText(tr("Open &Archive…"));
    m_archiveBrowse->setToolTip(tr("Choose a HyperComp archive"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Shape"), tr("DType"), tr("Status"), tr("U"), tr("l"), tr("K"),
                                        tr("Bits"), tr("Bytes")});
    const QString tips[ColumnCount] = {tr("Tensor name"),
                                       tr("Original shape"),
                                       tr("Original dtype"),
                                       tr("Compressed, or stored raw (and why)"),
                                       tr("Trajectory samples U"),
                                       tr("Box size l"),
                                       tr("Outlier classes K used"),
                                       tr("Index bits per pair"),
                                       tr("Bytes the tensor takes in the archive")};
    for (int c = 0; c < ColumnCount; ++c)
        if (QTableWidgetItem *h = m_table->horizontalHeaderItem(c))
            h->setToolTip(tips[c]);
    m_outputBox->setTitle(tr("Restored model"));
    m_formatLabel->setText(tr("&Format:"));
    m_format->setItemText(0, tr("safetensors (.safetensors)"));
    m_format->setItemText(1, tr("PyTorch state dict (.pt)"));
    m_format->setItemText(2, tr("TorchScript like an original module (.pt)"));
    m_format->setToolTip(tr("safetensors and state dicts hold the tensors; a TorchScript output is the original "
                            "module with its parameters replaced, so it still runs"));
    m_outputLabel->setText(tr("&Output file:"));
    m_outputEdit->setToolTip(tr("Where the restored model is written (complete or not at all)"));
    m_outputBrowse->setText(tr("Browse…"));
    m_originalLabel->setText(tr("Original &module:"));
    m_originalEdit->setPlaceholderText(tr("The TorchScript module the archive was made from"));
    m_originalEdit->setToolTip(tr("The restored module is this module with the archive's tensors in place of its "
                                  "parameters"));
    m_originalBrowse->setText(tr("Browse…"));
    m_restoreButton->setText(tr("&Restore"));
    m_restoreButton->setToolTip(tr("Write the restored model"));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop writing; no file is left behind"));
    m_progress->setToolTip(tr("Progress of the write"));
    if (m_reader)
        fillTable();
    updateState();
}

void RestoreDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void RestoreDialog::setArchive(const QString &path)
{
    if (isBusy())
        return;
    m_archivePath = path;
    m_archiveEdit->setText(QDir::toNativeSeparators(path));
    m_reader.reset();
    m_table->setRowCount(0);
    m_metadata->clear();
    m_status->setText(tr("Checking %1…").arg(QFileInfo(path).fileName()));
    m_progress->setRange(0, 0);
    const std::string p = path.toStdString();
    m_loadWatcher.setFuture(QtConcurrent::run([p] {
        auto loaded = std::make_shared<Loaded>();
        auto r = ArchiveReader::open(p);
        if (r)
            loaded->reader = std::shared_ptr<const ArchiveReader>(std::move(r).value());
        else
            loaded->error = QString::fromStdString(r.error());
        return loaded;
    }));
    updateState();
}

void RestoreDialog::onLoaded()
{
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    const std::shared_ptr<Loaded> loaded = m_loadWatcher.result();
    if (!loaded || !loaded->reader) {
        const QString message = loaded ? loaded->error : tr("%1: cannot be opened.").arg(m_archivePath);
        m_status->setText(message);
        updateState();
        showError(tr("Cannot Open Archive"), message);
        Q_EMIT archiveFailed(message);
        return;
    }
    m_reader = loaded->reader;
    fillTable();
    suggestOutput();
    m_status->setText(tr("Checksums verified. Choose a format and restore."));
    updateState();
    Q_EMIT archiveLoaded(m_archivePath);
}

void RestoreDialog::fillTable()
{
    const ArchiveReader &r = *m_reader;
    const auto &entries = r.entries();
    m_table->setSortingEnabled(false);
    m_table->setRowCount(int(entries.size()));
    std::uint64_t numel = 0, bytesIn = 0;
    int compressed = 0;
    for (int row = 0; row < int(entries.size()); ++row) {
        const ArchiveEntry &e = entries[std::size_t(row)];
        const bool c = e.compressed();
        compressed += c ? 1 : 0;
        numel += e.numel();
        bytesIn += e.numel() * std::uint64_t(dtypeSize(e.dtype));
        m_table->setItem(row, ColName, item(QString::fromStdString(e.name)));
        m_table->item(row, ColName)->setToolTip(QString::fromStdString(e.name));
        m_table->setItem(row, ColShape, item(shapeText(e.shape)));
        m_table->setItem(row, ColDType, item(QString::fromStdString(e.dtypeName.empty() ? dtypeName(e.dtype) : e.dtypeName)));
        m_table->setItem(row, ColStatus, item(c ? tr("compressed") : tr("raw")));
        if (!c)
            m_table->item(row, ColStatus)->setToolTip(tr("Stored raw: %1").arg(QString::fromStdString(e.reason)));
        m_table->setItem(row, ColSamples, item(c ? QString::number(e.header.samples) : QString(), true));
        m_table->setItem(row, ColBox, item(c ? QString::number(e.header.box, 'g', 4) : QString(), true));
        m_table->setItem(row, ColClasses, item(c ? QString::number(e.header.classes) : QString(), true));
        m_table->setItem(row, ColBits, item(c ? QString::number(e.header.bits) : QString(), true));
        m_table->setItem(row, ColBytes, item(groupedCount(e.archiveBytes), true));
    }
    const auto &meta = r.metadata();
    const auto value = [&meta](const char *key) {
        const auto it = meta.find(key);
        return it == meta.end() ? QString() : QString::fromStdString(it->second);
    };
    const double ratio = r.fileSize() ? double(bytesIn) / double(r.fileSize()) : 0.0;
    m_metadata->setText(tr("Format <b>%1</b>, version <b>%2</b> · %3 tensors (%4 compressed, %5 raw) · %6 parameters · "
                           "%7 bytes on disk, %8 restored (ratio %9×)")
                            .arg(value("format").toHtmlEscaped(), value("version").toHtmlEscaped())
                            .arg(entries.size())
                            .arg(compressed)
                            .arg(int(entries.size()) - compressed)
                            .arg(groupedCount(numel), groupedCount(r.fileSize()), groupedCount(bytesIn))
                            .arg(ratio, 0, 'f', 2));
}

void RestoreDialog::setOutputFolder(const QString &folder)
{
    m_outputFolder = folder;
    if (!m_userEditedOutput)
        suggestOutput();
}

void RestoreDialog::suggestOutput()
{
    if (m_userEditedOutput || m_archivePath.isEmpty())
        return;
    const QFileInfo a(m_archivePath);
    const QString folder = m_outputFolder.isEmpty() ? a.absolutePath() : m_outputFolder;
    const QString suffix = outputFormat() == Output::Safetensors ? QStringLiteral(".safetensors") : QStringLiteral(".pt");
    m_outputEdit->setText(QDir(folder).filePath(a.completeBaseName() + QStringLiteral(".restored") + suffix));
}

void RestoreDialog::fixOutputSuffix()
{
    QString path = m_outputEdit->text();
    if (path.isEmpty()) {
        suggestOutput();
        return;
    }
    const QFileInfo f(path);
    const QString suffix = f.suffix().toLower();
    const bool wantSafetensors = outputFormat() == Output::Safetensors;
    if (wantSafetensors && suffix != QLatin1String("safetensors"))
        path = QDir(f.path()).filePath(f.completeBaseName() + QStringLiteral(".safetensors"));
    else if (!wantSafetensors && suffix != QLatin1String("pt") && suffix != QLatin1String("pth") && suffix != QLatin1String("bin"))
        path = QDir(f.path()).filePath(f.completeBaseName() + QStringLiteral(".pt"));
    m_outputEdit->setText(path);
}

void RestoreDialog::setOutputFormat(Output format)
{
    m_format->setCurrentIndex(int(format));
}

RestoreDialog::Output RestoreDialog::outputFormat() const
{
    return Output(std::max(0, m_format->currentIndex()));
}

void RestoreDialog::setOutputPath(const QString &path)
{
    m_userEditedOutput = true;
    m_outputEdit->setText(path);
}

QString RestoreDialog::outputPath() const
{
    return m_outputEdit->text().trimmed();
}

void RestoreDialog::setOriginalModule(const QString &path)
{
    m_originalEdit->setText(path);
}

QString RestoreDialog::originalModule() const
{
    return m_originalEdit->text().trimmed();
}

QString RestoreDialog::metadataText() const
{
    return m_metadata->text();
}

bool RestoreDialog::isBusy() const
{
    return m_loadWatcher.isRunning() || m_job->isRunning();
}

void RestoreDialog::updateState()
{
    const bool busy = isBusy();
    const bool torchScript = outputFormat() == Output::TorchScript;
    m_archiveBrowse->setEnabled(!busy);
    m_format->setEnabled(!busy);
    m_outputEdit->setEnabled(!busy);
    m_outputBrowse->setEnabled(!busy);
    m_originalLabel->setVisible(torchScript);
    m_originalEdit->setVisible(torchScript);
    m_originalBrowse->setVisible(torchScript);
    m_originalEdit->setEnabled(!busy);
    m_originalBrowse->setEnabled(!busy);
    m_restoreButton->setEnabled(!busy && m_reader && !outputPath().isEmpty() && (!torchScript || !originalModule().isEmpty()));
    m_cancelButton->setEnabled(m_job->isRunning());
}

void RestoreDialog::showError(const QString &title, const QString &message)
{
    if (m_quiet)
        return;
    auto *box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::ApplicationModal);
    box->show();
}

bool RestoreDialog::restore()
{
    if (isBusy())
        return false;
    QString error;
    const QString out = outputPath();
    const QString like = outputFormat() == Output::TorchScript ? originalModule() : QString();
    if (!m_reader)
        error = tr("Choose an archive to restore first.");
    else if (out.isEmpty())
        error = tr("Choose the file to write the restored model to.");
    else if (outputFormat() == Output::TorchScript && like.isEmpty())
        error = tr("A TorchScript output needs the original module: choose it under “Original module”.");
    else if (QFileInfo(out).absoluteFilePath() == QFileInfo(m_archivePath).absoluteFilePath() ||
             (!like.isEmpty() && QFileInfo(out).absoluteFilePath() == QFileInfo(like).absoluteFilePath()))
        error = tr("%1: the restored model would overwrite its own input.").arg(out);
    else if (!QFileInfo(QFileInfo(out).absolutePath()).isDir())
        error = tr("%1: the folder does not exist.").arg(QFileInfo(out).absolutePath());
    if (error.isEmpty()) {
        // Same rule as `hypercomp decompress`: the extension must fit the format.
        auto checked = outputFormatFor(out.toStdString(), like.toStdString());
        if (!checked)
            error = QString::fromStdString(checked.error());
        else if (*checked != modelFormatOf(outputFormat()))
            error = tr("%1: the file name does not fit the chosen format (use .safetensors for safetensors, .pt for "
                       "a state dict or TorchScript module).")
                        .arg(out);
    }
    if (!error.isEmpty()) {
        m_status->setText(error);
        showError(tr("Cannot Restore"), error);
        Q_EMIT restoreFailed(error);
        return false;
    }

    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_status->setText(tr("Writing %1…").arg(QFileInfo(out).fileName()));
    m_job->start(m_reader, out, modelFormatOf(outputFormat()), like);
    updateState();
    return true;
}

void RestoreDialog::cancelRestore()
{
    m_job->cancel();
}

void RestoreDialog::onWritten(const ArchiveRestoreJob::Outcome &outcome)
{
    m_progress->setTextVisible(false);
    updateState();
    if (outcome.ok) {
        m_progress->setValue(1000);
        m_status->setText(tr("Restored to %1.").arg(QDir::toNativeSeparators(outcome.path)));
        Q_EMIT restored(outcome.path);
        return;
    }
    m_progress->setValue(0);
    if (outcome.cancelled) {
        const QString message = tr("Restoring was cancelled; no file was written.");
        m_status->setText(message);
        Q_EMIT restoreFailed(message);
        return;
    }
    m_status->setText(outcome.error);
    showError(tr("Cannot Restore"), outcome.error);
    Q_EMIT restoreFailed(outcome.error);
}

void RestoreDialog::browseArchive()
{
    const QString start = m_archivePath.isEmpty() ? m_outputFolder : QFileInfo(m_archivePath).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Archive"), start,
                                                      tr("HyperComp archives (*.hca *.safetensors);;All files (*)"));
    if (!path.isEmpty())
        setArchive(path);
}

void RestoreDialog::browseOutput()
{
    const QString filter = outputFormat() == Output::Safetensors ? tr("safetensors (*.safetensors)") : tr("PyTorch (*.pt *.pth)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Restored Model"), outputPath(), filter);
    if (!path.isEmpty())
        setOutputPath(path);
}

void RestoreDialog::browseOriginal()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Original TorchScript Module"), originalModule(),
                                                      tr("TorchScript modules (*.pt *.pth);;All files (*)"));
    if (!path.isEmpty())
        setOriginalModule(path);
}

void RestoreDialog::reject()
{
    if (m_job->isRunning()) {
        // Closing stops the write; it leaves nothing behind.
        cancelRestore();
        m_job->waitForFinished();
    }
    QDialog::reject();
}

} // namespace hc
