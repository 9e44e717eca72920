#include "widgets/sweepgridfields.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QStringList>

namespace hc {

namespace {

const QString kSigmaDefaultBoxes = QStringLiteral("1,2,3,4");

} // namespace

SweepGridFields::SweepGridFields(QWidget *parent) : QObject(parent)
{
    const SweepGrid defaults;
    m_samplesLabel = new QLabel(parent);
    m_samplesEdit = new QLineEdit(formatIntegers(defaults.samples), parent);
    m_samplesLabel->setBuddy(m_samplesEdit);
    m_boxesLabel = new QLabel(parent);
    m_boxesEdit = new QLineEdit(formatReals(defaults.boxes), parent);
    m_boxesLabel->setBuddy(m_boxesEdit);
    m_boxMode = new QComboBox(parent);
    m_boxMode->addItem(QString(), int(BoxMode::Absolute));
    m_boxMode->addItem(QString(), int(BoxMode::Sigma));
    m_classesLabel = new QLabel(parent);
    m_classesEdit = new QLineEdit(formatIntegers(defaults.classes), parent);
    m_classesLabel->setBuddy(m_classesEdit);
    m_classesMode = new QComboBox(parent);
    m_classesMode->addItem(QString(), false);
    m_classesMode->addItem(QString(), true);
    // Swap a default list for the other mode's default: 0.05 σ or 0.1 absolute are rarely meant.
    connect(m_boxMode, &QComboBox::currentIndexChanged, this, [this] {
        const QString text = boxesForMode(m_boxesEdit->text(), boxMode());
        if (text != m_boxesEdit->text())
            m_boxesEdit->setText(text);
    });
}

void SweepGridFields::retranslateUi()
{
    m_samplesLabel->setText(tr("&U samples:"));
    m_samplesEdit->setToolTip(tr("Trajectory sample counts U: a comma-separated list, ranges such as 100-110 allowed"));
    m_boxesLabel->setText(tr("&l box:"));
    m_boxMode->setItemText(0, tr("absolute"));
    m_boxMode->setItemText(1, tr("× σ"));
    m_boxMode->setToolTip(
        tr("Give l in the weights' own units, or as a multiple of each layer's standard deviation σ"));
    m_classesLabel->setText(tr("&K classes:"));
    m_classesMode->setItemText(0, tr("fixed"));
    m_classesMode->setItemText(1, tr("auto up to"));
}

BoxMode SweepGridFields::boxMode() const
{
    return BoxMode(m_boxMode->currentData().toInt());
}

bool SweepGridFields::automaticClasses() const
{
    return m_classesMode->currentData().toBool();
}

std::string SweepGridFields::classesText() const
{
    std::string classes = m_classesEdit->text().trimmed().toStdString();
    if (automaticClasses() && classes.rfind("auto", 0) != 0)
        classes = "auto:" + classes;
    return classes;
}

SweepGridFields::Errors SweepGridFields::errors() const
{
    Errors e;
    if (auto r = SweepGrid::parseSamples(m_samplesEdit->text().toStdString()); !r)
        e.samples = r.error();
    if (auto r = SweepGrid::parseBoxes(m_boxesEdit->text().toStdString()); !r)
        e.boxes = r.error();
    if (auto r = SweepGrid::parseClasses(classesText()); !r)
        e.classes = r.error();
    return e;
}

Result<SweepGrid> SweepGridFields::grid() const
{
    const Errors e = errors();
    for (const std::string *error : {&e.samples, &e.boxes, &e.classes})
        if (!error->empty())
            return Result<SweepGrid>::failure(*error);
    return SweepGrid::parse(m_samplesEdit->text().toStdString(), m_boxesEdit->text().toStdString(), classesText(),
                            boxMode());
}

QString SweepGridFields::formatIntegers(const std::vector<int> &values)
{
    QStringList parts;
    for (std::size_t i = 0; i < values.size();) {
        std::size_t j = i;
        while (j + 1 < values.size() && values[j + 1] == values[j] + 1)
            ++j;
        if (j >= i + 2)
            parts << QStringLiteral("%1-%2").arg(values[i]).arg(values[j]);
        else
            for (std::size_t k = i; k <= j; ++k)
                parts << QString::number(values[k]);
        i = j + 1;
    }
    return parts.join(QLatin1Char(','));
}

QString SweepGridFields::formatReals(const std::vector<double> &values)
{
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 10);
    return parts.join(QLatin1Char(','));
}

QString SweepGridFields::boxesForMode(const QString &text, BoxMode mode)
{
    const QString absoluteDefault = formatReals(SweepGrid().boxes);
    const QString trimmed = text.trimmed();
    if (mode == BoxMode::Sigma && trimmed == absoluteDefault)
        return kSigmaDefaultBoxes;
    if (mode == BoxMode::Absolute && trimmed == kSigmaDefaultBoxes)
        return absoluteDefault;
    return text;
}

} // namespace hc
