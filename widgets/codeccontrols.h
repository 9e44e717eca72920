#pragma once

#include "core/codec/codecparams.h"

#include <QList>
#include <QWidget>

class QAbstractButton;
class QButtonGroup;
class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QRadioButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace hc {

// The codec's three knobs for the selected layer: U (a slider over the squares m² and a spin box,
// with buttons for the common squares 64 … 1600), l (a slider on a log scale and a spin box, in the
// weights' own units, with its size in σ beside it), K (a spin box and "auto up to K_max").
// "Apply to" says whether a change sets this layer's override or the defaults of every layer.
// paramsChanged() says whether the change is final (a value typed, a slider released) or live (a
// slider being dragged), so the evaluator can coalesce live requests. GUI thread only.
class CodecControls : public QWidget {
    Q_OBJECT

public:
    enum class Scope { ThisLayer, AllLayers };

    explicit CodecControls(QWidget *parent = nullptr);

    // Shows `params` without emitting paramsChanged().
    void setParams(const CodecParams &params);
    CodecParams params() const { return m_params; }
    // Whether the selected layer has its own settings (enables "Use defaults").
    void setOverridden(bool overridden);
    // The selected layer's σ, for the "l = … σ" hint (0 when unknown).
    void setLayerSigma(double sigma);

    Scope scope() const;
    void setScope(Scope scope);

    static const QList<int> &commonSamples(); // 64, 100, 144, 225, 400, 900, 1600
    static constexpr double kMinBox = 1e-4;
    static constexpr double kMaxBox = 10.0;
    static constexpr int kBoxSliderSteps = 1000;
    static int boxToSlider(double box);
    static double sliderToBox(int position);

    QSlider *samplesSlider() const { return m_samplesSlider; }
    QSpinBox *samplesSpinBox() const { return m_samplesSpin; }
    QSlider *boxSlider() const { return m_boxSlider; }
    QDoubleSpinBox *boxSpinBox() const { return m_boxSpin; }
    QSpinBox *classesSpinBox() const { return m_classesSpin; }
    QCheckBox *autoClassesCheckBox() const { return m_autoClasses; }
    QPushButton *useDefaultsButton() const { return m_useDefaults; }

Q_SIGNALS:
    void paramsChanged(const hc::CodecParams &params, bool final);
    void scopeChanged(hc::CodecControls::Scope scope);
    void useDefaultsRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showParams();
    void updateSigmaHint();
    void commit(bool final);

    CodecParams m_params;
    double m_sigma = 0;
    bool m_updating = false;

    QGroupBox *m_group = nullptr;
    QLabel *m_samplesLabel = nullptr;
    QSlider *m_samplesSlider = nullptr;
    QSpinBox *m_samplesSpin = nullptr;
    QList<QToolButton *> m_presetButtons;
    QLabel *m_boxLabel = nullptr;
    QSlider *m_boxSlider = nullptr;
    QDoubleSpinBox *m_boxSpin = nullptr;
    QLabel *m_sigmaHint = nullptr;
    QLabel *m_classesLabel = nullptr;
    QSpinBox *m_classesSpin = nullptr;
    QCheckBox *m_autoClasses = nullptr;
    QLabel *m_scopeLabel = nullptr;
    QRadioButton *m_thisLayer = nullptr;
    QRadioButton *m_allLayers = nullptr;
    QButtonGroup *m_scopeGroup = nullptr;
    QPushButton *m_useDefaults = nullptr;
};

} // namespace hc

Q_DECLARE_METATYPE(hc::CodecParams)
