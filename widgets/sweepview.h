#pragma once

#include "core/codec/codecparams.h"
#include "core/io/modelsource.h"
#include "core/sweep/boxresolver.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweepgrid.h"
#include "core/util/result.h"
#include "widgets/codeccontrols.h" // Q_DECLARE_METATYPE(hc::CodecParams)
#include "widgets/sweepchartdata.h"

#include <QFutureWatcher>
#include <QMetaType>
#include <QString>
#include <QWidget>

#include <atomic>
#include <map>
#include <memory>
#include <string>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableWidget;

namespace hc {

class SweepChart;
class SweepGridFields;

// Per-layer params by tensor name (box absolute).
using LayerConfigs = std::map<std::string, CodecParams>;

// The Sweep tab (issue 5): a U × l × K grid over the current layer or the whole model, run off the
// GUI thread (SweepRunner, then the RTN / NF4 baselines and, when asked, the issue-9 modes), drawn
// as error against compression ratio with the Pareto front, and listed in a sortable table.
// Clicking a config on the chart (or double-clicking its row) applies it:
//   - a layer sweep emits configChosen(layer, params) with the box resolved to absolute units;
//   - a whole-model sweep emits layerConfigsChosen() with every compressible layer's params (box
//     resolved per layer, which differs by layer in σ mode), and, when the box mode is absolute
//     (the same params for every layer), also configChosen(-1, params) meaning "all layers".
// A new Run while one is running cancels the running one and starts once it has stopped.
// GUI thread only; the destructor cancels and waits for a running job.
class SweepView : public QWidget {
    Q_OBJECT

public:
    enum class Scope { ThisLayer, WholeModel };

    explicit SweepView(QWidget *parent = nullptr);
    ~SweepView() override;

    // The model to sweep; cancels a running sweep and clears the results.
    void setModel(std::shared_ptr<const ModelSource> source);
    const std::shared_ptr<const ModelSource> &model() const { return m_source; }
    // The layer "this layer" sweeps (a tensor index of the model; -1 = none).
    void setLayer(int tensorIndex);
    int layer() const { return m_layer; }
    void setScope(Scope scope);
    Scope scope() const;
    void setThreads(int threads) { m_threads = threads; }

    // The grid the fields describe, or the first field's error (also shown under that field).
    Result<SweepGrid> grid() const;
    ErrorMeasure measure() const;
    void setMeasure(ErrorMeasure measure);
    void setModesEnabled(bool on);
    bool modesEnabled() const;

    // Starts a sweep with the current fields; false (and the error shown) when they are invalid
    // or there is nothing to sweep.
    bool run();
    void cancel();
    bool isRunning() const { return m_running; }

    // The last finished sweep (null before the first) and the box mode it ran with.
    const std::shared_ptr<const SweepChartData> &result() const { return m_result; }
    BoxMode resultBoxMode() const { return m_resultGrid.boxMode; }
    // Applies grid point `gridIndex` of the result, as a click on it does.
    void chooseConfig(std::size_t gridIndex);

    // The parts, for tests.
    SweepChart *chart() const { return m_chart; }
    QTableWidget *table() const { return m_table; }
    QLineEdit *samplesEdit() const;
    QLineEdit *boxesEdit() const;
    QLineEdit *classesEdit() const;
    QComboBox *boxModeCombo() const;
    QComboBox *classesModeCombo() const;
    QCheckBox *logScaleCheckBox() const { return m_logScale; }
    QLabel *samplesError() const { return m_samplesError; }
    QLabel *boxesError() const { return m_boxesError; }
    QLabel *classesError() const { return m_classesError; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *runButton() const { return m_runButton; }
    QPushButton *cancelButton() const { return m_cancelButton; }
    QProgressBar *progressBar() const { return m_progress; }

Q_SIGNALS:
    void configChosen(int tensorIndex, const hc::CodecParams &params);
    void layerConfigsChosen(const hc::LayerConfigs &params);
    void runningChanged(bool running);
    void finished();
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    using Outcome = std::shared_ptr<const Result<SweepChartData>>;
    struct Job {
        SweepChartData::Request request;
        SweepGrid grid;
    };

    void createLayout();
    void retranslateUi();
    bool validateFields(bool showErrors);
    void start(const Job &job);
    void onJobFinished();
    void showResult();
    void fillTable();
    void setStatus(const QString &text, bool error);
    void updateScopeText();

    std::shared_ptr<const ModelSource> m_source;
    int m_layer = -1;
    int m_threads = 0;

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    bool m_running = false;
    bool m_hasPending = false;
    Job m_pending;
    Job m_runningJob;
    std::shared_ptr<const SweepChartData> m_result;
    SweepGrid m_resultGrid;

    QGroupBox *m_gridGroup = nullptr;
    QGroupBox *m_displayGroup = nullptr;
    QLabel *m_scopeLabel = nullptr;
    QComboBox *m_scope = nullptr;
    SweepGridFields *m_fields = nullptr;
    QLabel *m_samplesError = nullptr;
    QLabel *m_boxesError = nullptr;
    QLabel *m_classesError = nullptr;
    QLabel *m_gridSize = nullptr;
    QLabel *m_measureLabel = nullptr;
    QComboBox *m_measure = nullptr;
    QCheckBox *m_modes = nullptr;
    QCheckBox *m_logScale = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QString m_statusText;
    bool m_statusError = false;
    QSplitter *m_splitter = nullptr;
    SweepChart *m_chart = nullptr;
    QLabel *m_hover = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace hc

Q_DECLARE_METATYPE(hc::SweepView::Scope)
Q_DECLARE_METATYPE(hc::LayerConfigs)
