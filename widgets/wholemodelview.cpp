#include "widgets/wholemodelview.h"

#include "widgets/compressionjob.h"
#include "widgets/layerbarschart.h"
#include "widgets/numberformat.h"
#include "widgets/restoredialog.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QStyle>
#include <QTemporaryDir>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace hc {

namespace {

constexpr int kFieldCount = int(WholeModelView::Field::Time) + 1;

// Copies `from` to `to` through a temporary file in the target folder, renamed into place.
QString copyAtomically(const QString &from, const QString &to)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return QObject::tr("%1: the compressed archive cannot be read (%2).").arg(from, in.errorString());
    QSaveFile out(to);
    if (!out.open(QIODevice::WriteOnly))
        return QObject::tr("%1: cannot be written (%2).").arg(to, out.errorString());
    QByteArray buffer;
    while (!in.atEnd()) {
        buffer = in.read(4 << 20);
        if (buffer.isEmpty() && in.error() != QFileDevice::NoError)
            break;
        if (out.write(buffer) != buffer.size()) {
            out.cancelWriting();
            return QObject::tr("%1: cannot be written (%2).").arg(to, out.errorString());
        }
    }
    if (in.error() != QFileDevice::NoError) {
        out.cancelWriting();
        return QObject::tr("%1: the compressed archive cannot be read (%2).").arg(from, in.errorString());
    }
    if (!out.commit())
        return QObject::tr("%1: cannot be written (%2).").arg(to, out.errorString());
    return {};
}

bool sameFile(const QString &a, const QString &b)
{
    const QFileInfo fa(a), fb(b);
    if (fa.absoluteFilePath() == fb.absoluteFilePath())
        return true;
    return fa.exists() && fb.exists() && fa.canonicalFilePath() == fb.canonicalFilePath();
}

} // namespace

WholeModelView::WholeModelView(QWidget *parent) : QWidget(parent)
{
    m_job = new CompressionJob(this);
    connect(m_job, &CompressionJob::tensorDone, this, &WholeModelView::onTensorDone);
    connect(m_job, &CompressionJob::finished, this, [this](const CompressionJob::Outcome &outcome) {
        m_progressTimer->stop();
        const QString runArchive = m_runArchive;
        m_runArchive.clear();
        if (outcome.ok) {
            if (!m_archive.isEmpty() && m_archive != runArchive)
                QFile::remove(m_archive);
            m_archive = runArchive;
            m_report = outcome.report;
            m_reportConfig = m_runConfig;
            const auto &t = outcome.report.totals;
            setStatus(tr("Compressed %1 layers in %2: ratio %3, relative error %4.")
                          .arg(outcome.report.tensors.size())
                          .arg(formatSeconds(t.seconds), formatRatio(t.ratio), formatError(t.relFro)));
            showReport();
        } else {
            QFile::remove(runArchive);
            if (outcome.cancelled)
                setStatus(tr("Compression cancelled; no archive was written."));
            else
                setStatus(outcome.error, true);
            // Back to the last complete result, if there is one.
            if (m_report)
                showReport();
            else
                clearResults();
        }
        const QString pending = m_pendingExport;
        m_pendingExport.clear();
        updateState();
        Q_EMIT compressionFinished(outcome.ok, outcome.ok ? QString() : (outcome.cancelled ? tr("Compression was cancelled.") : outcome.error));
        if (!pending.isEmpty()) {
            if (outcome.ok) {
                m_exportBase = pending;
                startExportCopy();
            } else {
                const QString message = outcome.cancelled ? tr("The export was cancelled; nothing was written.") : outcome.error;
                setStatus(message, !outcome.cancelled);
                Q_EMIT exportFailed(message);
            }
        }
        Q_EMIT busyChanged(isBusy());
    });
    connect(&m_exportWatcher, &QFutureWatcher<QString>::finished, this, &WholeModelView::onExportCopied);

    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(150);
    connect(m_progressTimer, &QTimer::timeout, this, &WholeModelView::updateProgress);

    // Actions row.
    m_compress = new QPushButton(this);
    m_compress->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_compress->setDefault(true);
    m_cancel = new QPushButton(this);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_export = new QPushButton(this);
    m_export->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_restore = new QPushButton(this);
    m_restore->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    connect(m_compress, &QPushButton::clicked, this, [this] { compress(); });
    connect(m_cancel, &QPushButton::clicked, this, &WholeModelView::cancel);
    connect(m_export, &QPushButton::clicked, this, &WholeModelView::showExportDialog);
    connect(m_restore, &QPushButton::clicked, this, &WholeModelView::showRestoreDialog);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_compress);
    buttons->addWidget(m_cancel);
    buttons->addSpacing(16);
    buttons->addWidget(m_export);
    buttons->addWidget(m_restore);
    buttons->addStretch(1);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Summary: two columns of name / value pairs.
    m_summaryBox = new QGroupBox(this);
    auto *grid = new QGridLayout(m_summaryBox);
    grid->setHorizontalSpacing(14);
    grid->setVerticalSpacing(4);
    for (int i = 0; i < kFieldCount; ++i) {
        auto *name = new QLabel(m_summaryBox);
        auto *value = new QLabel(m_summaryBox);
        name->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QPalette pal = name->palette();
        pal.setColor(QPalette::WindowText, pal.color(QPalette::Disabled, QPalette::WindowText).darker(140));
        name->setPalette(pal);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("888.88 MB (888 888 888 bytes)")) / 2);
        const int row = i < 2 ? 0 : 1 + (i - 2) / 2;
        const int col = i < 2 ? i * 2 : ((i - 2) % 2) * 2;
        grid->addWidget(name, row, col);
        grid->addWidget(value, row, col + 1);
        m_fieldNames.append(name);
        m_fieldValues.append(value);
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    QFont strong = m_fieldValues[int(Field::Ratio)]->font();
    strong.setBold(true);
    m_fieldValues[int(Field::Ratio)]->setFont(strong);
    m_fieldValues[int(Field::SizeAfter)]->setFont(strong);
    m_staleNote = new QLabel(m_summaryBox);
    m_staleNote->setWordWrap(true);
    m_staleNote->setStyleSheet(QStringLiteral("color: #9a6700;"));
    grid->addWidget(m_staleNote, 1 + (kFieldCount - 2 + 1) / 2, 0, 1, 4);

    // Per-layer bars, side by side in one scroll area so that the rows line up.
    m_chartsBox = new QGroupBox(this);
    m_ratioChart = new LayerBarsChart;
    m_errorChart = new LayerBarsChart;
    m_ratioChart->setColor(QColor(0x4e, 0x79, 0xa7));
    m_errorChart->setColor(QColor(0xf2, 0x8e, 0x2b));
    m_ratioChart->setValueFormat(QStringLiteral("%.3g"));
    m_errorChart->setValueFormat(QStringLiteral("%.3g"), 100.0);
    m_errorChart->setCategoryLabelsVisible(false);
    auto *chartsInner = new QWidget;
    auto *chartsRow = new QHBoxLayout(chartsInner);
    chartsRow->setContentsMargins(0, 0, 0, 0);
    chartsRow->setSpacing(4);
    chartsRow->addWidget(m_ratioChart, 3);
    chartsRow->addWidget(m_errorChart, 2);
    m_chartsScroll = new QScrollArea(m_chartsBox);
    m_chartsScroll->setWidgetResizable(true);
    m_chartsScroll->setFrameShape(QFrame::NoFrame);
    m_chartsScroll->setWidget(chartsInner);
    auto *chartsLayout = new QVBoxLayout(m_chartsBox);
    chartsLayout->setContentsMargins(4, 4, 4, 4);
    chartsLayout->addWidget(m_chartsScroll);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_summaryBox);
    layout->addWidget(m_chartsBox, 1);

    retranslateUi();
    clearResults();
    updateState();
}

WholeModelView::~WholeModelView()
{
    m_job->cancel();
    m_exportWatcher.waitForFinished();
    delete m_job; // waits for the worker before the temporary folder goes
    m_job = nullptr;
}

void WholeModelView::retranslateUi()
{
    m_compress->setText(tr("&Compress model"));
    m_compress->setToolTip(tr("Compress every layer with the current config (defaults, per-layer overrides and skip "
                              "patterns) in the background"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the compression; no archive is left behind"));
    m_export->setText(tr("&Export…"));
    m_export->setToolTip(tr("Write the config (NAME.hcconfig.json) and the archive (NAME.hca): the same bytes as "
                            "“hypercomp compress MODEL -o NAME.hca --config NAME.hcconfig.json”"));
    m_restore->setText(tr("&Restore…"));
    m_restore->setToolTip(tr("Open an archive and write the restored model as safetensors, a state dict or TorchScript"));
    m_progress->setToolTip(tr("Progress of the compression, weighted by the layers' sizes"));
    m_summaryBox->setTitle(tr("Summary"));
    m_chartsBox->setTitle(tr("Per layer"));
    const QString names[kFieldCount] = {tr("Model:"),        tr("Layers:"),          tr("Parameters:"), tr("Size before:"),
                                        tr("Size after:"),   tr("Ratio:"),           tr("MAE:"),        tr("Relative error:"),
                                        tr("Throughput:"),   tr("Time:")};
    const QString tips[kFieldCount] = {
        tr("The model file being compressed"),
        tr("Layers compressed and layers stored raw (skipped by the config, or not a float tensor)"),
        tr("Parameters of the whole model"),
        tr("The model's tensor bytes"),
        tr("The archive's file size (payloads, header and metadata)"),
        tr("Size before divided by size after"),
        tr("Mean absolute error over every parameter of the model (raw layers count as exact)"),
        tr("‖restored − original‖ / ‖original‖ over the whole model"),
        tr("Parameters compressed per second (encode, measure and write)"),
        tr("Wall time of the compression")};
    for (int i = 0; i < kFieldCount; ++i) {
        m_fieldNames[i]->setText(names[i]);
        m_fieldNames[i]->setToolTip(tips[i]);
        m_fieldValues[i]->setToolTip(tips[i]);
    }
    m_ratioChart->setTitle(tr("Compression ratio"));
    m_ratioChart->setValueTitle(tr("bytes before / bytes after"));
    m_ratioChart->setLegendNames(tr("Compressed"), tr("Stored raw"));
    m_ratioChart->setToolTip(tr("Each layer's size before divided by the bytes it takes in the archive"));
    m_errorChart->setTitle(tr("Relative error"));
    m_errorChart->setValueTitle(tr("‖Δw‖ / ‖w‖ (%)"));
    m_errorChart->setLegendNames(tr("Compressed"), tr("Stored raw"));
    m_errorChart->setToolTip(tr("Each layer's relative Frobenius error in percent (raw layers are exact)"));
    updateState();
    if (m_report)
        showReport();
}

void WholeModelView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void WholeModelView::setModel(std::shared_ptr<const ModelSource> model, const QString &path)
{
    m_pendingExport.clear();
    if (m_job->isRunning())
        m_job->cancel();
    m_model = std::move(model);
    m_modelPath = path;
    if (!m_archive.isEmpty())
        QFile::remove(m_archive);
    m_archive.clear();
    m_report.reset();
    m_exportedArchive.clear();
    setStatus(m_model ? tr("Ready: %n layer(s) to compress.", nullptr, int(m_model->tensors().size())) : QString());
    clearResults();
    updateState();
}

void WholeModelView::setConfig(const CompressionConfig &config)
{
    m_config = config;
    updateState();
}

bool WholeModelView::isBusy() const
{
    return m_job->isRunning() || m_exportWatcher.isRunning();
}

bool WholeModelView::isCompressing() const
{
    return m_job->isRunning();
}

bool WholeModelView::isStale() const
{
    return m_report && !(m_reportConfig == m_config);
}

QString WholeModelView::temporaryFolder() const
{
    return m_temp && m_temp->isValid() ? m_temp->path() : QString();
}

QString WholeModelView::fieldText(Field field) const
{
    return m_fieldValues.value(int(field)) ? m_fieldValues[int(field)]->text() : QString();
}

QString WholeModelView::statusText() const
{
    return m_statusText;
}

QString WholeModelView::formatBytes(std::uint64_t bytes)
{
    const double b = double(bytes);
    if (b >= 1e9)
        return tr("%1 GB").arg(b / 1e9, 0, 'f', 2);
    if (b >= 1e6)
        return tr("%1 MB").arg(b / 1e6, 0, 'f', 2);
    if (b >= 1e3)
        return tr("%1 kB").arg(b / 1e3, 0, 'f', 1);
    return tr("%1 bytes").arg(bytes);
}

QString WholeModelView::formatRatio(double ratio)
{
    return QStringLiteral("%1\u00D7").arg(ratio, 0, 'f', ratio >= 100 ? 0 : 2);
}

QString WholeModelView::formatError(double value)
{
    return QString::number(value, 'g', 4);
}

QString WholeModelView::formatRate(double paramsPerSecond)
{
    if (paramsPerSecond >= 1e6)
        return tr("%1 M params/s").arg(paramsPerSecond / 1e6, 0, 'f', 2);
    if (paramsPerSecond >= 1e3)
        return tr("%1 k params/s").arg(paramsPerSecond / 1e3, 0, 'f', 1);
    return tr("%1 params/s").arg(paramsPerSecond, 0, 'f', 0);
}

QString WholeModelView::formatSeconds(double seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : 1);
    const int s = int(std::lround(seconds));
    return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

bool WholeModelView::compress()
{
    if (isBusy())
        return false;
    if (!m_model) {
        setStatus(tr("Open a model first."), true);
        return false;
    }
    if (Status s = m_config.validate("the compression config"); !s) {
        setStatus(QString::fromStdString(s.error()), true);
        return false;
    }
    if (!m_temp || !m_temp->isValid()) {
        m_temp = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/hypercomp-wholemodel-XXXXXX"));
        if (!m_temp->isValid()) {
            setStatus(tr("No temporary folder can be made for the archive (%1).").arg(m_temp->errorString()), true);
            m_temp.reset();
            return false;
        }
    }
    m_runArchive = QDir(m_temp->path()).filePath(QStringLiteral("run-%1.hca").arg(++m_runCounter));
    m_runConfig = m_config;
    const std::size_t n = m_model->tensors().size();
    m_rows.assign(n, TensorReport{});
    m_rowDone.assign(n, false);
    for (std::size_t i = 0; i < n; ++i)
        m_rows[i].name = m_model->tensors()[i].name;
    if (!m_job->start(m_model, m_config, m_runArchive, m_threads)) {
        m_runArchive.clear();
        return false;
    }
    m_ratioChart->clear();
    m_errorChart->clear();
    m_progress->setValue(0);
    setStatus(tr("Starting…"));
    m_progressTimer->start();
    updateState();
    Q_EMIT compressionStarted();
    Q_EMIT busyChanged(true);
    return true;
}

void WholeModelView::cancel()
{
    m_job->cancel();
    if (m_job->isRunning())
        setStatus(tr("Cancelling…"));
}

void WholeModelView::onTensorDone(int index, const TensorReport &row)
{
    if (index < 0 || std::size_t(index) >= m_rows.size())
        return;
    m_rows[std::size_t(index)] = row;
    m_rowDone[std::size_t(index)] = true;
    const double ratio = row.bytesOut ? double(row.bytesIn) / double(row.bytesOut) : 0.0;
    refreshCharts();
    updateProgress();
    Q_EMIT layerCompressed(QString::fromStdString(row.name), ratio, row.errors.relFro);
}

void WholeModelView::refreshCharts()
{
    QList<LayerBarsChart::Bar> ratios, errors;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (!m_rowDone[i])
            continue;
        const TensorReport &r = m_rows[i];
        const bool raw = r.status == TensorStatus::Raw;
        const QString name = QString::fromStdString(r.name);
        ratios.append({name, r.bytesOut ? double(r.bytesIn) / double(r.bytesOut) : 0.0, raw});
        errors.append({name, r.errors.relFro, raw});
    }
    m_ratioChart->setBars(ratios);
    m_errorChart->setBars(errors);
    const int h = m_ratioChart->sizeHint().height();
    m_ratioChart->setMinimumHeight(h);
    m_errorChart->setMinimumHeight(h);
}

void WholeModelView::updateProgress()
{
    if (!m_job->isRunning())
        return;
    const CompressionJob::Progress p = m_job->progress();
    m_progress->setValue(int(std::lround(p.fraction * 1000)));
    QString text;
    if (p.writing) {
        text = tr("Writing the archive…");
    } else {
        const QString name = p.layer < int(m_rows.size()) ? QString::fromStdString(m_rows[std::size_t(p.layer)].name) : QString();
        text = tr("Layer %1 of %2: %3").arg(p.layer + 1).arg(p.layers).arg(name);
    }
    if (p.paramsPerSecond > 0)
        text += QStringLiteral(" \u00B7 ") + formatRate(p.paramsPerSecond) + QStringLiteral(" \u00B7 ") +
                tr("%1 left").arg(formatSeconds(p.secondsLeft));
    m_progress->setFormat(tr("%p %"));
    setStatus(text);
}

void WholeModelView::clearResults()
{
    for (QLabel *value : m_fieldValues)
        value->setText(QStringLiteral("\u2014"));
    if (m_model) {
        m_fieldValues[int(Field::Model)]->setText(QFileInfo(m_modelPath).fileName());
        m_fieldValues[int(Field::Model)]->setToolTip(m_modelPath);
        std::uint64_t numel = 0, bytes = 0;
        for (const TensorInfo &t : m_model->tensors()) {
            numel += t.numel();
            bytes += t.byteSize;
        }
        m_fieldValues[int(Field::Layers)]->setText(QString::number(m_model->tensors().size()));
        m_fieldValues[int(Field::Parameters)]->setText(groupedCount(numel));
        m_fieldValues[int(Field::SizeBefore)]->setText(formatBytes(bytes));
    }
    m_rows.clear();
    m_rowDone.clear();
    m_ratioChart->clear();
    m_errorChart->clear();
    m_progress->setValue(0);
    updateState();
}

void WholeModelView::showReport()
{
    if (!m_report)
        return;
    const CompressionReport &r = *m_report;
    const auto &t = r.totals;
    int compressed = 0;
    for (const TensorReport &row : r.tensors)
        compressed += row.status == TensorStatus::Compressed ? 1 : 0;
    const int raw = int(r.tensors.size()) - compressed;
    m_fieldValues[int(Field::Model)]->setText(QFileInfo(m_modelPath).fileName());
    m_fieldValues[int(Field::Model)]->setToolTip(m_modelPath);
    m_fieldValues[int(Field::Layers)]->setText(tr("%1 (%2 compressed, %3 raw)").arg(r.tensors.size()).arg(compressed).arg(raw));
    m_fieldValues[int(Field::Parameters)]->setText(groupedCount(t.numel));
    m_fieldValues[int(Field::SizeBefore)]->setText(formatBytes(t.bytesIn));
    m_fieldValues[int(Field::SizeBefore)]->setToolTip(tr("%1 bytes").arg(groupedCount(t.bytesIn)));
    m_fieldValues[int(Field::SizeAfter)]->setText(formatBytes(t.bytesOut));
    m_fieldValues[int(Field::SizeAfter)]->setToolTip(tr("%1 bytes").arg(groupedCount(t.bytesOut)));
    m_fieldValues[int(Field::Ratio)]->setText(formatRatio(t.ratio));
    m_fieldValues[int(Field::Mae)]->setText(formatError(t.mae));
    m_fieldValues[int(Field::RelError)]->setText(tr("%1 (%2 %)").arg(formatError(t.relFro)).arg(t.relFro * 100, 0, 'f', 2));
    m_fieldValues[int(Field::Throughput)]->setText(formatRate(t.paramsPerSecond));
    m_fieldValues[int(Field::Time)]->setText(formatSeconds(t.seconds));

    // The final rows carry each layer's exact share of the archive.
    m_rows = r.tensors;
    m_rowDone.assign(m_rows.size(), true);
    refreshCharts();
    m_progress->setValue(m_progress->maximum());
    m_progress->setFormat(tr("Done"));
    updateState();
}

void WholeModelView::updateState()
{
    const bool running = m_job->isRunning();
    const bool exporting = m_exportWatcher.isRunning();
    m_compress->setEnabled(m_model && !running && !exporting);
    m_cancel->setEnabled(running);
    m_export->setEnabled(m_model && !running && !exporting);
    m_restore->setEnabled(!exporting);
    const bool stale = isStale() && !running;
    m_staleNote->setVisible(stale);
    if (stale)
        m_staleNote->setText(tr("The config changed since this compression: the figures are those of the previous "
                                "config, and Export will compress again."));
    if (!running && !m_report)
        m_progress->setFormat(m_model ? tr("Not compressed yet") : tr("No model"));
}

void WholeModelView::setStatus(const QString &text, bool error)
{
    m_statusText = text;
    m_statusError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b3261e;") : QString());
}

void WholeModelView::showError(const QString &title, const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool WholeModelView::exportTo(const QString &basePath)
{
    if (isBusy() || basePath.isEmpty())
        return false;
    if (!m_model) {
        setStatus(tr("Open a model first."), true);
        return false;
    }
    QString base = basePath;
    if (base.endsWith(QStringLiteral(".hca"), Qt::CaseInsensitive))
        base.chop(4);
    else if (base.endsWith(QStringLiteral(".hcconfig.json"), Qt::CaseInsensitive))
        base.chop(14);
    const QString archive = base + QStringLiteral(".hca");
    if (sameFile(archive, m_modelPath)) {
        const QString message = tr("%1: the archive would overwrite the model it is made from.").arg(archive);
        setStatus(message, true);
        Q_EMIT exportFailed(message);
        return false;
    }
    if (!QFileInfo(QFileInfo(archive).absolutePath()).isDir()) {
        const QString message = tr("%1: the folder does not exist.").arg(QFileInfo(archive).absolutePath());
        setStatus(message, true);
        Q_EMIT exportFailed(message);
        return false;
    }
    if (m_report && !isStale() && QFileInfo::exists(m_archive)) {
        m_exportBase = base;
        startExportCopy();
        return true;
    }
    // No result for this config yet: compress first, then write.
    if (!compress())
        return false;
    m_pendingExport = base;
    return true;
}

void WholeModelView::startExportCopy()
{
    const QString from = m_archive;
    const QString archive = m_exportBase + QStringLiteral(".hca");
    const QString configPath = m_exportBase + QStringLiteral(".hcconfig.json");
    const CompressionConfig config = m_reportConfig;
    setStatus(tr("Writing %1…").arg(QFileInfo(archive).fileName()));
    m_exportWatcher.setFuture(QtConcurrent::run([from, archive, configPath, config]() -> QString {
        // The config first: if the archive then fails, the config is taken back, so that either
        // both files are there or neither (an older pair is replaced only on success).
        const QString oldConfig = configPath + QStringLiteral(".hc-previous");
        const bool hadConfig = QFileInfo::exists(configPath);
        if (hadConfig) {
            QFile::remove(oldConfig);
            if (!QFile::copy(configPath, oldConfig))
                return QObject::tr("%1: cannot be replaced (the folder is not writable).").arg(configPath);
        }
        if (Status s = config.save(configPath.toStdString()); !s) {
            QFile::remove(oldConfig);
            return QString::fromStdString(s.error());
        }
        const QString error = copyAtomically(from, archive);
        if (!error.isEmpty()) {
            QFile::remove(configPath);
            if (hadConfig)
                QFile::rename(oldConfig, configPath);
            return error;
        }
        QFile::remove(oldConfig);
        return QString();
    }));
    updateState();
    Q_EMIT busyChanged(true);
}

void WholeModelView::onExportCopied()
{
    const QString error = m_exportWatcher.result();
    const QString archive = m_exportBase + QStringLiteral(".hca");
    const QString configPath = m_exportBase + QStringLiteral(".hcconfig.json");
    updateState();
    if (error.isEmpty()) {
        m_exportedArchive = archive;
        setStatus(tr("Exported %1 and %2.").arg(QDir::toNativeSeparators(archive), QFileInfo(configPath).fileName()));
        Q_EMIT exported(archive, configPath);
    } else {
        setStatus(error, true);
        Q_EMIT exportFailed(error);
    }
    Q_EMIT busyChanged(isBusy());
}

void WholeModelView::showExportDialog()
{
    if (isBusy() || !m_model)
        return;
    const QFileInfo model(m_modelPath);
    const QString suggested = model.absoluteDir().filePath(model.completeBaseName() + QStringLiteral(".hca"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Config and Archive"), suggested,
                                                      tr("HyperComp archive (*.hca)"));
    if (path.isEmpty())
        return;
    if (!exportTo(path) && !m_statusText.isEmpty() && m_statusError)
        showError(tr("Export"), m_statusText);
}

void WholeModelView::showRestoreDialog()
{
    auto *dialog = new RestoreDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString archive = !m_exportedArchive.isEmpty() ? m_exportedArchive : m_archive;
    if (!archive.isEmpty() && QFileInfo::exists(archive))
        dialog->setArchive(archive);
    if (!m_modelPath.isEmpty())
        dialog->setOutputFolder(QFileInfo(m_modelPath).absolutePath());
    dialog->open();
}

} // namespace hc
