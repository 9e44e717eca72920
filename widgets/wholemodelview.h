#pragma once

#include "core/archive/compressionreport.h"
#include "core/config/compressionconfig.h"
#include "core/io/modelsource.h"

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QTemporaryDir;
class QTimer;

namespace hc {

class CompressionJob;
class LayerBarsChart;

// The "Whole model" tab: compresses every layer of the model with the current config (its
// defaults, per-layer overrides and skip patterns) off the GUI thread, into an archive in a
// temporary folder the view owns; a progress bar says "layer i of n", parameters per second and
// the time left, and Cancel stops the run without leaving a file. Each finished layer is announced
// (layerCompressed) so that the main window's table fills in as the run goes. When the run is done
// a summary gives the sizes before and after, the ratio, the parameter-weighted MAE and relative
// error and the throughput, and two bar charts give each layer's ratio and relative error.
// "Export…" writes NAME.hcconfig.json and NAME.hca: exactly the bytes
// `hypercomp compress MODEL -o NAME.hca --config NAME.hcconfig.json` writes; if the config changed
// since the last run, it compresses again first. "Restore…" opens a RestoreDialog.
// GUI thread only; the destructor cancels and waits for running work.
class WholeModelView : public QWidget {
    Q_OBJECT

public:
    enum class Field { Model, Layers, Parameters, SizeBefore, SizeAfter, Ratio, Mae, RelError, Throughput, Time };

    explicit WholeModelView(QWidget *parent = nullptr);
    ~WholeModelView() override;

    // The model to compress (cancels a running compression, forgets the last result).
    void setModel(std::shared_ptr<const ModelSource> model, const QString &path);
    std::shared_ptr<const ModelSource> model() const { return m_model; }
    QString modelPath() const { return m_modelPath; }
    // The config to compress with; keep it in step with the per-layer overrides. A change marks the
    // last result as stale (shown, and Export compresses again).
    void setConfig(const CompressionConfig &config);
    const CompressionConfig &config() const { return m_config; }
    // Codec threads (0 = all cores).
    void setThreads(int threads) { m_threads = threads; }

    bool isBusy() const;
    bool isCompressing() const;
    // The report of the last finished compression, and whether config or model changed since.
    const std::optional<CompressionReport> &report() const { return m_report; }
    bool isStale() const;
    // The archive of the last finished compression (in the view's temporary folder), or empty.
    QString archivePath() const { return m_archive; }
    QString temporaryFolder() const;
    // The archive and config of the last export.
    QString exportedArchivePath() const { return m_exportedArchive; }

    // Parts, for tests and the main window.
    QPushButton *compressButton() const { return m_compress; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *restoreButton() const { return m_restore; }
    QProgressBar *progressBar() const { return m_progress; }
    LayerBarsChart *ratioChart() const { return m_ratioChart; }
    LayerBarsChart *errorChart() const { return m_errorChart; }
    QString fieldText(Field field) const;
    QString statusText() const;

    // The summary's number formats (shared with tests so that they check the same text).
    static QString formatBytes(std::uint64_t bytes);
    static QString formatRatio(double ratio);
    static QString formatError(double value);
    static QString formatRate(double paramsPerSecond);
    static QString formatSeconds(double seconds);

public Q_SLOTS:
    // Starts compressing; false when there is no model, the config is invalid (the status line
    // says why) or work is going on.
    bool compress();
    void cancel();
    // Writes BASE.hcconfig.json and BASE.hca (BASE may end in ".hca"); compresses first when the
    // last result is missing or stale. Ends with exported() or exportFailed(). False when busy.
    bool exportTo(const QString &basePath);
    void showExportDialog();
    void showRestoreDialog();

Q_SIGNALS:
    void layerCompressed(const QString &name, double ratio, double relError);
    void compressionStarted();
    // ok: the report and archivePath() are ready; otherwise `message` says why (or that it was cancelled).
    void compressionFinished(bool ok, const QString &message);
    void exported(const QString &archivePath, const QString &configPath);
    void exportFailed(const QString &message);
    void busyChanged(bool busy);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Copied;
    void retranslateUi();
    void updateState();
    void updateProgress();
    void showReport();
    void clearResults();
    void onTensorDone(int index, const TensorReport &row);
    void startExportCopy();
    void onExportCopied();
    void setStatus(const QString &text, bool error = false);
    void showError(const QString &title, const QString &message);
    void refreshCharts();

    std::shared_ptr<const ModelSource> m_model;
    QString m_modelPath;
    CompressionConfig m_config;
    int m_threads = 0;
    std::unique_ptr<QTemporaryDir> m_temp;
    int m_runCounter = 0;

    CompressionJob *m_job = nullptr;
    QTimer *m_progressTimer = nullptr;
    QString m_runArchive;
    CompressionConfig m_runConfig;
    std::optional<CompressionReport> m_report;
    CompressionConfig m_reportConfig;
    QString m_archive;
    std::vector<TensorReport> m_rows; // rows of the current or last run, by model index
    std::vector<bool> m_rowDone;
    QString m_statusText;
    bool m_statusError = false;
    bool m_cancelled = false;

    QString m_pendingExport; // base path waiting for a compression to finish
    QString m_exportBase;
    QFutureWatcher<QString> m_exportWatcher;
    QString m_exportedArchive;

    QPushButton *m_compress = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_restore = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QGroupBox *m_summaryBox = nullptr;
    QLabel *m_staleNote = nullptr;
    QList<QLabel *> m_fieldNames;
    QList<QLabel *> m_fieldValues;
    QGroupBox *m_chartsBox = nullptr;
    QScrollArea *m_chartsScroll = nullptr;
    LayerBarsChart *m_ratioChart = nullptr;
    LayerBarsChart *m_errorChart = nullptr;
};

} // namespace hc
