#pragma once

#include "widgets/layerevaluation.h"

#include <QString>
#include <QWidget>

class QGroupBox;
class QLabel;

namespace hc {

class ClassHistogramView;

// The selected layer's figures: MAE, max abs error, RMSE, relative error, SQNR, index bits, bits
// per weight and ratio for the codec, beside the same figures for a round-to-nearest uniform
// quantizer at the same bits per weight (the better error in bold), and the class histogram.
// GUI thread only.
class ReadoutPanel : public QWidget {
    Q_OBJECT

public:
    enum Row { MaeRow, MaxAbsRow, RmseRow, RelErrorRow, SqnrRow, IndexBitsRow, BitsPerWeightRow, RatioRow, RowCount };
    enum Column { CodecColumn, BaselineColumn };

    explicit ReadoutPanel(QWidget *parent = nullptr);

    void setEvaluation(const LayerEvaluationPtr &evaluation);
    const LayerEvaluationPtr &evaluation() const { return m_evaluation; }
    void clear();
    // "Computing…" while a job runs; the figures stay until the new ones arrive.
    void setBusy(bool busy);
    void setMessage(const QString &message);

    // The text shown in a cell (for tests and the screenshot check).
    QString text(Row row, Column column) const;
    // How a codec figure is written in `row`.
    static QString format(Row row, double value);
    ClassHistogramView *histogram() const { return m_histogram; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showStatus();

    LayerEvaluationPtr m_evaluation;
    bool m_busy = false;
    QString m_message;

    QGroupBox *m_figuresGroup = nullptr;
    QGroupBox *m_histogramGroup = nullptr;
    QLabel *m_codecHeader = nullptr;
    QLabel *m_baselineHeader = nullptr;
    QLabel *m_rowLabels[RowCount] = {};
    QLabel *m_values[RowCount][2] = {};
    QLabel *m_status = nullptr;
    ClassHistogramView *m_histogram = nullptr;
};

} // namespace hc
