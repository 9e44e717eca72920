#pragma once

#include "core/codec/codecparams.h"
#include "core/io/modelsource.h"
#include "core/sweep/autotuner.h"
#include "core/sweep/layersweep.h"
#include "core/sweep/sweepgrid.h"
#include "core/util/result.h"

#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTableWidget;

namespace hc {

class SweepGridFields;

// Auto-tune (issue 5): sweeps every layer of the model over a grid in the background
// (SweepRunner::runModel), then lets AutoTuner pick per layer, for either a maximum relative
// error per layer or a target total compression ratio, and lists what each layer got.
// Changing the target after a run re-tunes at once from the same sweep; changing the grid needs
// a new run. OK is enabled once there is a result; chosenOverrides() then holds the per-layer
// params (box in absolute units, resolved per layer in σ mode) for the main window to apply.
// GUI thread only; closing or destroying the dialog cancels and waits for a running sweep.
class AutoTuneDialog : public QDialog {
    Q_OBJECT

public:
    enum class Target { MaxError, TotalRatio };

    explicit AutoTuneDialog(std::shared_ptr<const ModelSource> source, QWidget *parent = nullptr);
    ~AutoTuneDialog() override;

    void setThreads(int threads) { m_threads = threads; }
    void setTarget(Target target, double value);
    Target target() const;
    double targetValue() const;
    // The grid the fields describe, or why not.
    Result<SweepGrid> grid() const;

    // Starts the sweep (false with the reason shown when the grid is invalid).
    bool run();
    void cancel();
    bool isRunning() const { return m_running; }

    // The outcome, once a run has finished (else empty / false).
    std::map<std::string, CodecParams> chosenOverrides() const;
    bool targetMet() const { return m_tuned && m_tuned->targetMet; }
    const std::optional<TuneResult> &tuneResult() const { return m_tuned; }
    const std::shared_ptr<const ModelSweep> &sweep() const { return m_sweep; }

    // The parts, for tests.
    QLineEdit *samplesEdit() const;
    QLineEdit *boxesEdit() const;
    QLineEdit *classesEdit() const;
    QComboBox *boxModeCombo() const;
    QTableWidget *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *totalsLabel() const { return m_totals; }
    QPushButton *runButton() const { return m_runButton; }
    QPushButton *okButton() const;

Q_SIGNALS:
    void finished(bool ok); // a run ended (ok = a result is shown)

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void reject() override;

private:
    using Outcome = std::shared_ptr<const Result<ModelSweep>>;

    void createLayout();
    void retranslateUi();
    void onJobFinished();
    void retune();
    void showTune();
    void setStatus(const QString &text, bool error);
    void updateTargetEnabled();

    std::shared_ptr<const ModelSource> m_source;
    int m_threads = 0;
    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    bool m_running = false;
    SweepGrid m_runningGrid;
    std::shared_ptr<const ModelSweep> m_sweep;
    std::optional<TuneResult> m_tuned;

    QGroupBox *m_targetGroup = nullptr;
    QRadioButton *m_byError = nullptr;
    QRadioButton *m_byRatio = nullptr;
    QDoubleSpinBox *m_errorSpin = nullptr;
    QDoubleSpinBox *m_ratioSpin = nullptr;
    QGroupBox *m_gridGroup = nullptr;
    SweepGridFields *m_fields = nullptr;
    QLabel *m_gridError = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_totals = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace hc
