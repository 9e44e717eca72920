#include "widgets/autotunedialog.h"

#include "widgets/numbertableitem.h"
#include "widgets/promisesink.h"

#include "core/sweep/sweeprunner.h"
#include "widgets/numberformat.h"
#include "widgets/sweepgridfields.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPromise>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace hc {

namespace {

const char *const kCancelled = "the sweep was cancelled";

enum Column { ColLayer, ColSamples, ColBox, ColClasses, ColBpw, ColRatio, ColRel, ColMeets, ColCount };

QString num(double v, int digits = 4)
{
    return QString::number(v, 'g', digits);
}

} // namespace

AutoTuneDialog::AutoTuneDialog(std::shared_ptr<const ModelSource> source, QWidget *parent)
    : QDialog(parent), m_source(std::move(source))
{
    createLayout();
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &AutoTuneDialog::onJobFinished);
    connect(&m_watcher, &QFutureWatcher<Outcome>::progressValueChanged, m_progress, &QProgressBar::setValue);
    retranslateUi();
    resize(820, 640);
}

AutoTuneDialog::~AutoTuneDialog()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_watcher.waitForFinished();
}

void AutoTuneDialog::createLayout()
{
    m_targetGroup = new QGroupBox(this);
    auto *target = new QGridLayout(m_targetGroup);
    m_byError = new QRadioButton(this);
    m_byRatio = new QRadioButton(this);
    m_byError->setChecked(true);
    m_errorSpin = new QDoubleSpinBox(this);
    m_errorSpin->setDecimals(4);
    m_errorSpin->setRange(0.0001, 10.0);
    m_errorSpin->setSingleStep(0.01);
    m_errorSpin->setValue(0.1);
    m_ratioSpin = new QDoubleSpinBox(this);
    m_ratioSpin->setDecimals(2);
    m_ratioSpin->setRange(1.0, 1000.0);
    m_ratioSpin->setSingleStep(0.5);
    m_ratioSpin->setValue(6.0);
    target->addWidget(m_byError, 0, 0);
    target->addWidget(m_errorSpin, 0, 1);
    target->addWidget(m_byRatio, 1, 0);
    target->addWidget(m_ratioSpin, 1, 1);
    target->setColumnStretch(2, 1);

    m_gridGroup = new QGroupBox(this);
    auto *grid = new QGridLayout(m_gridGroup);
    m_fields = new SweepGridFields(this);
    m_gridError = new QLabel(this);
    m_gridError->setWordWrap(true);
    m_gridError->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_gridError->setVisible(false);
    grid->addWidget(m_fields->samplesLabel(), 0, 0);
    grid->addWidget(m_fields->samplesEdit(), 0, 1, 1, 2);
    grid->addWidget(m_fields->boxesLabel(), 1, 0);
    grid->addWidget(m_fields->boxesEdit(), 1, 1);
    grid->addWidget(m_fields->boxModeCombo(), 1, 2);
    grid->addWidget(m_fields->classesLabel(), 2, 0);
    grid->addWidget(m_fields->classesEdit(), 2, 1);
    grid->addWidget(m_fields->classesModeCombo(), 2, 2);
    grid->addWidget(m_gridError, 3, 0, 1, 3);
    grid->setColumnStretch(1, 1);

    m_runButton = new QPushButton(this);
    m_cancelButton = new QPushButton(this);
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_runButton);
    runRow->addWidget(m_cancelButton);
    runRow->addWidget(m_progress, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    m_table = new QTableWidget(0, ColCount, this);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ColLayer, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // the model's own order until asked
    m_table->setSortingEnabled(true);
    m_totals = new QLabel(this);
    m_totals->setWordWrap(true);
    m_totals->setTextFormat(Qt::RichText);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Close, this);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);

    auto *top = new QHBoxLayout;
    top->addWidget(m_targetGroup, 1);
    top->addWidget(m_gridGroup, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(runRow);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_totals);
    layout->addWidget(m_buttons);

    connect(m_byError, &QRadioButton::toggled, this, [this] {
        updateTargetEnabled();
        retune();
    });
    connect(m_errorSpin, &QDoubleSpinBox::valueChanged, this, [this] { retune(); });
    connect(m_ratioSpin, &QDoubleSpinBox::valueChanged, this, [this] { retune(); });
    // The l list's default swap on a box-mode change edits the text, which checks it again.
    for (QLineEdit *e : {samplesEdit(), boxesEdit(), classesEdit()})
        connect(e, &QLineEdit::textChanged, this, [this] {
            const auto g = this->grid();
            m_gridError->setText(g ? QString() : QString::fromStdString(g.error()));
            m_gridError->setVisible(!g);
        });
    connect(m_runButton, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &AutoTuneDialog::cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AutoTuneDialog::reject);
    updateTargetEnabled();
}

void AutoTuneDialog::retranslateUi()
{
    setWindowTitle(tr("Auto-Tune the Model"));
    m_targetGroup->setTitle(tr("Target"));
    m_byError->setText(tr("Maximum relative &error per layer:"));
    m_byError->setToolTip(tr("Each layer gets the highest-ratio config whose relative error ‖w − ŵ‖ / ‖w‖ is at most "
                             "this"));
    m_errorSpin->setToolTip(tr("The largest relative error any layer may have"));
    m_byRatio->setText(tr("Total compression &ratio:"));
    m_byRatio->setToolTip(tr("The least total error whose model-wide ratio (all bytes in / all bytes out) reaches "
                             "this"));
    m_ratioSpin->setToolTip(tr("The model-wide compression ratio to reach"));
    m_ratioSpin->setSuffix(tr(" ×"));
    m_gridGroup->setTitle(tr("Grid to choose from"));
    m_fields->retranslateUi();
    boxesEdit()->setToolTip(tr("Box sizes l: a comma-separated list of positive numbers"));
    classesEdit()->setToolTip(tr("Class counts K (or K_max when automatic), such as 1-4"));
    m_fields->classesModeCombo()->setToolTip(tr("Fixed: use each K as given. Auto: the codec picks K from 1 to each value"));
    m_runButton->setText(tr("&Run"));
    m_runButton->setToolTip(tr("Sweep every layer over the grid in the background, then choose per layer"));
    m_cancelButton->setText(tr("&Stop"));
    m_cancelButton->setToolTip(tr("Stop the running sweep"));
    m_progress->setToolTip(tr("Progress of the sweep over every layer"));
    m_table->setHorizontalHeaderLabels({tr("Layer"), tr("U"), tr("l"), tr("K"), tr("b/w"), tr("Ratio"), tr("Rel. error"),
                                        tr("Meets target")});
    m_table->setToolTip(tr("What each layer got; click a header to sort"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Apply to Layers"));
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Set these configs as per-layer overrides (undoable)"));
    m_buttons->button(QDialogButtonBox::Close)->setText(tr("&Close"));
    m_buttons->button(QDialogButtonBox::Close)->setToolTip(tr("Close without changing any layer"));
    if (m_tuned)
        showTune();
    else if (m_status->text().isEmpty())
        setStatus(tr("Choose a target and run: every layer is swept over the grid, then each gets its config."), false);
}

void AutoTuneDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void AutoTuneDialog::closeEvent(QCloseEvent *event)
{
    cancel();
    QDialog::closeEvent(event);
}

void AutoTuneDialog::reject()
{
    cancel();
    QDialog::reject();
}

QPushButton *AutoTuneDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void AutoTuneDialog::updateTargetEnabled()
{
    m_errorSpin->setEnabled(m_byError->isChecked());
    m_ratioSpin->setEnabled(!m_byError->isChecked());
}

void AutoTuneDialog::setTarget(Target target, double value)
{
    if (target == Target::MaxError) {
        m_byError->setChecked(true);
        m_errorSpin->setValue(value);
    } else {
        m_byRatio->setChecked(true);
        m_ratioSpin->setValue(value);
    }
    retune();
}

AutoTuneDialog::Target AutoTuneDialog::target() const
{
    return m_byError->isChecked() ? Target::MaxError : Target::TotalRatio;
}

double AutoTuneDialog::targetValue() const
{
    return target() == Target::MaxError ? m_errorSpin->value() : m_ratioSpin->value();
}

Result<SweepGrid> AutoTuneDialog::grid() const
{
    return m_fields->grid();
}

QLineEdit *AutoTuneDialog::samplesEdit() const
{
    return m_fields->samplesEdit();
}

QLineEdit *AutoTuneDialog::boxesEdit() const
{
    return m_fields->boxesEdit();
}

QLineEdit *AutoTuneDialog::classesEdit() const
{
    return m_fields->classesEdit();
}

QComboBox *AutoTuneDialog::boxModeCombo() const
{
    return m_fields->boxModeCombo();
}

void AutoTuneDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

bool AutoTuneDialog::run()
{
    const auto g = grid();
    if (!g) {
        m_gridError->setText(QString::fromStdString(g.error()));
        m_gridError->setVisible(true);
        setStatus(tr("The grid is not valid: %1.").arg(QString::fromStdString(g.error())), true);
        return false;
    }
    if (!m_source) {
        setStatus(tr("Open a model to auto-tune."), true);
        return false;
    }
    if (m_running)
        return false;
    m_runningGrid = *g;
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_progress->setValue(0);
    setStatus(tr("Sweeping %1 configs on every layer…").arg(groupedCount(g->size())), false);
    auto flag = m_cancelFlag;
    auto source = m_source;
    const SweepGrid grid = *g;
    const int threads = m_threads;
    m_watcher.setFuture(QtConcurrent::run([flag, source, grid, threads](QPromise<Outcome> &promise) {
        promise.setProgressRange(0, 1000);
        PromiseSink<std::shared_ptr<const Result<ModelSweep>>> sink(promise, flag.get());
        SweepOptions options;
        options.threads = threads;
        auto r = SweepRunner::runModel(*source, grid, options, &sink);
        if (!r && flag->load())
            r = Result<ModelSweep>::failure(kCancelled);
        promise.addResult(std::make_shared<const Result<ModelSweep>>(std::move(r)));
    }));
    return true;
}

void AutoTuneDialog::cancel()
{
    if (m_running && m_cancelFlag) {
        m_cancelFlag->store(true);
        setStatus(tr("Stopping…"), false);
    }
}

void AutoTuneDialog::onJobFinished()
{
    const auto future = m_watcher.future();
    const Outcome outcome = future.resultCount() > 0 ? future.result() : Outcome();
    m_running = false;
    m_runButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    if (!outcome || !outcome->ok()) {
        m_progress->setValue(0);
        if (!outcome || outcome->error() == kCancelled)
            setStatus(tr("The sweep was stopped; no layer was changed."), false);
        else
            setStatus(tr("The sweep failed: %1.").arg(QString::fromStdString(outcome->error())), true);
        Q_EMIT finished(false);
        return;
    }
    m_sweep = std::make_shared<const ModelSweep>(outcome->value());
    m_progress->setValue(1000);
    retune();
    Q_EMIT finished(bool(m_tuned));
}

void AutoTuneDialog::retune()
{
    if (!m_sweep)
        return;
    auto r = target() == Target::MaxError ? AutoTuner::forMaxError(m_sweep->layers, m_errorSpin->value())
                                          : AutoTuner::forTargetRatio(m_sweep->layers, m_ratioSpin->value());
    if (!r) {
        m_tuned.reset();
        m_table->setRowCount(0);
        m_totals->clear();
        okButton()->setEnabled(false);
        setStatus(tr("No configs could be chosen: %1.").arg(QString::fromStdString(r.error())), true);
        return;
    }
    m_tuned = std::move(r).value();
    showTune();
}

void AutoTuneDialog::showTune()
{
    const TuneResult &t = *m_tuned;
    const bool sigma = m_sweep->grid.boxMode == BoxMode::Sigma;
    m_table->setSortingEnabled(false);
    m_table->clearContents();
    m_table->setRowCount(int(t.layers.size()));
    const QColor good(0x2e, 0x7d, 0x32), bad(0xc0, 0x39, 0x2b);
    for (std::size_t i = 0; i < t.layers.size(); ++i) {
        const LayerChoice &c = t.layers[i];
        const int r = int(i);
        auto *name = new QTableWidgetItem(QString::fromStdString(c.name));
        name->setToolTip(QString::fromStdString(c.name));
        m_table->setItem(r, ColLayer, name);
        if (c.raw) {
            const LayerSweep &layer = m_sweep->layers[i];
            auto *raw = new QTableWidgetItem(tr("stored raw"));
            raw->setToolTip(QString::fromStdString(layer.rawReason));
            raw->setForeground(QColor(0x80, 0x80, 0x80));
            m_table->setItem(r, ColSamples, raw);
            m_table->setItem(r, ColRatio, new NumberTableItem(QStringLiteral("1"), 1));
            continue;
        }
        const SweepPoint &p = c.point;
        m_table->setItem(r, ColSamples, new NumberTableItem(QString::number(p.params.samples), p.params.samples));
        auto *box = new NumberTableItem(num(p.absoluteBox), p.absoluteBox);
        if (sigma)
            box->setToolTip(tr("%1 σ").arg(num(p.params.box)));
        m_table->setItem(r, ColBox, box);
        const QString k = p.params.autoClasses ? tr("auto:%1 → %2").arg(p.params.classes).arg(p.classesUsed)
                                               : QString::number(p.params.classes);
        m_table->setItem(r, ColClasses, new NumberTableItem(k, p.params.classes));
        m_table->setItem(r, ColBpw, new NumberTableItem(num(p.bitsPerWeight), p.bitsPerWeight));
        m_table->setItem(r, ColRatio, new NumberTableItem(num(p.ratio), p.ratio));
        m_table->setItem(r, ColRel, new NumberTableItem(num(p.metrics.relFro), p.metrics.relFro));
        auto *meets = new NumberTableItem(c.meetsTarget ? tr("yes") : tr("no"), c.meetsTarget ? 1 : 0);
        meets->setTextAlignment(Qt::AlignCenter);
        meets->setForeground(c.meetsTarget ? good : bad);
        m_table->setItem(r, ColMeets, meets);
    }
    m_table->setSortingEnabled(true);

    const QString verdict = t.targetMet
                                ? QStringLiteral("<b style='color:#2e7d32'>%1</b>").arg(tr("target met"))
                                : QStringLiteral("<b style='color:#c0392b'>%1</b>")
                                      .arg(target() == Target::MaxError
                                               ? tr("target not met: the flagged layers got their least-error config")
                                               : tr("target not met: every layer got its highest-ratio config"));
    m_totals->setText(tr("Whole model: ratio <b>%1×</b> · relative error <b>%2</b> · MAE %3 · %4 of %5 parameters "
                         "compressed · %6")
                          .arg(num(t.totals.ratio), num(t.totals.metrics.relFro), num(t.totals.metrics.mae),
                               groupedCount(t.totals.numel), groupedCount([&] {
                                   std::uint64_t n = 0;
                                   for (const LayerSweep &l : m_sweep->layers)
                                       n += l.numel;
                                   return n;
                               }()),
                               verdict));
    okButton()->setEnabled(true);
    setStatus(tr("Swept %1 configs on %2 layers. Change the target to choose again from the same sweep.")
                  .arg(groupedCount(m_sweep->grid.size()))
                  .arg(m_sweep->layers.size()),
              false);
}

std::map<std::string, CodecParams> AutoTuneDialog::chosenOverrides() const
{
    std::map<std::string, CodecParams> out;
    if (!m_tuned)
        return out;
    for (const LayerChoice &c : m_tuned->layers) {
        if (c.raw)
            continue;
        CodecParams p = c.point.params;
        p.box = c.point.absoluteBox;
        out[c.name] = p;
    }
    return out;
}

} // namespace hc
