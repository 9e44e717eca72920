#include "widgets/verifyview.h"

#include "core/archive/archivereader.h"
#include "core/torch/demomodel.h"
#include "core/torch/modelfiles.h"
#include "core/torch/outputcomparison.h"
#include "core/torch/torchscriptrunner.h"
#include "widgets/archiverestorejob.h"
#include "widgets/numberformat.h"

#include <QButtonGroup>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStyle>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace hc {

namespace {

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList dims;
    for (std::int64_t d : shape)
        dims.append(QString::number(d));
    return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
}

struct Job {
    std::string original, archive, restored, testset, inputFile;
    std::vector<std::int64_t> shape;
    std::uint64_t seed = 0;
    bool randomInput = true;
};

std::shared_ptr<VerifyView::Outcome> runCheck(const Job &job)
{
    QElapsedTimer clock;
    clock.start();
    auto out = std::make_shared<VerifyView::Outcome>();
    const auto fail = [&out](const QString &message) {
        out->error = message;
        return out;
    };
    const QString original = QString::fromStdString(job.original);

    auto originalRunner = TorchScriptRunner::load(job.original);
    if (!originalRunner)
        return fail(VerifyView::tr("Verify needs a TorchScript model whose forward takes one tensor: %1")
                        .arg(QString::fromStdString(originalRunner.error())));
    const QString schema = QString::fromStdString((*originalRunner)->forwardSchema());
    if (!VerifyView::takesOneTensor(schema))
        return fail(VerifyView::tr("Verify needs a TorchScript model whose forward takes one tensor; the forward of %1 is "
                                   "“%2”.")
                        .arg(QFileInfo(original).fileName(), schema));

    // The restored module: the original with the archive's tensors in place of its parameters.
    auto reader = ArchiveReader::open(job.archive);
    if (!reader)
        return fail(QString::fromStdString(reader.error()));
    if (Status s = ArchiveRestoreJob::write(**reader, job.restored, ModelFormat::TorchScript, job.original); !s)
        return fail(VerifyView::tr("The archive cannot be put into the module: %1").arg(QString::fromStdString(s.error())));
    auto restoredRunner = TorchScriptRunner::load(job.restored);
    if (!restoredRunner)
        return fail(QString::fromStdString(restoredRunner.error()));

    TensorData input;
    if (job.randomInput) {
        auto in = TorchScriptRunner::randomInput(job.shape, job.seed);
        if (!in)
            return fail(QString::fromStdString(in.error()));
        input = std::move(in).value();
    } else {
        auto file = openModel(job.inputFile);
        if (!file)
            return fail(QString::fromStdString(file.error()));
        if ((*file)->tensors().size() != 1)
            return fail(VerifyView::tr("%1: the input file must hold exactly one tensor, not %2.")
                            .arg(QString::fromStdString(job.inputFile))
                            .arg((*file)->tensors().size()));
        auto t = (*file)->read(0);
        if (!t)
            return fail(QString::fromStdString(t.error()));
        input = std::move(t).value();
    }

    auto a = (*originalRunner)->run(input);
    if (!a)
        return fail(VerifyView::tr("The model's forward failed (is the input shape right?): %1")
                        .arg(QString::fromStdString(a.error())));
    auto b = (*restoredRunner)->run(input);
    if (!b)
        return fail(VerifyView::tr("The restored model's forward failed: %1").arg(QString::fromStdString(b.error())));
    auto cmp = OutputComparison::compare(*a, *b);
    if (!cmp)
        return fail(QString::fromStdString(cmp.error()));
    out->outputShape = a->shape;
    out->count = cmp->count;
    out->maxAbsError = cmp->maxAbsError;
    out->meanAbsError = cmp->meanAbsError;
    out->relativeError = cmp->relativeError;
    out->cosine = cmp->cosine;
    out->argmaxAgreement = cmp->argmaxAgreement;
    out->rows = cmp->rows;

    if (!job.testset.empty()) {
        auto before = DemoModel::accuracy(job.original, job.testset);
        auto after = before ? DemoModel::accuracy(job.restored, job.testset) : before;
        if (before && after) {
            out->hasAccuracy = true;
            out->accuracyBefore = *before;
            out->accuracyAfter = *after;
            auto set = openModel(job.testset);
            if (set) {
                const long labels = (*set)->indexOf("labels");
                if (labels >= 0)
                    out->testCount = std::size_t((*set)->tensors()[std::size_t(labels)].numel());
            }
        } else {
            out->accuracyError = QString::fromStdString(before ? after.error() : before.error());
        }
    }
    out->seconds = double(clock.nsecsElapsed()) * 1e-9;
    return out;
}

QTableWidgetItem *cell(const QString &text, bool number)
{
    auto *it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    it->setTextAlignment((number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    return it;
}

} // namespace

VerifyView::VerifyView(QWidget *parent) : QWidget(parent)
{
    // Models.
    m_modelsBox = new QGroupBox(this);
    m_modelLabel = new QLabel(m_modelsBox);
    m_modelEdit = new QLineEdit(m_modelsBox);
    m_modelBrowse = new QPushButton(m_modelsBox);
    m_archiveLabel = new QLabel(m_modelsBox);
    m_archiveEdit = new QLineEdit(m_modelsBox);
    m_archiveBrowse = new QPushButton(m_modelsBox);
    m_modelLabel->setBuddy(m_modelEdit);
    m_archiveLabel->setBuddy(m_archiveEdit);
    auto *models = new QGridLayout(m_modelsBox);
    models->addWidget(m_modelLabel, 0, 0);
    models->addWidget(m_modelEdit, 0, 1);
    models->addWidget(m_modelBrowse, 0, 2);
    models->addWidget(m_archiveLabel, 1, 0);
    models->addWidget(m_archiveEdit, 1, 1);
    models->addWidget(m_archiveBrowse, 1, 2);
    models->setColumnStretch(1, 1);
    connect(m_modelBrowse, &QPushButton::clicked, this, &VerifyView::browseModel);
    connect(m_archiveBrowse, &QPushButton::clicked, this, &VerifyView::browseArchive);
    connect(m_modelEdit, &QLineEdit::textChanged, this, &VerifyView::updateState);
    connect(m_archiveEdit, &QLineEdit::textChanged, this, &VerifyView::updateState);

    // Input.
    m_inputBox = new QGroupBox(this);
    m_random = new QRadioButton(m_inputBox);
    m_file = new QRadioButton(m_inputBox);
    m_inputGroup = new QButtonGroup(this);
    m_inputGroup->addButton(m_random, int(InputMode::Random));
    m_inputGroup->addButton(m_file, int(InputMode::File));
    m_random->setChecked(true);
    m_shapeLabel = new QLabel(m_inputBox);
    m_shape = new QLineEdit(m_inputBox);
    m_shape->setText(QStringLiteral("1, 32"));
    m_shape->setMaximumWidth(m_shape->fontMetrics().horizontalAdvance(QStringLiteral("8888, 8888, 8888, 8888")) + 16);
    m_shapeLabel->setBuddy(m_shape);
    m_seedLabel = new QLabel(m_inputBox);
    m_seed = new QSpinBox(m_inputBox);
    m_seed->setRange(0, 2147483647);
    m_seed->setValue(0);
    m_seedLabel->setBuddy(m_seed);
    m_inputEdit = new QLineEdit(m_inputBox);
    m_inputBrowse = new QPushButton(m_inputBox);
    auto *input = new QGridLayout(m_inputBox);
    input->addWidget(m_random, 0, 0);
    auto *randomRow = new QHBoxLayout;
    randomRow->addWidget(m_shapeLabel);
    randomRow->addWidget(m_shape);
    randomRow->addSpacing(12);
    randomRow->addWidget(m_seedLabel);
    randomRow->addWidget(m_seed);
    randomRow->addStretch(1);
    input->addLayout(randomRow, 0, 1, 1, 2);
    input->addWidget(m_file, 1, 0);
    input->addWidget(m_inputEdit, 1, 1);
    input->addWidget(m_inputBrowse, 1, 2);
    input->setColumnStretch(1, 1);
    connect(m_inputBrowse, &QPushButton::clicked, this, &VerifyView::browseInput);
    connect(m_inputGroup, &QButtonGroup::idToggled, this, &VerifyView::updateState);
    connect(m_inputEdit, &QLineEdit::textChanged, this, &VerifyView::updateState);

    // Run.
    m_run = new QPushButton(this);
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_run->setDefault(true);
    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 1);
    m_busy->setValue(0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(160);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_busy);
    runRow->addWidget(m_message, 1);

    // Results.
    m_resultBox = new QGroupBox(this);
    m_table = new QTableWidget(RowCount, 2, m_resultBox);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() +
                            RowCount * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth());
    for (int r = 0; r < RowCount; ++r) {
        m_table->setItem(r, 0, cell(QString(), false));
        m_table->setItem(r, 1, cell(QString(), true));
    }
    auto *results = new QVBoxLayout(m_resultBox);
    results->addWidget(m_table);
    results->addStretch(1);

    // Demo accuracy.
    m_demoBox = new QGroupBox(this);
    m_beforeName = new QLabel(m_demoBox);
    m_beforeValue = new QLabel(m_demoBox);
    m_afterName = new QLabel(m_demoBox);
    m_afterValue = new QLabel(m_demoBox);
    m_changeName = new QLabel(m_demoBox);
    m_changeValue = new QLabel(m_demoBox);
    m_demoNote = new QLabel(m_demoBox);
    m_demoNote->setWordWrap(true);
    QFont big = m_beforeValue->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    for (QLabel *l : {m_beforeValue, m_afterValue, m_changeValue}) {
        l->setFont(big);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto *demo = new QGridLayout(m_demoBox);
    demo->setVerticalSpacing(2);
    demo->addWidget(m_beforeName, 0, 0);
    demo->addWidget(m_beforeValue, 1, 0);
    demo->addWidget(m_afterName, 2, 0);
    demo->addWidget(m_afterValue, 3, 0);
    demo->addWidget(m_changeName, 4, 0);
    demo->addWidget(m_changeValue, 5, 0);
    demo->addWidget(m_demoNote, 6, 0);
    demo->setRowMinimumHeight(2, 28);
    demo->setRowMinimumHeight(4, 28);
    demo->setRowStretch(7, 1);
    for (QLabel *l : {m_beforeName, m_afterName, m_changeName}) {
        QPalette pal = l->palette();
        pal.setColor(QPalette::WindowText, pal.color(QPalette::Disabled, QPalette::WindowText).darker(140));
        l->setPalette(pal);
    }

    // The output difference and the demo's accuracy side by side: one glance answers "is it the same model?".
    auto *resultsRow = new QHBoxLayout;
    resultsRow->addWidget(m_resultBox, 3);
    resultsRow->addWidget(m_demoBox, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_modelsBox);
    layout->addWidget(m_inputBox);
    layout->addLayout(runRow);
    layout->addLayout(resultsRow);
    layout->addStretch(1);

    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Outcome>>::finished, this, &VerifyView::onFinished);
    retranslateUi();
    clearOutcome();
    updateState();
}

VerifyView::~VerifyView()
{
    m_watcher.waitForFinished();
}

void VerifyView::retranslateUi()
{
    m_modelsBox->setTitle(tr("Models"));
    m_modelLabel->setText(tr("&Original module:"));
    m_modelEdit->setPlaceholderText(tr("A TorchScript module (.pt) whose forward takes one tensor"));
    m_modelEdit->setToolTip(tr("The TorchScript module the archive was made from"));
    m_modelBrowse->setText(tr("Browse…"));
    m_archiveLabel->setText(tr("&Archive:"));
    m_archiveEdit->setPlaceholderText(tr("The HyperComp archive (.hca) made from that module"));
    m_archiveEdit->setToolTip(tr("Its tensors replace the module's parameters to make the restored module"));
    m_archiveBrowse->setText(tr("Browse…"));
    m_inputBox->setTitle(tr("Input"));
    m_random->setText(tr("&Random normal"));
    m_random->setToolTip(tr("A standard-normal tensor, the same for the same shape and seed on every machine"));
    m_shapeLabel->setText(tr("&Shape:"));
    m_shape->setToolTip(tr("The input tensor's shape, e.g. “1, 32” or “8x3x224x224”"));
    m_shape->setPlaceholderText(tr("e.g. 1, 32"));
    m_seedLabel->setText(tr("S&eed:"));
    m_seed->setToolTip(tr("Seed of the random input"));
    m_file->setText(tr("&Input tensor"));
    m_file->setToolTip(tr("One tensor saved in a safetensors file"));
    m_inputEdit->setPlaceholderText(tr("A safetensors file holding one tensor"));
    m_inputBrowse->setText(tr("&Load Input Tensor…"));
    m_run->setText(tr("&Run"));
    m_run->setToolTip(tr("Restore the module from the archive and run both on the input (in the background)"));
    m_busy->setToolTip(tr("Running"));
    m_resultBox->setTitle(tr("Output difference (restored against original)"));
    m_table->setHorizontalHeaderLabels({tr("Measure"), tr("Value")});
    const QString names[RowCount] = {tr("Max absolute error"), tr("Mean absolute error"), tr("Relative error"),
                                     tr("Cosine similarity"), tr("Unchanged arg-max"), tr("Output")};
    const QString tips[RowCount] = {tr("Largest |restored − original| over the output"),
                                    tr("Mean |restored − original| over the output"),
                                    tr("‖restored − original‖ / ‖original‖"),
                                    tr("Cosine of the angle between the flattened outputs (1 = same direction)"),
                                    tr("Share of rows (last dimension) whose largest entry is the same: for "
                                       "classifiers, the share of unchanged predictions"),
                                    tr("Shape of the output compared")};
    for (int r = 0; r < RowCount; ++r) {
        m_table->item(r, 0)->setText(names[r]);
        m_table->item(r, 0)->setToolTip(tips[r]);
        m_table->item(r, 1)->setToolTip(tips[r]);
    }
    m_demoBox->setTitle(tr("Demo classifier: test accuracy"));
    m_beforeName->setText(tr("Before compression"));
    m_afterName->setText(tr("After compression"));
    m_changeName->setText(tr("Change"));
    m_demoBox->setToolTip(tr("Accuracy of the bundled demo classifier on its held-out test set, with the original and "
                             "with the restored parameters"));
    if (m_outcome)
        showOutcome();
    else
        clearOutcome();
    updateState();
}

void VerifyView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void VerifyView::setModel(const QString &modulePath)
{
    m_modelEdit->setText(modulePath);
    // The demo's accuracy means something for the demo module only.
    if (QFileInfo(modulePath).absoluteFilePath() != QFileInfo(m_demoModule).absoluteFilePath())
        m_testset.clear();
    m_outcome.reset();
    clearOutcome();
    updateState();
}

QString VerifyView::modelPath() const
{
    return m_modelEdit->text().trimmed();
}

void VerifyView::setArchive(const QString &archivePath)
{
    m_archiveEdit->setText(archivePath);
    m_outcome.reset();
    clearOutcome();
    updateState();
}

QString VerifyView::archivePath() const
{
    return m_archiveEdit->text().trimmed();
}

void VerifyView::setDemo(const QString &modulePath, const QString &testsetPath)
{
    m_demoModule = testsetPath.isEmpty() ? QString() : modulePath;
    m_testset = testsetPath;
    if (!modulePath.isEmpty())
        setModel(modulePath);
    if (!testsetPath.isEmpty()) {
        // The demo classifier takes [n, 32]: a batch makes the arg-max share mean something.
        setInputMode(InputMode::Random);
        setInputShape(QStringLiteral("256, 32"));
    }
    m_outcome.reset();
    clearOutcome();
    updateState();
}

void VerifyView::setInputMode(InputMode mode)
{
    (mode == InputMode::Random ? m_random : m_file)->setChecked(true);
}

VerifyView::InputMode VerifyView::inputMode() const
{
    return m_file->isChecked() ? InputMode::File : InputMode::Random;
}

void VerifyView::setInputShape(const QString &shape)
{
    m_shape->setText(shape);
}

QString VerifyView::inputShape() const
{
    return m_shape->text();
}

void VerifyView::setSeed(int seed)
{
    m_seed->setValue(seed);
}

int VerifyView::seed() const
{
    return m_seed->value();
}

void VerifyView::setInputFile(const QString &path)
{
    m_inputEdit->setText(path);
    setInputMode(InputMode::File);
}

QString VerifyView::inputFile() const
{
    return m_inputEdit->text().trimmed();
}

std::optional<std::vector<std::int64_t>> VerifyView::parseShape(const QString &text)
{
    // Whole numbers separated by commas, "x" or spaces, optionally in brackets.
    static const QRegularExpression form(
        QStringLiteral("^\\s*[\\[(]?\\s*\\d+(\\s*[,x\u00D7]\\s*\\d+|\\s+\\d+)*\\s*,?\\s*[\\])]?\\s*$"));
    if (!form.match(text).hasMatch())
        return std::nullopt;
    QStringList parts;
    static const QRegularExpression number(QStringLiteral("\\d+"));
    for (auto it = number.globalMatch(text); it.hasNext();)
        parts.append(it.next().captured());
    if (parts.isEmpty() || parts.size() > 8)
        return std::nullopt;
    std::vector<std::int64_t> shape;
    double numel = 1;
    for (const QString &p : parts) {
        bool ok = false;
        const qlonglong d = p.toLongLong(&ok);
        if (!ok || d <= 0)
            return std::nullopt;
        shape.push_back(std::int64_t(d));
        numel *= double(d);
    }
    // A random input beyond 2^28 values (1 GiB of F32) is a typing error, not a check.
    if (numel > double(1 << 28))
        return std::nullopt;
    return shape;
}

bool VerifyView::takesOneTensor(const QString &schema)
{
    const int open = schema.indexOf(QLatin1Char('('));
    if (open < 0)
        return false;
    // The argument list up to the matching parenthesis, split at top-level commas.
    QStringList args;
    int depth = 0, start = open + 1, end = -1;
    for (int i = open + 1; i < schema.size() && end < 0; ++i) {
        const QChar c = schema[i];
        if (c == QLatin1Char('(') || c == QLatin1Char('['))
            ++depth;
        else if ((c == QLatin1Char(')') || c == QLatin1Char(']')) && depth > 0)
            --depth;
        else if (c == QLatin1Char(')') && depth == 0)
            end = i;
        else if (c == QLatin1Char(',') && depth == 0) {
            args.append(schema.mid(start, i - start).trimmed());
            start = i + 1;
        }
    }
    if (end < 0)
        return false;
    args.append(schema.mid(start, end - start).trimmed());
    if (!args.isEmpty() && args.first().endsWith(QStringLiteral(" self")))
        args.removeFirst();
    if (args.isEmpty() || !args.first().startsWith(QStringLiteral("Tensor ")))
        return false;
    // Further arguments are fine when they have defaults.
    for (int i = 1; i < args.size(); ++i)
        if (!args[i].contains(QLatin1Char('=')))
            return false;
    return true;
}

bool VerifyView::run()
{
    if (isBusy())
        return false;
    Job job;
    job.original = modelPath().toStdString();
    job.archive = archivePath().toStdString();
    job.testset = m_testset.toStdString();
    job.randomInput = inputMode() == InputMode::Random;
    QString error;
    if (modelPath().isEmpty())
        error = tr("Choose the original TorchScript module.");
    else if (!QFileInfo(modelPath()).isFile())
        error = tr("%1: the file does not exist.").arg(modelPath());
    else if (archivePath().isEmpty())
        error = tr("Choose the archive to verify (compress the model in the Whole model tab, or open an .hca file).");
    else if (!QFileInfo(archivePath()).isFile())
        error = tr("%1: the file does not exist.").arg(archivePath());
    else if (job.randomInput) {
        const auto shape = parseShape(m_shape->text());
        if (!shape)
            error = tr("“%1” is not an input shape: give positive whole numbers separated by commas, e.g. “1, 32”.")
                        .arg(m_shape->text());
        else
            job.shape = *shape;
        job.seed = std::uint64_t(m_seed->value());
    } else {
        job.inputFile = inputFile().toStdString();
        if (inputFile().isEmpty())
            error = tr("Choose a safetensors file holding the input tensor.");
    }
    if (error.isEmpty() && !m_temp) {
        m_temp = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/hypercomp-verify-XXXXXX"));
        if (!m_temp->isValid()) {
            error = tr("No temporary folder can be made for the restored module (%1).").arg(m_temp->errorString());
            m_temp.reset();
        }
    }
    if (!error.isEmpty()) {
        setMessage(error, true);
        Q_EMIT finished(false, error);
        return false;
    }
    // A fresh name per run: a module still loaded by an earlier run is never overwritten.
    const QString restored = QDir(m_temp->path()).filePath(QStringLiteral("restored-%1.pt").arg(++m_runCounter));
    QFile::remove(QDir(m_temp->path()).filePath(QStringLiteral("restored-%1.pt").arg(m_runCounter - 1)));
    job.restored = restored.toStdString();
    setMessage(tr("Restoring the module and running both…"), false);
    m_watcher.setFuture(QtConcurrent::run([job] { return runCheck(job); }));
    updateState();
    return true;
}

void VerifyView::onFinished()
{
    const std::shared_ptr<Outcome> outcome = m_watcher.result();
    updateState();
    if (!outcome || !outcome->error.isEmpty()) {
        const QString message = outcome ? outcome->error : tr("The check did not run.");
        m_outcome.reset();
        clearOutcome();
        setMessage(message, true);
        Q_EMIT finished(false, message);
        return;
    }
    m_outcome = *outcome;
    showOutcome();
    const QString message = tr("Checked in %1 s: %2 output values compared.")
                                .arg(outcome->seconds, 0, 'f', 2)
                                .arg(outcome->count);
    setMessage(outcome->accuracyError.isEmpty() ? message : message + QLatin1Char(' ') + outcome->accuracyError,
               !outcome->accuracyError.isEmpty());
    Q_EMIT finished(true, QString());
}

void VerifyView::clearOutcome()
{
    for (int r = 0; r < RowCount; ++r)
        m_table->item(r, 1)->setText(QStringLiteral("\u2014"));
    m_beforeValue->setText(QStringLiteral("\u2014"));
    m_afterValue->setText(QStringLiteral("\u2014"));
    m_changeValue->setText(QStringLiteral("\u2014"));
    m_changeValue->setStyleSheet(QString());
    m_demoNote->setText(tr("Run the check to measure the demo classifier's accuracy with the restored parameters."));
    m_demoBox->setVisible(!m_testset.isEmpty());
}

void VerifyView::showOutcome()
{
    if (!m_outcome)
        return;
    const Outcome &o = *m_outcome;
    m_table->item(RowMaxAbs, 1)->setText(QString::number(o.maxAbsError, 'g', 4));
    m_table->item(RowMeanAbs, 1)->setText(QString::number(o.meanAbsError, 'g', 4));
    m_table->item(RowRelative, 1)->setText(
        tr("%1 (%2 %)").arg(QString::number(o.relativeError, 'g', 4)).arg(o.relativeError * 100, 0, 'f', 3));
    m_table->item(RowCosine, 1)->setText(QString::number(o.cosine, 'f', 6));
    const std::size_t same = std::size_t(std::lround(o.argmaxAgreement * double(o.rows)));
    m_table->item(RowArgmax, 1)->setText(tr("%1 % (%2 of %3 rows)").arg(o.argmaxAgreement * 100, 0, 'f', 2).arg(same).arg(o.rows));
    m_table->item(RowShape, 1)->setText(tr("%1, %2 values").arg(shapeText(o.outputShape)).arg(o.count));

    m_demoBox->setVisible(!m_testset.isEmpty());
    if (o.hasAccuracy) {
        const double delta = (o.accuracyAfter - o.accuracyBefore) * 100;
        const auto percent = [&o](double a) {
            QString s = tr("%1 %").arg(a * 100, 0, 'f', 2);
            if (o.testCount)
                s += QStringLiteral("&nbsp;&nbsp;<span style=\"font-size: small; font-weight: normal;\">%1</span>")
                         .arg(tr("%1 of %2 test samples")
                                  .arg(groupedCount(std::uint64_t(std::llround(a * double(o.testCount)))),
                                       groupedCount(o.testCount)));
            return s;
        };
        m_beforeValue->setText(percent(o.accuracyBefore));
        m_afterValue->setText(percent(o.accuracyAfter));
        m_changeValue->setText(tr("%1%2 points").arg(delta >= 0 ? QStringLiteral("+") : QString()).arg(delta, 0, 'f', 2));
        const bool fine = delta > -1.0;
        m_changeValue->setStyleSheet(fine ? QStringLiteral("color: #2e7d32;") : QStringLiteral("color: #b3261e;"));
        m_demoNote->setText(fine ? tr("No retraining: the restored weights are used as they are, and the classifier is as "
                                      "accurate as before (within a point).")
                                 : tr("The restored weights cost more than a point of accuracy: try more samples U or a "
                                      "larger K for the most sensitive layers."));
    } else {
        m_beforeValue->setText(QStringLiteral("\u2014"));
        m_afterValue->setText(QStringLiteral("\u2014"));
        m_changeValue->setText(QStringLiteral("\u2014"));
        m_demoNote->setText(o.accuracyError);
    }
}

QString VerifyView::accuracyText() const
{
    return tr("%1 → %2 (%3)").arg(m_beforeValue->text(), m_afterValue->text(), m_changeValue->text());
}

void VerifyView::updateState()
{
    const bool busy = isBusy();
    m_run->setEnabled(!busy);
    m_busy->setRange(0, busy ? 0 : 1);
    m_busy->setValue(0);
    m_busy->setVisible(busy);
    const bool random = inputMode() == InputMode::Random;
    m_shape->setEnabled(random);
    m_seed->setEnabled(random);
    m_inputEdit->setEnabled(!random);
    m_inputBrowse->setEnabled(true);
    m_modelBrowse->setEnabled(!busy);
    m_archiveBrowse->setEnabled(!busy);
}

void VerifyView::setMessage(const QString &text, bool error)
{
    m_messageText = text;
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b3261e;") : QString());
}

void VerifyView::browseModel()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Original TorchScript Module"), modelPath(),
                                                      tr("TorchScript modules (*.pt *.pth);;All files (*)"));
    if (!path.isEmpty()) {
        setModel(path);
    }
}

void VerifyView::browseArchive()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Archive"), archivePath(),
                                                      tr("HyperComp archives (*.hca *.safetensors);;All files (*)"));
    if (!path.isEmpty())
        setArchive(path);
}

void VerifyView::browseInput()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Input Tensor"), inputFile(),
                                                      tr("safetensors (*.safetensors);;All files (*)"));
    if (!path.isEmpty())
        setInputFile(path);
}

} // namespace hc
