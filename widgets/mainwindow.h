#pragma once

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

namespace hc {

class CodecControls;
class ErgodicView;
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
    LanguageManager *languages() const { return m_languages; }
    LayerEvaluator *evaluator() const { return m_evaluator; }
    QAction *openAction() const { return m_openAction; }

Q_SIGNALS:
    void modelOpened(const QString &path);
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
    LanguageManager *m_languages = nullptr;
    QAction *m_demoAction = nullptr;

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
