#include "widgets/preferencesdialog.h"

#include "widgets/languagemanager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <cmath>

namespace hc {

namespace {

const QString kLanguageKey = QStringLiteral("ui/language");
const QString kSamplesKey = QStringLiteral("defaults/samples");
const QString kBoxKey = QStringLiteral("defaults/box");
const QString kClassesKey = QStringLiteral("defaults/classes");
const QString kAutoClassesKey = QStringLiteral("defaults/autoClasses");
const QString kThreadsKey = QStringLiteral("performance/threads");
const QString kOpenGLKey = QStringLiteral("view/openGL");
const QString kRecentFilesKey = QStringLiteral("files/recentCount");

constexpr double kMinBox = 1e-4;
constexpr double kMaxBox = 1e3;

// An int setting within [lo, hi], else the fallback (the value may be a string from a hand edit).
int intSetting(const QSettings &s, const QString &key, int lo, int hi, int fallback)
{
    bool ok = false;
    const int v = s.value(key, fallback).toInt(&ok);
    return ok && v >= lo && v <= hi ? v : fallback;
}

bool boolSetting(const QSettings &s, const QString &key, bool fallback)
{
    const QVariant v = s.value(key, fallback);
    return v.canConvert<bool>() ? v.toBool() : fallback;
}

void setFormLabel(QFormLayout *form, QWidget *field, const QString &text)
{
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(field)))
        label->setText(text);
}

} // namespace

Preferences Preferences::load()
{
    const QSettings settings;
    return load(settings);
}

Preferences Preferences::load(const QSettings &s)
{
    Preferences p;
    const QString language = s.value(kLanguageKey).toString();
    for (const LanguageManager::Language &l : LanguageManager::availableLanguages()) {
        if (l.code == language)
            p.language = language;
    }
    p.defaults.samples = intSetting(s, kSamplesKey, 1, kMaxSamples, p.defaults.samples);
    bool ok = false;
    const double box = s.value(kBoxKey, p.defaults.box).toDouble(&ok);
    if (ok && std::isfinite(box) && box >= kMinBox && box <= kMaxBox)
        p.defaults.box = box;
    p.defaults.classes = intSetting(s, kClassesKey, 1, kMaxClasses, p.defaults.classes);
    p.defaults.autoClasses = boolSetting(s, kAutoClassesKey, p.defaults.autoClasses);
    p.threads = intSetting(s, kThreadsKey, 0, kMaxThreads, p.threads);
    p.openGL = boolSetting(s, kOpenGLKey, p.openGL);
    p.recentFilesCount = intSetting(s, kRecentFilesKey, 0, kMaxRecentFiles, p.recentFilesCount);
    return p;
}

void Preferences::save() const
{
    QSettings settings;
    save(settings);
}

void Preferences::save(QSettings &s) const
{
    s.setValue(kLanguageKey, language);
    s.setValue(kSamplesKey, defaults.samples);
    s.setValue(kBoxKey, defaults.box);
    s.setValue(kClassesKey, defaults.classes);
    s.setValue(kAutoClassesKey, defaults.autoClasses);
    s.setValue(kThreadsKey, threads);
    s.setValue(kOpenGLKey, openGL);
    s.setValue(kRecentFilesKey, recentFilesCount);
}

bool Preferences::operator==(const Preferences &o) const
{
    return language == o.language && defaults.samples == o.defaults.samples && defaults.box == o.defaults.box
        && defaults.classes == o.defaults.classes && defaults.autoClasses == o.defaults.autoClasses
        && threads == o.threads && openGL == o.openGL && recentFilesCount == o.recentFilesCount;
}

PreferencesDialog::PreferencesDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("PreferencesDialog"));

    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("language"));
    for (const LanguageManager::Language &l : LanguageManager::availableLanguages())
        m_language->addItem(l.nativeName, l.code);
    m_languageNote = new QLabel(this);
    m_languageNote->setWordWrap(true);
    m_recentFiles = new QSpinBox(this);
    m_recentFiles->setObjectName(QStringLiteral("recentFiles"));
    m_recentFiles->setRange(0, Preferences::kMaxRecentFiles);

    m_samples = new QSpinBox(this);
    m_samples->setObjectName(QStringLiteral("samples"));
    m_samples->setRange(1, Preferences::kMaxSamples);
    m_samples->setGroupSeparatorShown(true);
    m_box = new QDoubleSpinBox(this);
    m_box->setObjectName(QStringLiteral("box"));
    m_box->setDecimals(4);
    m_box->setRange(kMinBox, kMaxBox);
    m_box->setSingleStep(0.01);
    m_classes = new QSpinBox(this);
    m_classes->setObjectName(QStringLiteral("classes"));
    m_classes->setRange(1, Preferences::kMaxClasses);
    m_autoClasses = new QCheckBox(this);
    m_autoClasses->setObjectName(QStringLiteral("autoClasses"));

    m_threads = new QSpinBox(this);
    m_threads->setObjectName(QStringLiteral("threads"));
    m_threads->setRange(0, Preferences::kMaxThreads);
    m_openGL = new QCheckBox(this);
    m_openGL->setObjectName(QStringLiteral("openGL"));

    // Labels get their text in retranslateUi(); the buddy makes the label's shortcut reach the field.
    const auto addLabelledRow = [this](QFormLayout *form, QWidget *field) {
        auto *label = new QLabel(this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    m_generalBox = new QGroupBox(this);
    m_generalForm = new QFormLayout(m_generalBox);
    addLabelledRow(m_generalForm, m_language);
    m_generalForm->addRow(m_languageNote);
    addLabelledRow(m_generalForm, m_recentFiles);

    m_defaultsBox = new QGroupBox(this);
    m_defaultsForm = new QFormLayout(m_defaultsBox);
    addLabelledRow(m_defaultsForm, m_samples);
    addLabelledRow(m_defaultsForm, m_box);
    addLabelledRow(m_defaultsForm, m_classes);
    m_defaultsForm->addRow(m_autoClasses);

    m_performanceBox = new QGroupBox(this);
    m_performanceForm = new QFormLayout(m_performanceBox);
    addLabelledRow(m_performanceForm, m_threads);
    m_performanceForm->addRow(m_openGL);

    m_buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setValues(Preferences()); });
    connect(m_autoClasses, &QCheckBox::toggled, this, &PreferencesDialog::updateClassesLabel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_generalBox);
    layout->addWidget(m_defaultsBox);
    layout->addWidget(m_performanceBox);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    retranslateUi();
    setValues(Preferences::load());
}

Preferences PreferencesDialog::values() const
{
    Preferences p;
    p.language = m_language->currentData().toString();
    p.defaults.samples = m_samples->value();
    p.defaults.box = m_box->value();
    p.defaults.classes = m_classes->value();
    p.defaults.autoClasses = m_autoClasses->isChecked();
    p.threads = m_threads->value();
    p.openGL = m_openGL->isChecked();
    p.recentFilesCount = m_recentFiles->value();
    return p;
}

void PreferencesDialog::setValues(const Preferences &p)
{
    const int index = m_language->findData(p.language);
    m_language->setCurrentIndex(index >= 0 ? index : 0);
    m_samples->setValue(p.defaults.samples);
    m_box->setValue(p.defaults.box);
    m_classes->setValue(p.defaults.classes);
    m_autoClasses->setChecked(p.defaults.autoClasses);
    m_threads->setValue(p.threads);
    m_openGL->setChecked(p.openGL);
    m_recentFiles->setValue(p.recentFilesCount);
    updateClassesLabel();
}

void PreferencesDialog::accept()
{
    const Preferences p = values();
    p.save();
    QDialog::accept();
    Q_EMIT preferencesChanged(p);
}

void PreferencesDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void PreferencesDialog::updateClassesLabel()
{
    setFormLabel(m_defaultsForm, m_classes,
                 m_autoClasses->isChecked() ? tr("Largest class count K:") : tr("Class count K:"));
}

void PreferencesDialog::retranslateUi()
{
    setWindowTitle(tr("Preferences"));
    m_generalBox->setTitle(tr("General"));
    m_defaultsBox->setTitle(tr("Defaults for new models"));
    m_performanceBox->setTitle(tr("Performance"));

    setFormLabel(m_generalForm, m_language, tr("&Language:"));
    // The first entry is "System", whose name is translated; the others name themselves.
    m_language->setItemText(0, LanguageManager::availableLanguages().constFirst().nativeName);
    m_languageNote->setText(tr("The language changes as soon as you press OK."));
    setFormLabel(m_generalForm, m_recentFiles, tr("&Recent files to remember:"));
    m_recentFiles->setSpecialValueText(tr("None"));

    setFormLabel(m_defaultsForm, m_samples, tr("Trajectory samples &U:"));
    m_samples->setToolTip(tr("How many points of the winding trajectory are kept as the codebook. "
                             "More samples give a smaller error and longer indices."));
    setFormLabel(m_defaultsForm, m_box, tr("&Box side l:"));
    m_box->setToolTip(tr("Side of the centre box around the centroid of the weight pairs. Pairs outside it "
                         "are outliers and are pulled in by the class rings."));
    m_classes->setToolTip(tr("How many rings sort the outliers by their distance from the centre."));
    m_autoClasses->setText(tr("Choose &K automatically (lowest error up to this count)"));
    updateClassesLabel();

    setFormLabel(m_performanceForm, m_threads, tr("Worker &threads:"));
    m_threads->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    m_openGL->setText(tr("Use &OpenGL to draw big weight clouds"));
    m_openGL->setToolTip(tr("Faster for layers with millions of weights. Turned off automatically when "
                            "no OpenGL context can be made; screenshots always use the software path."));
}

} // namespace hc
