#include "widgets/sweepview.h"

#include "widgets/numbertableitem.h"
#include "widgets/promisesink.h"

#include "widgets/numberformat.h"
#include "widgets/sweepchart.h"
#include "widgets/sweepgridfields.h"

#include <QCheckBox>
#include <QComboBox>
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
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <set>

namespace hc {

namespace {

const char *const kCancelled = "the sweep was cancelled";

enum Column { ColFront, ColSamples, ColBox, ColClasses, ColBits, ColBpw, ColRatio, ColMae, ColRel, ColSqnr, ColCount };

constexpr int kGridIndexRole = Qt::UserRole + 1;

QString num(double v, int digits = 4)
{
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    return QString::number(v, 'g', digits);
}

} // namespace

SweepView::SweepView(QWidget *parent) : QWidget(parent)
{
    qRegisterMetaType<hc::CodecParams>();
    qRegisterMetaType<hc::LayerConfigs>();
    createLayout();
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &SweepView::onJobFinished);
    connect(&m_watcher, &QFutureWatcher<Outcome>::progressValueChanged, m_progress, &QProgressBar::setValue);
    retranslateUi();
    m_chart->clear();
    validateFields(true);
}

SweepView::~SweepView()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_watcher.waitForFinished();
}

void SweepView::createLayout()
{
    m_gridGroup = new QGroupBox(this);
    auto *grid = new QGridLayout(m_gridGroup);
    grid->setColumnStretch(1, 1);
    int row = 0;
    auto errorLabel = [this] {
        auto *l = new QLabel(this);
        l->setWordWrap(true);
        l->setStyleSheet(QStringLiteral("color: #c0392b;"));
        l->setVisible(false);
        return l;
    };

    m_scopeLabel = new QLabel(this);
    m_scope = new QComboBox(this);
    m_scope->addItem(QString());
    m_scope->addItem(QString());
    m_scopeLabel->setBuddy(m_scope);
    grid->addWidget(m_scopeLabel, row, 0);
    grid->addWidget(m_scope, row++, 1, 1, 2);

    m_fields = new SweepGridFields(this);
    m_samplesError = errorLabel();
    grid->addWidget(m_fields->samplesLabel(), row, 0);
    grid->addWidget(m_fields->samplesEdit(), row++, 1, 1, 2);
    grid->addWidget(m_samplesError, row++, 1, 1, 2);

    m_boxesError = errorLabel();
    grid->addWidget(m_fields->boxesLabel(), row, 0);
    grid->addWidget(m_fields->boxesEdit(), row, 1);
    grid->addWidget(m_fields->boxModeCombo(), row++, 2);
    grid->addWidget(m_boxesError, row++, 1, 1, 2);

    m_classesError = errorLabel();
    grid->addWidget(m_fields->classesLabel(), row, 0);
    grid->addWidget(m_fields->classesEdit(), row, 1);
    grid->addWidget(m_fields->classesModeCombo(), row++, 2);
    grid->addWidget(m_classesError, row++, 1, 1, 2);

    m_gridSize = new QLabel(this);
    m_gridSize->setWordWrap(true);
    grid->addWidget(m_gridSize, row++, 0, 1, 3);

    m_displayGroup = new QGroupBox(this);
    auto *display = new QGridLayout(m_displayGroup);
    display->setColumnStretch(1, 1);
    m_measureLabel = new QLabel(this);
    m_measure = new QComboBox(this);
    m_measure->addItem(QString(), int(ErrorMeasure::RelativeError));
    m_measure->addItem(QString(), int(ErrorMeasure::Mae));
    m_measureLabel->setBuddy(m_measure);
    display->addWidget(m_measureLabel, 0, 0);
    display->addWidget(m_measure, 0, 1);
    m_logScale = new QCheckBox(this);
    m_logScale->setChecked(false);
    display->addWidget(m_logScale, 1, 0, 1, 2);
    m_modes = new QCheckBox(this);
    display->addWidget(m_modes, 2, 0, 1, 2);

    m_runButton = new QPushButton(this);
    m_runButton->setDefault(true);
    m_cancelButton = new QPushButton(this);
    m_cancelButton->setEnabled(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_gridGroup);
    leftLayout->addWidget(m_displayGroup);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_status);
    leftLayout->addStretch(1);
    left->setMinimumWidth(280);
    left->setMaximumWidth(380);

    m_chart = new SweepChart(this);
    // The legend alone would ask for the full width; the chart may be narrower and scales down.
    m_chart->setMinimumSize(300, 260);
    m_hover = new QLabel(this);
    m_hover->setWordWrap(true);
    m_hover->setStyleSheet(QStringLiteral("color: #444;"));
    m_table = new QTableWidget(0, ColCount, this);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(36);
    m_table->setMinimumWidth(300);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // grid order until asked
    m_table->setSortingEnabled(true);

    auto *chartBox = new QWidget(this);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_chart, 1);
    chartLayout->addWidget(m_hover);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(chartBox);
    m_splitter->addWidget(m_table);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(left);
    layout->addWidget(m_splitter, 1);

    for (QLineEdit *edit : {samplesEdit(), boxesEdit(), classesEdit()})
        connect(edit, &QLineEdit::textChanged, this, [this] { validateFields(true); });
    for (QLineEdit *edit : {samplesEdit(), boxesEdit(), classesEdit()})
        connect(edit, &QLineEdit::returnPressed, this, [this] { run(); });
    connect(classesModeCombo(), &QComboBox::currentIndexChanged, this, [this] { validateFields(true); });
    // After the fields' own handler, which swaps the default l list.
    connect(boxModeCombo(), &QComboBox::currentIndexChanged, this, [this] { validateFields(true); });
    connect(m_measure, &QComboBox::currentIndexChanged, this, [this] {
        m_chart->setMeasure(measure());
        fillTable();
    });
    connect(m_logScale, &QCheckBox::toggled, m_chart, &SweepChart::setLogScale);
    connect(m_runButton, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancelButton, &QPushButton::clicked, this, &SweepView::cancel);
    connect(m_chart, &SweepChart::configClicked, this, &SweepView::chooseConfig);
    connect(m_chart, &SweepChart::pointHovered, this, [this](const QString &text) {
        m_hover->setText(QString(text).replace(QLatin1Char('\n'), QStringLiteral(" · ")));
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int r, int) {
        const QTableWidgetItem *item = m_table->item(r, ColFront);
        if (item)
            chooseConfig(std::size_t(item->data(kGridIndexRole).toULongLong()));
    });
}

void SweepView::retranslateUi()
{
    m_gridGroup->setTitle(tr("Grid"));
    m_displayGroup->setTitle(tr("Display"));
    m_scopeLabel->setText(tr("&Scope:"));
    m_scope->setToolTip(tr("Sweep the layer selected in the table, or every layer of the model with the totals "
                           "weighted by parameter count"));
    updateScopeText();
    m_fields->retranslateUi();
    boxesEdit()->setToolTip(tr("Box sizes l: a comma-separated list of positive numbers, in the weights' units or in σ"));
    classesEdit()->setToolTip(tr("Class counts K (or K_max when automatic): a comma-separated list, ranges such as 1-4 "
                                 "allowed"));
    classesModeCombo()->setToolTip(tr("Fixed: use each K as given. Auto: the codec picks K from 1 to each value by the "
                                 "lowest error"));
    m_measureLabel->setText(tr("&Error:"));
    m_measure->setItemText(0, tr("Relative error"));
    m_measure->setItemText(1, tr("Mean absolute error"));
    m_measure->setToolTip(tr("The error drawn against the ratio; the Pareto front follows it"));
    m_logScale->setText(tr("&Logarithmic error axis"));
    m_logScale->setToolTip(tr("Draw the error on a log scale, so that small and large errors both read well"));
    m_modes->setText(tr("Compare with the coding &modes"));
    m_modes->setToolTip(tr("Also run the density mode (4 and 5 b/w), the lattice mode (3.5, 4.0, 4.25 b/w) and the "
                           "Pareto configs with entropy-coded indices; takes longer"));
    m_runButton->setText(tr("&Run sweep"));
    m_runButton->setToolTip(tr("Evaluate every config of the grid in the background"));
    m_cancelButton->setText(tr("&Cancel"));
    m_cancelButton->setToolTip(tr("Stop the running sweep"));
    m_progress->setToolTip(tr("Progress of the running sweep"));
    m_progress->setFormat(tr("%p%"));
    m_chart->setToolTip(QString());
    m_table->setHorizontalHeaderLabels({tr("Pareto"), tr("U"), m_resultGrid.boxMode == BoxMode::Sigma ? tr("l (σ)") : tr("l"),
                                        tr("K"), tr("Bits"), tr("b/w"), tr("Ratio"), tr("MAE"), tr("Rel. error"),
                                        tr("SQNR dB")});
    m_table->setToolTip(tr("Every config of the last sweep; click a header to sort, double-click a row to apply it"));
    m_hover->setToolTip(tr("The config under the mouse pointer"));
    if (m_hover->text().isEmpty() || !m_result)
        m_hover->setText(tr("Hover over a point to see its config; click a config to apply it."));
    validateFields(true);
}

void SweepView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SweepView::updateScopeText()
{
    QString name;
    if (m_source && m_layer >= 0 && m_layer < int(m_source->tensors().size()))
        name = QString::fromStdString(m_source->tensors()[std::size_t(m_layer)].name);
    m_scope->setItemText(0, name.isEmpty() ? tr("This layer") : tr("This layer (%1)").arg(name));
    m_scope->setItemText(1, tr("Whole model"));
}

void SweepView::setModel(std::shared_ptr<const ModelSource> source)
{
    cancel();
    m_source = std::move(source);
    m_layer = -1;
    m_result.reset();
    m_chart->clear();
    m_table->setRowCount(0);
    m_progress->setValue(0);
    setStatus(QString(), false);
    updateScopeText();
}

void SweepView::setLayer(int tensorIndex)
{
    m_layer = tensorIndex;
    updateScopeText();
}

void SweepView::setScope(Scope scope)
{
    m_scope->setCurrentIndex(scope == Scope::WholeModel ? 1 : 0);
}

SweepView::Scope SweepView::scope() const
{
    return m_scope->currentIndex() == 1 ? Scope::WholeModel : Scope::ThisLayer;
}

ErrorMeasure SweepView::measure() const
{
    return ErrorMeasure(m_measure->currentData().toInt());
}

void SweepView::setMeasure(ErrorMeasure measure)
{
    m_measure->setCurrentIndex(measure == ErrorMeasure::Mae ? 1 : 0);
}

void SweepView::setModesEnabled(bool on)
{
    m_modes->setChecked(on);
}

bool SweepView::modesEnabled() const
{
    return m_modes->isChecked();
}

Result<SweepGrid> SweepView::grid() const
{
    return m_fields->grid();
}

QLineEdit *SweepView::samplesEdit() const
{
    return m_fields->samplesEdit();
}

QLineEdit *SweepView::boxesEdit() const
{
    return m_fields->boxesEdit();
}

QLineEdit *SweepView::classesEdit() const
{
    return m_fields->classesEdit();
}

QComboBox *SweepView::boxModeCombo() const
{
    return m_fields->boxModeCombo();
}

QComboBox *SweepView::classesModeCombo() const
{
    return m_fields->classesModeCombo();
}

bool SweepView::validateFields(bool showErrors)
{
    auto show = [showErrors](QLabel *label, QLineEdit *edit, const std::string &error) {
        const bool bad = !error.empty();
        if (showErrors) {
            label->setText(bad ? QString::fromStdString(error) : QString());
            label->setVisible(bad);
            edit->setStyleSheet(bad ? QStringLiteral("QLineEdit { border: 1px solid #c0392b; }") : QString());
        }
        return !bad;
    };
    const SweepGridFields::Errors e = m_fields->errors();
    bool ok = show(m_samplesError, samplesEdit(), e.samples);
    ok = show(m_boxesError, boxesEdit(), e.boxes) && ok;
    ok = show(m_classesError, classesEdit(), e.classes) && ok;
    if (!ok) {
        m_gridSize->setText(tr("Fix the lists above to run a sweep."));
        return false;
    }
    const auto g = grid();
    if (!g) {
        m_gridSize->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>")
                                .arg(QString::fromStdString(g.error()).toHtmlEscaped()));
        return false;
    }
    m_gridSize->setText(tr("%1 × %2 × %3 = %4 configs")
                            .arg(g->samples.size())
                            .arg(g->boxes.size())
                            .arg(g->classes.size())
                            .arg(groupedCount(g->size())));
    return true;
}

void SweepView::setStatus(const QString &text, bool error)
{
    m_statusText = text;
    m_statusError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

bool SweepView::run()
{
    if (!validateFields(true)) {
        setStatus(tr("The grid is not valid: see the message under the field."), true);
        return false;
    }
    if (!m_source) {
        setStatus(tr("Open a model to sweep."), true);
        return false;
    }
    const Scope s = scope();
    if (s == Scope::ThisLayer && (m_layer < 0 || m_layer >= int(m_source->tensors().size()))) {
        setStatus(tr("Select a layer to sweep, or sweep the whole model."), true);
        return false;
    }
    auto g = grid();
    if (!g)
        return false;
    Job job;
    job.grid = *g;
    job.request.source = m_source;
    job.request.tensorIndex = s == Scope::ThisLayer ? m_layer : -1;
    job.request.grid = *g;
    job.request.modes = m_modes->isChecked();
    job.request.threads = m_threads;
    if (m_running) {
        // The newer request wins: stop the running sweep and start this one once it has.
        m_cancelFlag->store(true);
        m_pending = job;
        m_hasPending = true;
        setStatus(tr("Stopping the running sweep to start the new one…"), false);
        return true;
    }
    start(job);
    m_runButton->setEnabled(true);
    m_cancelButton->setEnabled(true);
    Q_EMIT runningChanged(true);
    return true;
}

void SweepView::start(const Job &job)
{
    m_runningJob = job;
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    m_progress->setValue(0);
    const QString what = job.request.tensorIndex >= 0
                             ? tr("Sweeping %1 configs on %2…")
                                   .arg(groupedCount(job.grid.size()),
                                        QString::fromStdString(m_source->tensors()[std::size_t(job.request.tensorIndex)].name))
                             : tr("Sweeping %1 configs on every layer…").arg(groupedCount(job.grid.size()));
    setStatus(what, false);
    auto flag = m_cancelFlag;
    const SweepChartData::Request request = job.request;
    m_watcher.setFuture(QtConcurrent::run([flag, request](QPromise<Outcome> &promise) {
        promise.setProgressRange(0, 1000);
        PromiseSink<std::shared_ptr<const Result<SweepChartData>>> sink(promise, flag.get());
        auto r = SweepChartData::compute(request, &sink);
        if (!r && flag->load())
            r = Result<SweepChartData>::failure(kCancelled);
        promise.addResult(std::make_shared<const Result<SweepChartData>>(std::move(r)));
    }));
}

void SweepView::cancel()
{
    m_hasPending = false;
    if (m_running && m_cancelFlag) {
        m_cancelFlag->store(true);
        setStatus(tr("Cancelling…"), false);
    }
}

void SweepView::onJobFinished()
{
    const Job job = m_runningJob;
    const auto future = m_watcher.future();
    const Outcome outcome = future.resultCount() > 0 ? future.result() : Outcome();
    m_running = false;
    // A result for a model that has since been replaced is of no use.
    const bool stale = job.request.source != m_source;
    if (m_hasPending) {
        m_hasPending = false;
        start(m_pending);
        return;
    }
    m_cancelButton->setEnabled(false);
    if (!stale && outcome) {
        if (outcome->ok()) {
            m_result = std::make_shared<const SweepChartData>(outcome->value());
            m_resultGrid = job.grid;
            m_progress->setValue(1000);
            showResult();
            Q_EMIT finished();
        } else if (outcome->error() == kCancelled) {
            m_progress->setValue(0);
            setStatus(tr("The sweep was cancelled."), false);
        } else {
            const QString message = tr("The sweep failed: %1.").arg(QString::fromStdString(outcome->error()));
            m_progress->setValue(0);
            setStatus(message, true);
            Q_EMIT failed(message);
        }
    }
    Q_EMIT runningChanged(false);
}

void SweepView::showResult()
{
    m_chart->setData(m_result, measure(), m_resultGrid.boxMode);
    fillTable();
    retranslateUi(); // the l column says whether it is in σ
    QString text = tr("%1 configs in %2 s.").arg(groupedCount(m_result->points.size())).arg(m_result->seconds, 0, 'f', 1);
    for (const std::string &note : m_result->notes)
        text += QLatin1Char(' ') + tr("Not shown: %1.").arg(QString::fromStdString(note));
    setStatus(text, false);
    m_hover->setText(tr("Hover over a point to see its config; click a config to apply it."));
}

void SweepView::fillTable()
{
    m_table->setSortingEnabled(false);
    m_table->clearContents();
    if (!m_result) {
        m_table->setRowCount(0);
        return;
    }
    const auto &points = m_result->points;
    const auto front = ParetoFront::compute(points, measure());
    const std::set<std::size_t> onFront(front.begin(), front.end());
    m_table->setRowCount(int(points.size()));
    for (std::size_t i = 0; i < points.size(); ++i) {
        const SweepPoint &p = points[i];
        const int r = int(i);
        const bool f = onFront.count(i) > 0;
        auto *mark = new NumberTableItem(f ? QStringLiteral("✓") : QString(), f ? 1 : 0);
        mark->setTextAlignment(Qt::AlignCenter);
        mark->setData(kGridIndexRole, qulonglong(i));
        m_table->setItem(r, ColFront, mark);
        m_table->setItem(r, ColSamples, new NumberTableItem(QString::number(p.params.samples), p.params.samples));
        m_table->setItem(r, ColBox, new NumberTableItem(num(p.params.box), p.params.box));
        const QString k = p.params.autoClasses ? tr("auto:%1 → %2").arg(p.params.classes).arg(p.classesUsed)
                                               : QString::number(p.params.classes);
        m_table->setItem(r, ColClasses, new NumberTableItem(k, p.params.classes));
        m_table->setItem(r, ColBits, new NumberTableItem(QString::number(p.bits), p.bits));
        m_table->setItem(r, ColBpw, new NumberTableItem(num(p.bitsPerWeight), p.bitsPerWeight));
        m_table->setItem(r, ColRatio, new NumberTableItem(num(p.ratio), p.ratio));
        m_table->setItem(r, ColMae, new NumberTableItem(num(p.metrics.mae), p.metrics.mae));
        m_table->setItem(r, ColRel, new NumberTableItem(num(p.metrics.relFro), p.metrics.relFro));
        m_table->setItem(r, ColSqnr, new NumberTableItem(num(p.metrics.sqnrDb), p.metrics.sqnrDb));
    }
    m_table->setSortingEnabled(true);
}

void SweepView::chooseConfig(std::size_t gridIndex)
{
    if (!m_result || gridIndex >= m_result->points.size())
        return;
    // Show the choice in the table.
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QTableWidgetItem *item = m_table->item(r, ColFront);
        if (item && item->data(kGridIndexRole).toULongLong() == gridIndex) {
            m_table->selectRow(r);
            m_table->scrollToItem(item);
            break;
        }
    }
    const SweepPoint &p = m_result->points[gridIndex];
    if (!m_result->wholeModel()) {
        CodecParams params = p.params;
        params.box = p.absoluteBox;
        Q_EMIT configChosen(m_result->tensorIndex, params);
        return;
    }
    LayerConfigs perLayer;
    for (const LayerSweep &layer : m_result->sweep.layers) {
        if (layer.raw || gridIndex >= layer.points.size())
            continue;
        CodecParams params = layer.points[gridIndex].params;
        params.box = layer.points[gridIndex].absoluteBox;
        perLayer[layer.name] = params;
    }
    Q_EMIT layerConfigsChosen(perLayer);
    if (m_resultGrid.boxMode == BoxMode::Absolute)
        Q_EMIT configChosen(-1, p.params);
}

} // namespace hc
