#include "widgets/codeccontrols.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace hc {

namespace {

constexpr int kMaxSide = 128; // the U slider runs over m = 1 … 128, U = m²

// l in significant digits rather than a fixed number of decimals, stepping by ~10 %.
class BoxSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    void stepBy(int steps) override { setValue(value() * std::pow(1.1, steps)); }
    QString textFromValue(double value) const override { return QString::number(value, 'g', 5); }
    double valueFromText(const QString &text) const override { return text.trimmed().toDouble(); }
    QValidator::State validate(QString &text, int &) const override
    {
        bool ok = false;
        const QString t = text.trimmed();
        const double v = t.toDouble(&ok);
        if (t.isEmpty() || t == QLatin1String(".") || t.endsWith(QLatin1Char('e')) || t.endsWith(QLatin1Char('-')))
            return QValidator::Intermediate;
        if (!ok)
            return QValidator::Invalid;
        return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
    }
};

// The arrows step through the squares (U = m²), which is where the lattice is complete.
class SamplesSpinBox : public QSpinBox {
public:
    using QSpinBox::QSpinBox;
    void stepBy(int steps) override
    {
        const int m = int(std::ceil(std::sqrt(double(value())) - 1e-9));
        int next = m + steps;
        if (steps < 0 && m * m != value())
            next = m + steps + 1; // from a non-square, step down to the square below
        next = std::max(1, next);
        setValue(next * next);
    }
};

} // namespace

const QList<int> &CodecControls::commonSamples()
{
    static const QList<int> values{64, 100, 144, 225, 400, 900, 1600};
    return values;
}

int CodecControls::boxToSlider(double box)
{
    const double t = (std::log10(std::clamp(box, kMinBox, kMaxBox)) - std::log10(kMinBox))
                   / (std::log10(kMaxBox) - std::log10(kMinBox));
    return int(std::lround(t * kBoxSliderSteps));
}

double CodecControls::sliderToBox(int position)
{
    const double t = double(position) / kBoxSliderSteps;
    const double v = std::pow(10.0, std::log10(kMinBox) + t * (std::log10(kMaxBox) - std::log10(kMinBox)));
    // Three significant digits: a slider position gives a value a user can type back.
    const double magnitude = std::pow(10.0, std::floor(std::log10(v)) - 2);
    return std::round(v / magnitude) * magnitude;
}

CodecControls::CodecControls(QWidget *parent) : QWidget(parent)
{
    m_group = new QGroupBox(this);
    auto *grid = new QGridLayout(m_group);
    grid->setColumnStretch(1, 1);
    grid->setVerticalSpacing(6);

    m_samplesLabel = new QLabel(m_group);
    m_samplesSlider = new QSlider(Qt::Horizontal, m_group);
    m_samplesSlider->setRange(1, kMaxSide);
    m_samplesSlider->setPageStep(5);
    m_samplesSpin = new SamplesSpinBox(m_group);
    m_samplesSpin->setRange(1, 16777216);
    m_samplesSpin->setKeyboardTracking(false);
    m_samplesSpin->setMinimumWidth(86);
    m_samplesLabel->setBuddy(m_samplesSpin);
    grid->addWidget(m_samplesLabel, 0, 0);
    grid->addWidget(m_samplesSlider, 0, 1);
    grid->addWidget(m_samplesSpin, 0, 2);

    auto *presets = new QHBoxLayout;
    presets->setSpacing(2);
    for (int u : commonSamples()) {
        auto *b = new QToolButton(m_group);
        b->setText(QString::number(u));
        b->setAutoRaise(false);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        connect(b, &QToolButton::clicked, this, [this, u] {
            m_params.samples = u;
            showParams();
            commit(true);
        });
        m_presetButtons.append(b);
        presets->addWidget(b);
    }
    grid->addLayout(presets, 1, 1, 1, 2);

    m_boxLabel = new QLabel(m_group);
    m_boxSlider = new QSlider(Qt::Horizontal, m_group);
    m_boxSlider->setRange(0, kBoxSliderSteps);
    m_boxSlider->setPageStep(kBoxSliderSteps / 25);
    m_boxSpin = new BoxSpinBox(m_group);
    m_boxSpin->setRange(1e-6, 1000.0);
    m_boxSpin->setDecimals(9);
    m_boxSpin->setKeyboardTracking(false);
    m_boxSpin->setMinimumWidth(86);
    m_boxLabel->setBuddy(m_boxSpin);
    m_sigmaHint = new QLabel(m_group);
    m_sigmaHint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QPalette hintPalette = m_sigmaHint->palette();
    hintPalette.setColor(QPalette::WindowText, palette().color(QPalette::Disabled, QPalette::WindowText));
    m_sigmaHint->setPalette(hintPalette);
    grid->addWidget(m_boxLabel, 2, 0);
    grid->addWidget(m_boxSlider, 2, 1);
    grid->addWidget(m_boxSpin, 2, 2);
    grid->addWidget(m_sigmaHint, 3, 1, 1, 2);

    m_classesLabel = new QLabel(m_group);
    m_classesSpin = new QSpinBox(m_group);
    m_classesSpin->setRange(1, 64);
    m_classesSpin->setKeyboardTracking(false);
    m_classesLabel->setBuddy(m_classesSpin);
    m_autoClasses = new QCheckBox(m_group);
    grid->addWidget(m_classesLabel, 4, 0);
    grid->addWidget(m_autoClasses, 4, 1);
    grid->addWidget(m_classesSpin, 4, 2);

    m_scopeLabel = new QLabel(m_group);
    m_thisLayer = new QRadioButton(m_group);
    m_allLayers = new QRadioButton(m_group);
    m_scopeGroup = new QButtonGroup(this);
    m_scopeGroup->addButton(m_thisLayer, int(Scope::ThisLayer));
    m_scopeGroup->addButton(m_allLayers, int(Scope::AllLayers));
    m_allLayers->setChecked(true);
    auto *scopeRow = new QHBoxLayout;
    scopeRow->addWidget(m_thisLayer);
    scopeRow->addWidget(m_allLayers);
    scopeRow->addStretch(1);
    grid->addWidget(m_scopeLabel, 5, 0);
    grid->addLayout(scopeRow, 5, 1, 1, 2);

    m_useDefaults = new QPushButton(m_group);
    m_useDefaults->setEnabled(false);
    grid->addWidget(m_useDefaults, 6, 1, 1, 2, Qt::AlignRight);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_group);

    connect(m_samplesSlider, &QSlider::valueChanged, this, [this](int m) {
        if (m_updating)
            return;
        m_params.samples = m * m;
        showParams();
        commit(!m_samplesSlider->isSliderDown());
    });
    connect(m_samplesSlider, &QSlider::sliderReleased, this, [this] { commit(true); });
    connect(m_samplesSpin, &QSpinBox::valueChanged, this, [this](int u) {
        if (m_updating)
            return;
        m_params.samples = u;
        showParams();
        commit(true);
    });
    connect(m_boxSlider, &QSlider::valueChanged, this, [this](int position) {
        if (m_updating)
            return;
        m_params.box = sliderToBox(position);
        showParams();
        commit(!m_boxSlider->isSliderDown());
    });
    connect(m_boxSlider, &QSlider::sliderReleased, this, [this] { commit(true); });
    connect(m_boxSpin, &QDoubleSpinBox::valueChanged, this, [this](double box) {
        if (m_updating)
            return;
        m_params.box = box;
        showParams();
        commit(true);
    });
    connect(m_classesSpin, &QSpinBox::valueChanged, this, [this](int k) {
        if (m_updating)
            return;
        m_params.classes = k;
        commit(true);
    });
    connect(m_autoClasses, &QCheckBox::toggled, this, [this](bool on) {
        if (m_updating)
            return;
        m_params.autoClasses = on;
        retranslateUi();
        commit(true);
    });
    connect(m_scopeGroup, &QButtonGroup::idClicked, this, [this](int id) { Q_EMIT scopeChanged(Scope(id)); });
    connect(m_useDefaults, &QPushButton::clicked, this, &CodecControls::useDefaultsRequested);

    retranslateUi();
    showParams();
}

void CodecControls::retranslateUi()
{
    m_group->setTitle(tr("Codec settings"));
    m_samplesLabel->setText(tr("&U samples"));
    const QString samplesTip = tr("U: the number of trajectory samples in the centre box (the codebook has U + 1 "
                                  "points). More samples: smaller error, more bits per weight. Squares fill the box "
                                  "evenly.");
    m_samplesLabel->setToolTip(samplesTip);
    m_samplesSlider->setToolTip(tr("Drag through the squares U = m² (1 … %1)").arg(kMaxSide * kMaxSide));
    m_samplesSpin->setToolTip(samplesTip + QLatin1Char(' ') + tr("The arrows step to the next square."));
    for (QToolButton *b : m_presetButtons)
        b->setToolTip(tr("Set U = %1 (%2 × %2)").arg(b->text()).arg(int(std::lround(std::sqrt(b->text().toDouble())))));

    m_boxLabel->setText(tr("&l box"));
    const QString boxTip = tr("l: the side of the centre box, in the weights' own units. Pairs inside it are "
                              "class 0; pairs outside are pulled in by their ring's scale.");
    m_boxLabel->setToolTip(boxTip);
    m_boxSlider->setToolTip(tr("l on a log scale from %1 to %2").arg(kMinBox).arg(kMaxBox));
    m_boxSpin->setToolTip(boxTip + QLatin1Char(' ') + tr("The arrows change it by 10 %."));
    m_sigmaHint->setToolTip(tr("l in units of the layer's standard deviation σ"));
    updateSigmaHint();

    m_classesLabel->setText(m_params.autoClasses ? tr("&K max") : tr("&K classes"));
    const QString classesTip = m_params.autoClasses
        ? tr("K_max: the encoder tries K = 1 … K_max outlier rings and keeps the K with the lowest mean absolute error.")
        : tr("K: the number of outlier rings around the box. Each ring costs U + 1 more index values.");
    m_classesLabel->setToolTip(classesTip);
    m_classesSpin->setToolTip(classesTip);
    m_autoClasses->setText(tr("auto up to K_max"));
    m_autoClasses->setToolTip(tr("Choose K automatically (lowest mean absolute error) instead of fixing it"));

    m_scopeLabel->setText(tr("Apply to"));
    m_scopeLabel->setToolTip(tr("Where a change of U, l or K goes"));
    m_thisLayer->setText(tr("This layer"));
    m_thisLayer->setToolTip(tr("Changes become an override of the selected layer (marked * in the table)"));
    m_allLayers->setText(tr("All layers"));
    m_allLayers->setToolTip(tr("Changes set the defaults of every layer and drop the per-layer overrides"));
    m_useDefaults->setText(tr("Use &Defaults for This Layer"));
    m_useDefaults->setToolTip(tr("Drop this layer's override so that it follows the model defaults again"));
}

void CodecControls::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CodecControls::setParams(const CodecParams &params)
{
    const bool autoChanged = params.autoClasses != m_params.autoClasses;
    m_params = params;
    showParams();
    if (autoChanged)
        retranslateUi();
}

void CodecControls::showParams()
{
    m_updating = true;
    m_samplesSpin->setValue(m_params.samples);
    if (!m_samplesSlider->isSliderDown())
        m_samplesSlider->setValue(std::clamp(int(std::lround(std::sqrt(double(m_params.samples)))), 1, kMaxSide));
    m_boxSpin->setValue(m_params.box);
    if (!m_boxSlider->isSliderDown())
        m_boxSlider->setValue(boxToSlider(m_params.box));
    m_classesSpin->setValue(m_params.classes);
    m_autoClasses->setChecked(m_params.autoClasses);
    for (QToolButton *b : m_presetButtons) {
        QFont f = b->font();
        f.setBold(b->text().toInt() == m_params.samples);
        b->setFont(f);
    }
    m_updating = false;
    updateSigmaHint();
}

void CodecControls::setOverridden(bool overridden)
{
    m_useDefaults->setEnabled(overridden);
}

void CodecControls::setLayerSigma(double sigma)
{
    m_sigma = sigma;
    updateSigmaHint();
}

void CodecControls::updateSigmaHint()
{
    if (m_sigma > 0)
        m_sigmaHint->setText(tr("l = %1 σ of this layer (σ = %2)")
                                 .arg(QString::number(m_params.box / m_sigma, 'f', 2), QString::number(m_sigma, 'g', 4)));
    else
        m_sigmaHint->setText(QString());
}

CodecControls::Scope CodecControls::scope() const
{
    return m_thisLayer->isChecked() ? Scope::ThisLayer : Scope::AllLayers;
}

void CodecControls::setScope(Scope scope)
{
    (scope == Scope::ThisLayer ? m_thisLayer : m_allLayers)->setChecked(true);
}

void CodecControls::commit(bool final)
{
    Q_EMIT paramsChanged(m_params, final);
}

} // namespace hc
