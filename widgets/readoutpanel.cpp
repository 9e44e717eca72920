#include "widgets/readoutpanel.h"

#include "core/baselines/roundtonearestquantizer.h"
#include "widgets/classhistogramview.h"
#include "widgets/numberformat.h"

#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace hc {

ReadoutPanel::ReadoutPanel(QWidget *parent) : QWidget(parent)
{
    m_figuresGroup = new QGroupBox(this);
    auto *grid = new QGridLayout(m_figuresGroup);
    grid->setHorizontalSpacing(14);
    grid->setVerticalSpacing(4);
    grid->setColumnStretch(0, 1);
    m_codecHeader = new QLabel(m_figuresGroup);
    m_baselineHeader = new QLabel(m_figuresGroup);
    for (QLabel *h : {m_codecHeader, m_baselineHeader}) {
        QFont f = h->font();
        f.setBold(true);
        h->setFont(f);
        h->setAlignment(Qt::AlignRight | Qt::AlignBottom);
    }
    grid->addWidget(m_codecHeader, 0, 1);
    grid->addWidget(m_baselineHeader, 0, 2);
    for (int r = 0; r < RowCount; ++r) {
        m_rowLabels[r] = new QLabel(m_figuresGroup);
        grid->addWidget(m_rowLabels[r], r + 1, 0);
        for (int c = 0; c < 2; ++c) {
            auto *v = new QLabel(m_figuresGroup);
            v->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            v->setTextInteractionFlags(Qt::TextSelectableByMouse);
            v->setMinimumWidth(v->fontMetrics().horizontalAdvance(QStringLiteral("0.000000e-00")));
            m_values[r][c] = v;
            grid->addWidget(v, r + 1, c + 1);
        }
    }
    m_status = new QLabel(m_figuresGroup);
    m_status->setWordWrap(true);
    QPalette statusPalette = m_status->palette();
    statusPalette.setColor(QPalette::WindowText, palette().color(QPalette::Disabled, QPalette::WindowText));
    m_status->setPalette(statusPalette);
    grid->addWidget(m_status, RowCount + 1, 0, 1, 3);

    m_histogramGroup = new QGroupBox(this);
    auto *histogramLayout = new QVBoxLayout(m_histogramGroup);
    m_histogram = new ClassHistogramView(m_histogramGroup);
    histogramLayout->addWidget(m_histogram);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_figuresGroup);
    layout->addWidget(m_histogramGroup);

    retranslateUi();
    clear();
}

void ReadoutPanel::retranslateUi()
{
    m_figuresGroup->setTitle(tr("Readouts"));
    m_histogramGroup->setTitle(tr("Pairs per class"));
    m_histogramGroup->setToolTip(tr("How many weight pairs fall in the box (class 0) and in each outlier ring"));
    m_codecHeader->setText(tr("Hyper"));
    m_codecHeader->setToolTip(tr("The hyper-compression codec at the settings above, over every weight of the layer"));
    m_baselineHeader->setText(tr("RTN"));
    m_baselineHeader->setToolTip(tr("A round-to-nearest uniform quantizer (one float16 scale and zero point per "
                                    "tensor) given the same bits per weight"));
    const char *const names[RowCount] = {
        QT_TR_NOOP("Mean abs error"), QT_TR_NOOP("Max abs error"), QT_TR_NOOP("RMS error"),
        QT_TR_NOOP("Relative error"), QT_TR_NOOP("SQNR"), QT_TR_NOOP("Index bits"),
        QT_TR_NOOP("Bits per weight"), QT_TR_NOOP("Ratio")};
    const char *const tips[RowCount] = {
        QT_TR_NOOP("Mean of |w − ŵ| over every weight (the paper's measure)"),
        QT_TR_NOOP("Largest |w − ŵ| over every weight"),
        QT_TR_NOOP("Root mean square of w − ŵ"),
        QT_TR_NOOP("Relative Frobenius error ||w − ŵ|| / ||w||"),
        QT_TR_NOOP("Signal to quantization noise ratio, 20·log10(||w|| / ||w − ŵ||)"),
        QT_TR_NOOP("Bits of each stored index: one index per pair for the codec, one code per weight for RTN"),
        QT_TR_NOOP("Stored bits per weight, metadata included"),
        QT_TR_NOOP("Original bytes / compressed bytes")};
    for (int r = 0; r < RowCount; ++r) {
        m_rowLabels[r]->setText(tr(names[r]));
        m_rowLabels[r]->setToolTip(tr(tips[r]));
        for (QLabel *v : m_values[r])
            v->setToolTip(tr(tips[r]));
    }
    showStatus();
}

void ReadoutPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString ReadoutPanel::format(Row row, double value)
{
    if (std::isnan(value))
        return QStringLiteral("—");
    switch (row) {
    case MaeRow:
    case MaxAbsRow:
    case RmseRow:
        return QString::number(value, 'g', 4);
    case RelErrorRow:
        return QStringLiteral("%1 %").arg(value * 100.0, 0, 'f', 2);
    case SqnrRow:
        return std::isinf(value) ? QStringLiteral("∞ dB") : QStringLiteral("%1 dB").arg(value, 0, 'f', 2);
    case IndexBitsRow:
        return std::abs(value - std::round(value)) < 1e-9 ? QString::number(int(std::lround(value)))
                                                          : QString::number(value, 'f', 2);
    case BitsPerWeightRow:
        return QString::number(value, 'f', 3);
    case RatioRow:
        return QStringLiteral("%1×").arg(value, 0, 'f', 2);
    default:
        return {};
    }
}

QString ReadoutPanel::text(Row row, Column column) const
{
    return m_values[row][column]->text();
}

void ReadoutPanel::clear()
{
    m_evaluation.reset();
    for (auto &row : m_values)
        for (QLabel *v : row) {
            v->setText(QStringLiteral("—"));
            QFont f = v->font();
            f.setBold(false);
            v->setFont(f);
        }
    m_histogram->setCounts({});
    m_message.clear();
    showStatus();
}

void ReadoutPanel::setEvaluation(const LayerEvaluationPtr &evaluation)
{
    if (!evaluation) {
        clear();
        return;
    }
    m_evaluation = evaluation;
    m_message.clear();
    const LayerEvaluation &e = *evaluation;
    const double codec[RowCount] = {e.metrics.mae, e.metrics.maxAbs, e.metrics.rmse, e.metrics.relFro,
                                    e.metrics.sqnrDb, double(e.encoded.bits), e.bitsPerWeight, e.ratio};
    double baseline[RowCount];
    std::fill(std::begin(baseline), std::end(baseline), std::nan(""));
    if (e.baselineOk) {
        const ErrorMetrics &m = e.baseline.metrics;
        const std::size_t numel = std::size_t(e.encoded.numel);
        const double codeBits = RoundToNearestQuantizer::codeBitsFor(e.bitsPerWeight, 0, numel);
        const long levels = RoundToNearestQuantizer::levelsFor(codeBits);
        const double dtypeBits = numel ? 8.0 * double(e.bytesIn) / double(numel) : 0.0;
        baseline[MaeRow] = m.mae;
        baseline[MaxAbsRow] = m.maxAbs;
        baseline[RmseRow] = m.rmse;
        baseline[RelErrorRow] = m.relFro;
        baseline[SqnrRow] = m.sqnrDb;
        baseline[IndexBitsRow] = levels > 1 ? std::log2(double(levels)) : std::nan("");
        baseline[BitsPerWeightRow] = e.baseline.bitsPerWeight;
        baseline[RatioRow] = e.baseline.bitsPerWeight > 0 ? dtypeBits / e.baseline.bitsPerWeight : std::nan("");
    }
    for (int r = 0; r < RowCount; ++r) {
        m_values[r][CodecColumn]->setText(format(Row(r), codec[r]));
        m_values[r][BaselineColumn]->setText(format(Row(r), baseline[r]));
        bool codecBetter = false, baselineBetter = false;
        if (r <= SqnrRow && e.baselineOk) {
            const bool higherIsBetter = r == SqnrRow;
            codecBetter = higherIsBetter ? codec[r] > baseline[r] : codec[r] < baseline[r];
            baselineBetter = higherIsBetter ? baseline[r] > codec[r] : baseline[r] < codec[r];
        }
        QFont f = m_values[r][CodecColumn]->font();
        f.setBold(codecBetter);
        m_values[r][CodecColumn]->setFont(f);
        f.setBold(baselineBetter);
        m_values[r][BaselineColumn]->setFont(f);
    }
    m_baselineHeader->setToolTip(e.baselineOk ? tr("%1: a round-to-nearest uniform quantizer at the codec's bits per weight")
                                                    .arg(QString::fromStdString(e.baseline.name))
                                              : tr("No round-to-nearest baseline: %1")
                                                    .arg(QString::fromStdString(e.baselineError)));
    m_histogram->setCounts(e.histogram);
    showStatus();
}

void ReadoutPanel::setBusy(bool busy)
{
    m_busy = busy;
    showStatus();
}

void ReadoutPanel::setMessage(const QString &message)
{
    m_message = message;
    showStatus();
}

void ReadoutPanel::showStatus()
{
    if (!m_message.isEmpty())
        m_status->setText(m_message);
    else if (m_busy)
        m_status->setText(tr("Computing…"));
    else if (m_evaluation)
        m_status->setText(tr("K used: %1 · computed in %2 ms over all %3 weights")
                              .arg(m_evaluation->encoded.classes)
                              .arg(qRound(m_evaluation->seconds * 1000.0))
                              .arg(groupedCount(m_evaluation->encoded.numel)));
    else
        m_status->setText(tr("Select a layer to see its figures."));
}

} // namespace hc
