#pragma once

#include "core/sweep/boxresolver.h"
#include "core/sweep/sweepgrid.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>

#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QWidget;

namespace hc {

// The U / l / K grid fields that the Sweep tab and the Auto-Tune dialog share: three list edits
// (filled with SweepGrid's defaults), their labels, the box-mode combo (absolute or × σ) and the
// K-mode combo (fixed or automatic up to), and how they read as a SweepGrid. The widgets are
// children of the parent given and are laid out by the owner, which places them (and their error
// messages) its own way. Switching the box mode swaps one mode's default list for the other's.
// GUI thread only.
class SweepGridFields : public QObject {
    Q_OBJECT

public:
    // Each field's error, one sentence; empty when that field reads.
    struct Errors {
        std::string samples, boxes, classes;
        bool any() const { return !samples.empty() || !boxes.empty() || !classes.empty(); }
    };

    explicit SweepGridFields(QWidget *parent);

    QLabel *samplesLabel() const { return m_samplesLabel; }
    QLineEdit *samplesEdit() const { return m_samplesEdit; }
    QLabel *boxesLabel() const { return m_boxesLabel; }
    QLineEdit *boxesEdit() const { return m_boxesEdit; }
    QComboBox *boxModeCombo() const { return m_boxMode; }
    QLabel *classesLabel() const { return m_classesLabel; }
    QLineEdit *classesEdit() const { return m_classesEdit; }
    QComboBox *classesModeCombo() const { return m_classesMode; }

    BoxMode boxMode() const;
    bool automaticClasses() const;
    // The K field as SweepGrid reads it: "auto:" in front in automatic mode.
    std::string classesText() const;
    Errors errors() const;
    // The grid the fields describe, or the first field's error. An empty field is an error here,
    // not "use the defaults".
    Result<SweepGrid> grid() const;

    // The texts both owners show; an owner sets its own tooltips for the lists after this.
    void retranslateUi();

    // "64,100,144" / "1-4" / "0.05,0.1": a list as the fields show it (runs of integers as ranges).
    static QString formatIntegers(const std::vector<int> &values);
    static QString formatReals(const std::vector<double> &values);
    // The l list to show after switching to `mode`: the other mode's default becomes this one's.
    static QString boxesForMode(const QString &text, BoxMode mode);

private:
    QLabel *m_samplesLabel = nullptr;
    QLineEdit *m_samplesEdit = nullptr;
    QLabel *m_boxesLabel = nullptr;
    QLineEdit *m_boxesEdit = nullptr;
    QComboBox *m_boxMode = nullptr;
    QLabel *m_classesLabel = nullptr;
    QLineEdit *m_classesEdit = nullptr;
    QComboBox *m_classesMode = nullptr;
};

} // namespace hc
