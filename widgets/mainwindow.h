#pragma once

#include "core/config/compressionconfig.h"

#include "core/io/modelsource.h"
#include "widgets/layerevaluation.h"
#include "widgets/layerstatisticsjob.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QString>
#include <QStringList>

#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;
class QUndoStack;

namespace hc {

class CodecControls;
class ErgodicView;
class CompanderView;
class SweepView;
class VerifyView;
class WholeModelView;
class LanguageManager;
class LayerEvaluator;
class LayerTableModel;
class ReadoutPanel;
class WeightCloudView;

// The workbench window: the layer table (left), a tab widget whose first tab is the weight cloud
// (centre) and the codec controls with their readouts (right), in one splitter.
// Models open off the GUI thread (File > Open, Open Recent, drag and drop, or openModel()); a file
// that cannot be opened leaves the previous model open and says why in one sentence. Layer
// statistics and the selected layer's evaluation also run off the GUI thread.
// Window geometry, splitter and table layout and the recent files are kept in QSettings.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts opening `path`; `layerName` (optional) is selected once it is open, else the largest
    // compressible layer is. Result: modelOpened() or openFailed().
    void openModel(const QString &path, const QString &layerName = QString());
    // Opens the bundled demo classifier (copied out of the resources into the app's data folder).
    void openDemo(const QString &layerName = QString());
    // Where the demo model and its test set live once copied out; empty when they cannot be written.
    static QString demoModelPath();
    static QString demoTestSetPath();
    bool isOpening() const { return m_opening; }
    QString modelPath() const;
    std::shared_ptr<const ModelSource> model() const { return m_source; }

    // Selects a layer by its name in the model; false when there is none.
    bool selectLayer(const QString &name);
    int currentLayer() const { return m_currentLayer; }

    // For --screenshot: no dialogs (errors only through openFailed()), no saved window state,
    // no OpenGL.
    void setBatchMode(bool batch);
    bool batchMode() const { return m_batch; }
    // A model is open, its statistics are in, no job runs and the readouts show the selected
    // layer at its current settings (or it is a raw layer).
    bool isSettled() const;

    QStringList recentFiles() const;
    static constexpr int kDefaultRecentFiles = 10;

    // The parts, for tests and for the tabs later issues add.
    LayerTableModel *layerModel() const { return m_layerModel; }
    QSortFilterProxyModel *layerProxy() const { return m_proxy; }
    QTableView *layerView() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QTabWidget *centreTabs() const { return m_tabs; }
    WeightCloudView *cloudView() const { return m_cloud; }
    CodecControls *controls() const { return m_controls; }
    ReadoutPanel *readouts() const { return m_readouts; }
    ErgodicView *ergodicView() const { return m_ergodic; }
    WholeModelView *wholeModelView() const { return m_whole; }
    SweepView *sweepView() const { return m_sweep; }
    // The centre tab that shows `page` (pages may sit inside a scroll area), or -1.
    int tabIndexOf(QWidget *page) const;
    CompanderView *companderView() const { return m_compander; }
    // Several layers' settings at once as overrides, one undo step (a whole-model sweep point, an
    // auto-tune result). Layers the model lacks are ignored.
    void setLayerOverrides(const std::map<std::string, CodecParams> &overrides, const QString &text);
    void showAutoTuneDialog();
    VerifyView *verifyView() const { return m_verify; }

    // The session's compression config: the defaults, every layer override and the skip patterns,
    // exactly what Export writes and `hypercomp compress --config` reads.
    CompressionConfig currentConfig() const;
    // Sets the config (undoably, under `text`); layers it names that the model lacks are ignored.
    void setConfig(const CompressionConfig &config, const QString &text);
    // One layer's settings as an override (undoably), e.g. from a sweep point.
    void setLayerParams(int layer, const CodecParams &params, const QString &text);
    QUndoStack *undoStack() const { return m_undo; }
    // True when the config changed since it was last saved or exported.
    bool hasUnsavedConfig() const;
    // Saves the config to `path` and marks it saved. Fails with an error dialog.
    bool saveConfig(const QString &path);
    void markConfigSaved();
    // Asks whether to save unsaved per-layer configs before they are discarded; false = cancel.
    bool confirmDiscard();
    // The crash-safe copy of the session's unsaved config, and its restore on the next start.
    static QString autosavePath();
    bool restoreAutosave(bool ask = true);
    LanguageManager *languages() const { return m_languages; }
    LayerEvaluator *evaluator() const { return m_evaluator; }
    QAction *openAction() const { return m_openAction; }

Q_SIGNALS:
    void modelOpened(const QString &path);
    // The session's config changed (an edit, an undo, a loaded file).
    void configChanged();
    void openFailed(const QString &message);
    void readoutsShown(int layer);
    void statisticsFinished();
    void settled();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Opened {
        std::shared_ptr<const ModelSource> source;
        QString error;
        double seconds = 0;
    };

    void createActions();
    void createLayout();
    void retranslateUi();
    void restoreWindowState();
    void saveWindowState();
    void showOpenDialog();
    void rebuildRecentMenu();
    void addRecentFile(const QString &path);
    void onOpenFinished();
    void installModel(const std::shared_ptr<const ModelSource> &source, const QString &path);
    void showError(const QString &title, const QString &message);
    void onCurrentRowChanged(const QModelIndex &current);
    void showLayer(int layer);
    void onParamsChanged(const CodecParams &params, bool final);
    void onUseDefaults();
    void onEvaluation(const LayerEvaluationPtr &evaluation);
    void onStatisticsItem(const LayerStatisticsJob::Item &item);
    void refreshStatistics();
    void updateStatusBar();
    void checkSettled();
    void showPreferences();
    void applyConfig(const CompressionConfig &config);
    void pushConfigChange(const CompressionConfig &before, const QString &text, int mergeKey = -1, bool closing = true);
    void writeAutosave();
    void clearAutosave();
    void showSaveConfigDialog();
    QString askConfigSavePath();
    void showLoadConfigDialog();
    void openWithConfirmation(const QString &path);
    int defaultLayer() const;

    std::shared_ptr<const ModelSource> m_source;
    QString m_path;
    QString m_pendingPath;
    QString m_pendingLayer;
    bool m_opening = false;
    bool m_batch = false;
    bool m_wasSettled = false;
    int m_currentLayer = -1;
    int m_threads = 0;
    int m_recentCount = kDefaultRecentFiles;
    CodecParams m_defaults;

    QFutureWatcher<Opened> m_openWatcher;
    LayerStatisticsJob *m_statistics = nullptr;
    LayerEvaluator *m_evaluator = nullptr;
    QTimer *m_statisticsTimer = nullptr;

    LayerTableModel *m_layerModel = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QSplitter *m_splitter = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_tableTitle = nullptr;
    QTabWidget *m_tabs = nullptr;
    QStackedWidget *m_cloudStack = nullptr;
    QLabel *m_emptyHint = nullptr;
    QPushButton *m_emptyOpen = nullptr;
    WeightCloudView *m_cloud = nullptr;
    QWidget *m_rightPanel = nullptr;
    CodecControls *m_controls = nullptr;
    ReadoutPanel *m_readouts = nullptr;
    ErgodicView *m_ergodic = nullptr;
    WholeModelView *m_whole = nullptr;
    SweepView *m_sweep = nullptr;
    CompanderView *m_compander = nullptr;
    QAction *m_autoTuneAction = nullptr;
    QAction *m_compressAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_restoreAction = nullptr;
    QMenu *m_toolsMenu = nullptr;
    VerifyView *m_verify = nullptr;
    LanguageManager *m_languages = nullptr;
    QAction *m_demoAction = nullptr;
    QUndoStack *m_undo = nullptr;
    QMenu *m_editMenu = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_saveConfigAction = nullptr;
    QAction *m_loadConfigAction = nullptr;
    QTimer *m_autosaveTimer = nullptr;
    std::vector<std::string> m_skip;       // skip patterns of a loaded config, kept in exports
    bool m_hasPendingConfig = false;        // apply m_pendingConfig once the model is open
    CompressionConfig m_pendingConfig;
    QString m_configPath;                   // where the config was last saved or loaded

    QLabel *m_statusModel = nullptr;
    QLabel *m_statusJob = nullptr;
    QProgressBar *m_statusProgress = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_preferencesAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_openGLAction = nullptr;
    QAction *m_helpAction = nullptr;
    QAction *m_aboutAction = nullptr;
};

} // namespace hc
