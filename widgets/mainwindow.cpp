#include "widgets/mainwindow.h"

#include "core/io/safetensorssource.h"
#include "core/torch/modelfiles.h"
#include "core/util/atomicfile.h"
#include "widgets/aboutdialog.h"
#include "widgets/codeccontrols.h"
#include "widgets/configcommand.h"
#include "widgets/ergodicview.h"
#include "widgets/autotunedialog.h"
#include "widgets/companderview.h"
#include "widgets/sweepview.h"
#include "widgets/verifyview.h"
#include "widgets/wholemodelview.h"
#include "widgets/languagemanager.h"
#include "widgets/helpdialog.h"
#include "widgets/layerevaluator.h"
#include "widgets/layertablemodel.h"
#include "widgets/numberformat.h"
#include "widgets/preferencesdialog.h"
#include "widgets/readoutpanel.h"
#include "widgets/weightcloudview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUndoStack>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QDir>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace hc {

namespace {

const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kSplitterKey = QStringLiteral("mainWindow/splitter");
const QString kHeaderKey = QStringLiteral("mainWindow/layerTableHeader");
const QString kRecentKey = QStringLiteral("recentFiles");

// One sentence that names the file, ending with a full stop.
QString sentenceNaming(const QString &path, const QString &message)
{
    const QString fileName = QFileInfo(path).fileName();
    QString s = message.trimmed();
    if (!s.contains(fileName))
        s = QCoreApplication::translate("hc::MainWindow", "%1 could not be opened: %2").arg(fileName, s);
    if (!s.endsWith(QLatin1Char('.')) && !s.endsWith(QLatin1Char('!')) && !s.endsWith(QLatin1Char('?')))
        s += QLatin1Char('.');
    return s;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    const Preferences preferences = Preferences::load();
    m_defaults = preferences.defaults;
    m_threads = preferences.threads;
    m_recentCount = preferences.recentFilesCount;
    // Before any widget exists, so that every one is built in the chosen language.
    m_languages = new LanguageManager(this);
    m_languages->setLanguage(preferences.language);

    m_layerModel = new LayerTableModel(this);
    m_evaluator = new LayerEvaluator(this);
    LayerEvaluator::Options evaluatorOptions;
    evaluatorOptions.threads = m_threads;
    m_evaluator->setOptions(evaluatorOptions);
    m_statistics = new LayerStatisticsJob(this);
    m_statisticsTimer = new QTimer(this);
    m_statisticsTimer->setSingleShot(true);
    m_statisticsTimer->setInterval(250);
    m_undo = new QUndoStack(this);
    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setSingleShot(true);
    m_autosaveTimer->setInterval(500);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::writeAutosave);
    connect(m_undo, &QUndoStack::indexChanged, this, [this] {
        if (!m_batch)
            m_autosaveTimer->start();
        Q_EMIT configChanged();
    });
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { setWindowModified(!clean); });

    createActions();
    createLayout();
    retranslateUi();

    m_cloud->setOpenGLEnabled(preferences.openGL);
    m_openGLAction->setChecked(m_cloud->openGLEnabled());
    m_openGLAction->setEnabled(WeightCloudView::openGLAvailable());

    connect(&m_openWatcher, &QFutureWatcher<Opened>::finished, this, &MainWindow::onOpenFinished);
    connect(m_evaluator, &LayerEvaluator::finished, this, &MainWindow::onEvaluation);
    connect(m_evaluator, &LayerEvaluator::failed, this, [this](int layer, const QString &message) {
        if (layer == m_currentLayer)
            m_readouts->setMessage(message);
        checkSettled();
    });
    connect(m_evaluator, &LayerEvaluator::busyChanged, this, [this](bool busy) {
        m_readouts->setBusy(busy);
        updateStatusBar();
        checkSettled();
    });
    connect(m_statistics, &LayerStatisticsJob::layerDone, this, &MainWindow::onStatisticsItem);
    connect(m_statistics, &LayerStatisticsJob::finished, this, [this] {
        updateStatusBar();
        if (!m_statistics->isRunning())
            Q_EMIT statisticsFinished();
        checkSettled();
    });
    connect(m_statisticsTimer, &QTimer::timeout, this, &MainWindow::refreshStatistics);
    connect(m_controls, &CodecControls::paramsChanged, this, &MainWindow::onParamsChanged);
    connect(m_controls, &CodecControls::useDefaultsRequested, this, &MainWindow::onUseDefaults);
    connect(m_layerModel, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                if (m_currentLayer >= topLeft.row() && m_currentLayer <= bottomRight.row()) {
                    const LayerRecord &r = m_layerModel->layer(m_currentLayer);
                    m_controls->setOverridden(r.overridden);
                    m_controls->setLayerSigma(r.statisticsReady ? r.sigma : 0.0);
                }
            });

    setAcceptDrops(true);
    restoreWindowState();
    updateStatusBar();
}

MainWindow::~MainWindow()
{
    // Deleting the children clears the undo stack, whose signals would reach half-destroyed views.
    m_undo->disconnect();
    // The open job holds only its own data; waiting keeps it from outliving the window.
    m_openWatcher.waitForFinished();
}

void MainWindow::createActions()
{
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::showOpenDialog);
    m_preferencesAction = new QAction(this);
    // QKeySequence::Preferences is empty on most Linux desktops.
    m_preferencesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);
    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q)); // QKeySequence::Quit is empty on some desktops
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    m_openGLAction = new QAction(this);
    m_openGLAction->setCheckable(true);
    connect(m_openGLAction, &QAction::toggled, this, [this](bool on) { m_cloud->setOpenGLEnabled(on); });
    m_helpAction = new QAction(this);
    m_helpAction->setShortcut(QKeySequence(Qt::Key_F1));
    connect(m_helpAction, &QAction::triggered, this, [this] {
        auto *dialog = new HelpDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    m_demoAction = new QAction(this);
    connect(m_demoAction, &QAction::triggered, this, [this] {
        if (confirmDiscard())
            openDemo();
    });
    m_aboutAction = new QAction(this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        auto *dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });

    m_loadConfigAction = new QAction(this);
    m_loadConfigAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_loadConfigAction, &QAction::triggered, this, &MainWindow::showLoadConfigDialog);
    m_saveConfigAction = new QAction(this);
    m_saveConfigAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    connect(m_saveConfigAction, &QAction::triggered, this, &MainWindow::showSaveConfigDialog);
    m_undoAction = m_undo->createUndoAction(this);
    m_undoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    m_redoAction = m_undo->createRedoAction(this);
    // Explicit: the platform's Redo binding differs between desktops (and the offscreen one has none).
    m_redoAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});

    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_loadConfigAction);
    m_fileMenu->addAction(m_saveConfigAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_preferencesAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);
    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);
    m_viewMenu = menuBar()->addMenu(QString());
    m_autoTuneAction = new QAction(this);
    m_autoTuneAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_autoTuneAction, &QAction::triggered, this, &MainWindow::showAutoTuneDialog);
    m_compressAction = new QAction(this);
    m_compressAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(m_compressAction, &QAction::triggered, this, [this] {
        if (!m_source)
            return;
        m_tabs->setCurrentIndex(tabIndexOf(m_whole));
        m_whole->compress();
    });
    m_exportAction = new QAction(this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportAction, &QAction::triggered, this, [this] {
        if (!m_source)
            return;
        m_tabs->setCurrentIndex(tabIndexOf(m_whole));
        m_whole->showExportDialog();
    });
    m_restoreAction = new QAction(this);
    connect(m_restoreAction, &QAction::triggered, this, [this] { m_whole->showRestoreDialog(); });
    m_toolsMenu = menuBar()->addMenu(QString());
    m_toolsMenu->addAction(m_autoTuneAction);
    m_toolsMenu->addSeparator();
    m_toolsMenu->addAction(m_compressAction);
    m_toolsMenu->addAction(m_exportAction);
    m_toolsMenu->addAction(m_restoreAction);
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_helpAction);
    m_helpMenu->addAction(m_demoAction);
    m_helpMenu->addSeparator();
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::createLayout()
{
    // Left: the layer table with its filter.
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    m_tableTitle = new QLabel(left);
    QFont titleFont = m_tableTitle->font();
    titleFont.setBold(true);
    m_tableTitle->setFont(titleFont);
    m_filter = new QLineEdit(left);
    m_filter->setClearButtonEnabled(true);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_layerModel);
    m_proxy->setSortRole(LayerTableModel::SortRole);
    m_proxy->setFilterKeyColumn(LayerTableModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_table = new QTableView(left);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // file order until the user sorts
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideLeft); // layer names differ at their end
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    leftLayout->addWidget(m_tableTitle);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_table, 1);

    // Centre: tabs, the first holding the weight cloud (or the empty-state hint).
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_cloudStack = new QStackedWidget(m_tabs);
    auto *empty = new QWidget(m_cloudStack);
    auto *emptyLayout = new QVBoxLayout(empty);
    m_emptyHint = new QLabel(empty);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    QFont hintFont = m_emptyHint->font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.35);
    m_emptyHint->setFont(hintFont);
    QPalette hintPalette = m_emptyHint->palette();
    hintPalette.setColor(QPalette::WindowText, palette().color(QPalette::Disabled, QPalette::WindowText));
    m_emptyHint->setPalette(hintPalette);
    m_emptyOpen = new QPushButton(empty);
    connect(m_emptyOpen, &QPushButton::clicked, this, &MainWindow::showOpenDialog);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_emptyHint);
    emptyLayout->addWidget(m_emptyOpen, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(1);
    m_cloud = new WeightCloudView(m_cloudStack);
    m_cloudStack->addWidget(empty);
    m_cloudStack->addWidget(m_cloud);
    m_tabs->addTab(m_cloudStack, QString());
    // The richer pages scroll rather than widen the window: their controls need more room than
    // the cloud does, and the layer table should keep its width.
    auto addScrollingTab = [this](QWidget *page) {
        auto *scroll = new QScrollArea(m_tabs);
        scroll->setWidget(page);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        m_tabs->addTab(scroll, QString());
    };
    m_ergodic = new ErgodicView;
    addScrollingTab(m_ergodic);
    m_sweep = new SweepView;
    m_sweep->setThreads(m_threads);
    addScrollingTab(m_sweep);
    connect(m_sweep, &SweepView::configChosen, this, [this](int layer, const CodecParams &params) {
        if (layer >= 0) // a whole-model point arrives as layerConfigsChosen
            setLayerParams(layer, params, tr("Apply a Sweep Point to %1")
                                              .arg(QString::fromStdString(m_layerModel->layer(layer).name)));
    });
    connect(m_sweep, &SweepView::layerConfigsChosen, this, [this](const LayerConfigs &configs) {
        if (configs.size() > 1)
            setLayerOverrides(configs, tr("Apply a Sweep Point to All Layers"));
    });
    m_compander = new CompanderView;
    addScrollingTab(m_compander);
    // The density mode's view computes only while it is shown.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (tabIndexOf(m_compander) == m_tabs->currentIndex() && m_source && m_currentLayer >= 0 &&
            m_layerModel->layer(m_currentLayer).compressible)
            m_compander->setLayer(m_source, m_currentLayer, m_compander->bitsPerWeight());
    });
    m_whole = new WholeModelView;
    addScrollingTab(m_whole);
    m_verify = new VerifyView;
    addScrollingTab(m_verify);
    // The whole-model tab compresses what the session's settings say, always the current ones.
    connect(this, &MainWindow::configChanged, m_whole, [this] { m_whole->setConfig(currentConfig()); });
    connect(m_whole, &WholeModelView::layerCompressed, this, [this](const QString &name, double ratio, double relError) {
        const int row = m_layerModel->rowOf(name);
        if (row >= 0) {
            const LayerRecord &r = m_layerModel->layer(row);
            m_layerModel->setEvaluation(row, r.params, ratio, relError, r.classesUsed);
        }
    });
    connect(m_whole, &WholeModelView::compressionFinished, this, [this](bool ok, const QString &) {
        if (ok && !m_whole->archivePath().isEmpty())
            m_verify->setArchive(m_whole->archivePath());
    });

    m_viewMenu->addAction(m_cloud->fitBoxAction());
    m_viewMenu->addAction(m_cloud->fitAllAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_openGLAction);
    addAction(m_cloud->fitBoxAction());
    addAction(m_cloud->fitAllAction());

    // Right: controls and readouts, scrollable when the window is short.
    m_rightPanel = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(m_rightPanel);
    rightLayout->setContentsMargins(0, 6, 6, 6);
    m_controls = new CodecControls(m_rightPanel);
    m_readouts = new ReadoutPanel(m_rightPanel);
    rightLayout->addWidget(m_controls);
    rightLayout->addWidget(m_readouts);
    rightLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_rightPanel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_rightPanel->minimumSizeHint().width() + 12);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(scroll);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({370, 670, 360});
    setCentralWidget(m_splitter);

    m_statusModel = new QLabel(this);
    m_statusJob = new QLabel(this);
    m_statusProgress = new QProgressBar(this);
    m_statusProgress->setRange(0, 0);
    m_statusProgress->setMaximumWidth(140);
    m_statusProgress->setMaximumHeight(m_statusJob->fontMetrics().height() + 2);
    m_statusProgress->setTextVisible(false);
    statusBar()->addWidget(m_statusModel, 1);
    statusBar()->addPermanentWidget(m_statusJob);
    statusBar()->addPermanentWidget(m_statusProgress);

    m_controls->setEnabled(false);
    m_cloudStack->setCurrentIndex(0);
    resize(1400, 900);
}

void MainWindow::retranslateUi()
{
    setWindowTitle(m_path.isEmpty() ? tr("HyperComp Workbench")
                                    : tr("%1[*] — HyperComp Workbench").arg(QFileInfo(m_path).fileName()));
    m_fileMenu->setTitle(tr("&File"));
    m_editMenu->setTitle(tr("&Edit"));
    m_loadConfigAction->setText(tr("&Load Config…"));
    m_loadConfigAction->setToolTip(tr("Apply a saved compression config (defaults, per-layer settings, skip patterns) to this model"));
    m_saveConfigAction->setText(tr("&Save Config As…"));
    m_saveConfigAction->setToolTip(tr("Save the chosen per-layer settings as a config that hypercomp compress --config reads"));
    m_undoAction->setToolTip(tr("Undo the last change of the settings"));
    m_redoAction->setToolTip(tr("Redo the last undone change of the settings"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_viewMenu->setTitle(tr("&View"));
    m_helpMenu->setTitle(tr("&Help"));
    m_openAction->setText(tr("&Open…"));
    m_openAction->setToolTip(tr("Open a model: safetensors, a PyTorch state dict (.pt, .pth, .bin) or TorchScript"));
    m_preferencesAction->setText(tr("&Preferences…"));
    m_quitAction->setText(tr("&Quit"));
    m_openGLAction->setText(tr("Draw the Cloud with &OpenGL"));
    m_openGLAction->setToolTip(WeightCloudView::openGLAvailable()
                                   ? tr("Faster drawing of big clouds; screenshots never use it")
                                   : tr("OpenGL is not available on this display"));
    m_helpAction->setText(tr("&Contents"));
    m_aboutAction->setText(tr("&About HyperComp Workbench"));
    m_tableTitle->setText(tr("Layers"));
    m_filter->setPlaceholderText(tr("Filter layers by name"));
    m_filter->setToolTip(tr("Show only the layers whose name contains this text"));
    m_table->setToolTip(tr("Every tensor of the model; click a header to sort, pick a row to inspect the layer"));
    m_tabs->setTabText(0, tr("Weight Cloud"));
    m_tabs->setTabToolTip(0, tr("The layer's weight pairs, the centre box, the class rings and the trajectory samples"));
    m_tabs->setTabText(tabIndexOf(m_ergodic), tr("Ergodic View"));
    m_tabs->setTabToolTip(tabIndexOf(m_ergodic),
                          tr("How a one-dimensional trajectory fills the box, and how a pair finds its sample"));
    m_tabs->setTabText(tabIndexOf(m_sweep), tr("Sweep"));
    m_tabs->setTabToolTip(tabIndexOf(m_sweep),
                          tr("Error against ratio over a grid of U, l and K, the Pareto front and the baseline quantizers"));
    m_tabs->setTabText(tabIndexOf(m_compander), tr("Density Mode"));
    m_tabs->setTabToolTip(tabIndexOf(m_compander),
                          tr("The density-matched compander G of this layer and its pairs in u-space"));
    m_toolsMenu->setTitle(tr("&Tools"));
    m_autoTuneAction->setText(tr("&Auto-Tune…"));
    m_autoTuneAction->setToolTip(tr("Choose U, l and K per layer for a maximum error or a target ratio"));
    m_compressAction->setText(tr("&Compress Model"));
    m_compressAction->setToolTip(tr("Compress every layer with its settings (the Whole Model tab)"));
    m_exportAction->setText(tr("&Export Config and Archive…"));
    m_exportAction->setToolTip(tr("Write the chosen config and the compressed archive, as hypercomp compress --config would"));
    m_restoreAction->setText(tr("&Restore an Archive…"));
    m_restoreAction->setToolTip(tr("Turn a HyperComp archive back into a model file"));
    m_tabs->setTabText(tabIndexOf(m_whole), tr("Whole Model"));
    m_tabs->setTabToolTip(tabIndexOf(m_whole),
                          tr("Compress every layer with its settings, see the sizes and errors, export or restore an archive"));
    m_tabs->setTabText(tabIndexOf(m_verify), tr("Verify"));
    m_tabs->setTabToolTip(tabIndexOf(m_verify),
                          tr("Run the original and the restored TorchScript model side by side and compare their outputs"));
    m_demoAction->setText(tr("Open the &Demo Model"));
    m_demoAction->setToolTip(tr("A small classifier made by this project, with its test set"));
    m_emptyHint->setText(tr("Open a model: File > Open or drop a file"));
    m_emptyOpen->setText(tr("Open a Model…"));
    m_emptyOpen->setToolTip(m_openAction->toolTip());
    updateStatusBar();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::restoreWindowState()
{
    const QSettings settings;
    if (settings.contains(kGeometryKey))
        restoreGeometry(settings.value(kGeometryKey).toByteArray());
    if (settings.contains(kStateKey))
        restoreState(settings.value(kStateKey).toByteArray());
    if (settings.contains(kSplitterKey))
        m_splitter->restoreState(settings.value(kSplitterKey).toByteArray());
}

void MainWindow::saveWindowState()
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kSplitterKey, m_splitter->saveState());
    if (m_layerModel->layerCount() > 0)
        settings.setValue(kHeaderKey, m_table->horizontalHeader()->saveState());
}

void MainWindow::setBatchMode(bool batch)
{
    m_batch = batch;
    if (batch) {
        m_cloud->setOpenGLEnabled(false);
        m_openGLAction->setChecked(false);
        m_splitter->setSizes({370, 670, 360});
        resize(1400, 900);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_batch && !confirmDiscard()) {
        event->ignore();
        return;
    }
    clearAutosave();
    if (!m_batch)
        saveWindowState();
    m_statistics->cancel();
    m_evaluator->cancel();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openWithConfirmation(urls.first().toLocalFile());
}

void MainWindow::showOpenDialog()
{
    const QString start = m_path.isEmpty() ? QString() : QFileInfo(m_path).absolutePath();
    const QString filter = tr("Models (*.safetensors *.safetensors.index.json *.pt *.pth *.bin);;"
                              "safetensors (*.safetensors *.safetensors.index.json);;"
                              "PyTorch and TorchScript (*.pt *.pth *.bin);;All files (*)");
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), start, filter);
    if (!path.isEmpty())
        openWithConfirmation(path);
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > std::max(1, m_recentCount))
        files.removeLast();
    QSettings().setValue(kRecentKey, files);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction *a = m_recentMenu->addAction(
            tr("&%1 %2").arg(i + 1 < 10 ? QString::number(i + 1) : QString(), QFileInfo(path).fileName()));
        a->setToolTip(path);
        a->setStatusTip(path);
        a->setEnabled(QFileInfo::exists(path));
        connect(a, &QAction::triggered, this, [this, path] { openWithConfirmation(path); });
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("&Clear Menu")), &QAction::triggered, this,
            [] { QSettings().remove(kRecentKey); });
}

void MainWindow::openModel(const QString &path, const QString &layerName)
{
    m_pendingPath = path;
    m_pendingLayer = layerName;
    m_opening = true;
    m_wasSettled = false;
    const std::string file = QFile::encodeName(path).toStdString();
    m_openWatcher.setFuture(QtConcurrent::run([file]() -> Opened {
        QElapsedTimer timer;
        timer.start();
        Opened opened;
        auto r = hc::openModel(file);
        if (r)
            opened.source = std::shared_ptr<const ModelSource>(std::move(r).value());
        else
            opened.error = QString::fromStdString(r.error());
        opened.seconds = double(timer.nsecsElapsed()) * 1e-9;
        return opened;
    }));
    updateStatusBar();
}

int MainWindow::tabIndexOf(QWidget *page) const
{
    for (QWidget *w = page; w; w = w->parentWidget())
        if (const int i = m_tabs->indexOf(w); i >= 0)
            return i;
    return -1;
}

QString MainWindow::demoModelPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo");
    return dir + QStringLiteral("/demo_classifier.pt");
}

QString MainWindow::demoTestSetPath()
{
    return QFileInfo(demoModelPath()).absolutePath() + QStringLiteral("/demo_testset.safetensors");
}

void MainWindow::openDemo(const QString &layerName)
{
    // LibTorch reads files, not Qt resources: copy the bundled files out once (again when a newer
    // build ships different bytes).
    const QString model = demoModelPath();
    QDir().mkpath(QFileInfo(model).absolutePath());
    for (const auto &[resource, target] : {std::pair{QStringLiteral(":/demo/demo_classifier.pt"), model},
                                           std::pair{QStringLiteral(":/demo/demo_testset.safetensors"), demoTestSetPath()}}) {
        QFile in(resource);
        if (!in.open(QIODevice::ReadOnly)) {
            showError(tr("Cannot Open Model"), tr("The demo model is missing from this build."));
            return;
        }
        const QByteArray bytes = in.readAll();
        QFile existing(target);
        if (existing.open(QIODevice::ReadOnly) && existing.readAll() == bytes)
            continue;
        existing.close();
        QSaveFile out(target);
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
            showError(tr("Cannot Open Model"), tr("%1 cannot be written: %2.").arg(target, out.errorString()));
            return;
        }
    }
    openModel(model, layerName);
}

void MainWindow::onOpenFinished()
{
    const Opened opened = m_openWatcher.result();
    const QString path = m_pendingPath;
    m_opening = false;
    if (!opened.source) {
        const QString message = sentenceNaming(path, opened.error);
        updateStatusBar();
        statusBar()->showMessage(message, 8000);
        Q_EMIT openFailed(message);
        showError(tr("Cannot Open Model"), message);
        checkSettled();
        return;
    }
    installModel(opened.source, path);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    if (m_batch)
        return;
    // Window-modal and non-blocking: the window keeps drawing while the message is up.
    auto *box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::installModel(const std::shared_ptr<const ModelSource> &source, const QString &path)
{
    m_statistics->cancel();
    m_evaluator->setSource(source);
    m_source = source;
    m_path = path;
    m_currentLayer = -1;

    std::vector<LayerRecord> records;
    records.reserve(source->tensors().size());
    for (const TensorInfo &t : source->tensors()) {
        LayerRecord r;
        r.name = t.name;
        r.shape = t.shape;
        r.dtype = t.dtype;
        r.dtypeName = t.dtypeName.empty() ? dtypeName(t.dtype) : t.dtypeName;
        r.numel = t.numel();
        r.compressible = isCompressibleFloat(t.dtype) && r.numel >= 10;
        records.push_back(std::move(r));
    }
    m_layerModel->setLayers(std::move(records), m_defaults);
    // The previous model's settings do not carry over, nor does their history.
    m_undo->clear();
    m_skip.clear();
    m_configPath.clear();
    m_filter->clear();
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_proxy->sort(-1);

    const QSettings settings;
    if (!m_batch && settings.contains(kHeaderKey)) {
        m_table->horizontalHeader()->restoreState(settings.value(kHeaderKey).toByteArray());
        m_table->sortByColumn(-1, Qt::AscendingOrder);
    } else {
        // The figures a user compares between layers come first; config and type last.
        QHeaderView *header = m_table->horizontalHeader();
        const int order[] = {LayerTableModel::NameColumn,     LayerTableModel::ParametersColumn,
                             LayerTableModel::SigmaColumn,    LayerTableModel::KurtosisColumn,
                             LayerTableModel::OuterShareColumn, LayerTableModel::RatioColumn,
                             LayerTableModel::RelErrorColumn, LayerTableModel::ShapeColumn,
                             LayerTableModel::ConfigColumn,   LayerTableModel::DTypeColumn};
        for (int visual = 0; visual < LayerTableModel::ColumnCount; ++visual)
            header->moveSection(header->visualIndex(order[visual]), visual);
        m_table->resizeColumnsToContents();
        const QFontMetrics fm = m_table->fontMetrics();
        const int nameWidth = m_table->columnWidth(LayerTableModel::NameColumn);
        m_table->setColumnWidth(LayerTableModel::NameColumn, std::clamp(nameWidth, 120, 190));
        m_table->setColumnWidth(LayerTableModel::ShapeColumn, std::min(m_table->columnWidth(LayerTableModel::ShapeColumn), 90));
        const int numberWidth = fm.horizontalAdvance(QStringLiteral("00.00 %")) + 10;
        for (int c : {LayerTableModel::SigmaColumn, LayerTableModel::KurtosisColumn, LayerTableModel::OuterShareColumn,
                      LayerTableModel::RatioColumn, LayerTableModel::RelErrorColumn})
            m_table->setColumnWidth(c, std::max(numberWidth, m_table->columnWidth(c)));
        m_table->setColumnWidth(LayerTableModel::ConfigColumn,
                                std::max(m_table->columnWidth(LayerTableModel::ConfigColumn),
                                         fm.horizontalAdvance(LayerTableModel::configText(m_defaults)) + 24));
    }

    addRecentFile(path);
    m_cloudStack->setCurrentIndex(1);
    m_controls->setEnabled(true);
    m_readouts->clear();
    m_cloud->clear();
    retranslateUi();
    refreshStatistics();

    int layer = -1;
    if (!m_pendingLayer.isEmpty()) {
        layer = m_layerModel->rowOf(m_pendingLayer);
        if (layer < 0) {
            const QString message = tr("%1 has no layer named “%2”.").arg(QFileInfo(path).fileName(), m_pendingLayer);
            statusBar()->showMessage(message, 8000);
            Q_EMIT openFailed(message);
            showError(tr("No Such Layer"), message);
        }
    }
    if (layer < 0)
        layer = defaultLayer();
    m_whole->setModel(source, path);
    m_sweep->setModel(source);
    m_compander->clear();
    m_whole->setConfig(currentConfig());
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(demoModelPath()).absoluteFilePath())
        m_verify->setDemo(demoModelPath(), demoTestSetPath());
    else
        m_verify->setModel(path);
    if (m_hasPendingConfig) { // an autosave being restored
        m_hasPendingConfig = false;
        setConfig(m_pendingConfig, tr("Restore the Autosaved Settings"));
    }
    Q_EMIT modelOpened(path);
    if (layer >= 0)
        m_table->setCurrentIndex(m_proxy->mapFromSource(m_layerModel->index(layer, LayerTableModel::NameColumn)));
    updateStatusBar();
    checkSettled();
}

int MainWindow::defaultLayer() const
{
    int best = -1;
    for (int i = 0; i < m_layerModel->layerCount(); ++i) {
        const LayerRecord &r = m_layerModel->layer(i);
        if (r.compressible && (best < 0 || r.numel > m_layerModel->layer(best).numel))
            best = i;
    }
    return best >= 0 ? best : (m_layerModel->layerCount() > 0 ? 0 : -1);
}

QString MainWindow::modelPath() const
{
    return m_path;
}

bool MainWindow::selectLayer(const QString &name)
{
    const int row = m_layerModel->rowOf(name);
    if (row < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(m_layerModel->index(row, LayerTableModel::NameColumn));
    if (!index.isValid()) {
        m_filter->clear();
        index = m_proxy->mapFromSource(m_layerModel->index(row, LayerTableModel::NameColumn));
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

void MainWindow::onCurrentRowChanged(const QModelIndex &current)
{
    const QModelIndex source = m_proxy->mapToSource(current);
    if (!source.isValid() || source.row() == m_currentLayer)
        return;
    showLayer(source.row());
}

void MainWindow::showLayer(int layer)
{
    m_currentLayer = layer;
    m_sweep->setLayer(layer);
    if (tabIndexOf(m_compander) == m_tabs->currentIndex() && m_layerModel->layer(layer).compressible)
        m_compander->setLayer(m_source, layer, m_compander->bitsPerWeight());
    m_wasSettled = false;
    const LayerRecord &r = m_layerModel->layer(layer);
    m_controls->setParams(r.params);
    m_controls->setOverridden(r.overridden);
    m_controls->setLayerSigma(r.statisticsReady ? r.sigma : 0.0);
    m_controls->setEnabled(r.compressible);
    m_readouts->clear();
    if (!r.compressible) {
        m_evaluator->cancel();
        m_cloud->clear();
        m_readouts->setMessage(tr("%1 is stored raw: the codec takes float tensors of at least 10 elements.")
                                   .arg(QString::fromStdString(r.name)));
        checkSettled();
        return;
    }
    m_evaluator->request(layer, r.params, LayerEvaluator::Urgency::Final);
}

void MainWindow::onParamsChanged(const CodecParams &params, bool final)
{
    if (m_currentLayer < 0)
        return;
    m_wasSettled = false;
    const CompressionConfig before = currentConfig();
    const bool thisLayer = m_controls->scope() == CodecControls::Scope::ThisLayer;
    if (thisLayer) {
        m_layerModel->setOverride(m_currentLayer, params);
    } else {
        m_defaults = params;
        m_layerModel->setDefaults(params);
        m_layerModel->clearAllOverrides();
    }
    m_controls->setOverridden(m_layerModel->layer(m_currentLayer).overridden);
    // A drag is one undo step: live changes merge until the release closes the chain.
    pushConfigChange(before,
                     thisLayer ? tr("Change %1").arg(QString::fromStdString(m_layerModel->layer(m_currentLayer).name))
                               : tr("Change the Settings of All Layers"),
                     thisLayer ? m_currentLayer : m_layerModel->layerCount(), final);
    m_evaluator->request(m_currentLayer, params, final ? LayerEvaluator::Urgency::Final : LayerEvaluator::Urgency::Live);
    m_statisticsTimer->start();
}

void MainWindow::onUseDefaults()
{
    if (m_currentLayer < 0)
        return;
    m_wasSettled = false;
    const CompressionConfig before = currentConfig();
    m_layerModel->clearOverride(m_currentLayer);
    pushConfigChange(before, tr("Use the Defaults for %1").arg(QString::fromStdString(m_layerModel->layer(m_currentLayer).name)));
    const LayerRecord &r = m_layerModel->layer(m_currentLayer);
    m_controls->setParams(r.params);
    m_controls->setOverridden(false);
    m_evaluator->request(m_currentLayer, r.params, LayerEvaluator::Urgency::Final);
    m_statisticsTimer->start();
}

void MainWindow::onEvaluation(const LayerEvaluationPtr &evaluation)
{
    if (!evaluation || evaluation->layer != m_currentLayer)
        return;
    const LayerRecord &r = m_layerModel->layer(evaluation->layer);
    m_cloud->setEvaluation(evaluation, QString::fromStdString(r.name));
    m_readouts->setEvaluation(evaluation);
    std::vector<double> xy;
    for (const auto &cls : evaluation->cloud.points)
        for (const QPointF &p : cls) {
            xy.push_back(p.x());
            xy.push_back(p.y());
        }
    m_ergodic->setPairs(xy);
    m_ergodic->setCodec(evaluation->encoded); // the codec's own centre, D and K over all pairs
    m_layerModel->setEvaluation(evaluation->layer, evaluation->params, evaluation->ratio, evaluation->metrics.relFro,
                                evaluation->encoded.classes);
    // The class histogram gives the outer share over all pairs for free.
    const std::uint64_t pairs = evaluation->encoded.pairCount();
    if (pairs > 0 && !evaluation->histogram.empty())
        m_layerModel->setOuterShare(evaluation->layer, 1.0 - double(evaluation->histogram[0]) / double(pairs),
                                    evaluation->params.box);
    Q_EMIT readoutsShown(evaluation->layer);
    checkSettled();
}

void MainWindow::refreshStatistics()
{
    if (!m_source)
        return;
    std::vector<LayerStatisticsJob::Request> requests;
    // The selected layer first, so that its σ hint appears at once.
    std::vector<int> order;
    if (m_currentLayer >= 0)
        order.push_back(m_currentLayer);
    for (int i = 0; i < m_layerModel->layerCount(); ++i)
        if (i != m_currentLayer)
            order.push_back(i);
    for (int i : order) {
        const LayerRecord &r = m_layerModel->layer(i);
        if (!r.compressible || !r.statisticsError.empty())
            continue;
        if (r.statisticsReady && r.outerShareReady)
            continue;
        LayerStatisticsJob::Request q;
        q.layer = i;
        q.box = r.params.box;
        q.needStatistics = !r.statisticsReady;
        q.centreX = r.centreX;
        q.centreY = r.centreY;
        requests.push_back(q);
    }
    if (requests.empty()) {
        if (m_statistics->isRunning())
            m_statistics->cancel();
        return;
    }
    m_statistics->start(m_source, std::move(requests), 1);
    updateStatusBar();
}

void MainWindow::onStatisticsItem(const LayerStatisticsJob::Item &item)
{
    if (item.layer < 0 || item.layer >= m_layerModel->layerCount())
        return;
    if (!item.error.isEmpty()) {
        m_layerModel->setStatisticsError(item.layer, item.error);
        return;
    }
    if (item.hasStatistics)
        m_layerModel->setStatistics(item.layer, item.sigma, item.kurtosis, item.centreX, item.centreY);
    m_layerModel->setOuterShare(item.layer, item.outerShare, item.box);
}

void MainWindow::updateStatusBar()
{
    if (!m_statusModel)
        return;
    if (m_source) {
        std::uint64_t parameters = 0;
        for (const TensorInfo &t : m_source->tensors())
            parameters += t.numel();
        const std::size_t tensors = m_source->tensors().size();
        const QString tensorText = tensors == 1 ? tr("1 tensor") : tr("%1 tensors").arg(tensors);
        m_statusModel->setText(tr("%1 · %2 · %3 · %4 parameters")
                                   .arg(QFileInfo(m_path).fileName(), QString::fromStdString(m_source->formatName()),
                                        tensorText, groupedCount(parameters)));
    } else {
        m_statusModel->setText(tr("No model open"));
    }
    QString job;
    if (m_opening)
        job = tr("Opening %1…").arg(QFileInfo(m_pendingPath).fileName());
    else if (m_statistics->isRunning())
        job = tr("Computing layer statistics…");
    else if (m_evaluator->isBusy())
        job = tr("Evaluating the layer…");
    m_statusJob->setText(job);
    m_statusJob->setVisible(!job.isEmpty());
    m_statusProgress->setVisible(!job.isEmpty());
}

bool MainWindow::isSettled() const
{
    if (!m_source || m_opening || m_statistics->isRunning() || m_evaluator->isBusy())
        return false;
    if (m_currentLayer < 0)
        return true;
    const LayerRecord &r = m_layerModel->layer(m_currentLayer);
    if (!r.compressible)
        return true;
    const LayerEvaluationPtr &e = m_readouts->evaluation();
    return (e && e->layer == m_currentLayer && LayerTableModel::sameParams(e->params, r.params))
        || !m_readouts->evaluation(); // failed: the message is shown instead
}

void MainWindow::checkSettled()
{
    const bool now = isSettled();
    if (now && !m_wasSettled) {
        m_wasSettled = true;
        Q_EMIT settled();
    } else if (!now) {
        m_wasSettled = false;
    }
}

void MainWindow::showPreferences()
{
    auto *dialog = new PreferencesDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PreferencesDialog::preferencesChanged, this, [this](const Preferences &p) {
        m_threads = p.threads;
        m_recentCount = p.recentFilesCount;
        m_defaults = p.defaults;
        LayerEvaluator::Options options = m_evaluator->options();
        options.threads = p.threads;
        m_evaluator->setOptions(options);
        m_cloud->setOpenGLEnabled(p.openGL && !m_batch);
        m_languages->setLanguage(p.language);
        m_sweep->setThreads(p.threads);
        m_whole->setThreads(p.threads);
        m_openGLAction->setChecked(m_cloud->openGLEnabled());
    });
    dialog->open();
}

CompressionConfig MainWindow::currentConfig() const
{
    CompressionConfig c;
    c.defaults = m_layerModel->defaults();
    c.skip = m_skip;
    for (int i = 0; i < m_layerModel->layerCount(); ++i) {
        const LayerRecord &r = m_layerModel->layer(i);
        if (!r.overridden)
            continue;
        CompressionConfig::LayerOverride o;
        o.samples = r.params.samples;
        o.box = r.params.box;
        o.classes = r.params.classes;
        o.autoClasses = r.params.autoClasses;
        if (r.params.lossThreshold != c.defaults.lossThreshold)
            o.lossThreshold = r.params.lossThreshold;
        c.layers[r.name] = o;
    }
    return c;
}

void MainWindow::applyConfig(const CompressionConfig &config)
{
    m_defaults = config.defaults;
    m_skip = config.skip;
    m_layerModel->setDefaults(config.defaults);
    m_layerModel->clearAllOverrides();
    for (const auto &[name, o] : config.layers) {
        (void)o;
        const int row = m_layerModel->rowOf(QString::fromStdString(name));
        if (row >= 0)
            m_layerModel->setOverride(row, config.paramsFor(name));
    }
    if (m_currentLayer >= 0) {
        const LayerRecord &r = m_layerModel->layer(m_currentLayer);
        m_controls->setParams(r.params);
        m_controls->setOverridden(r.overridden);
        if (r.compressible) {
            m_wasSettled = false;
            m_evaluator->request(m_currentLayer, r.params, LayerEvaluator::Urgency::Final);
        }
    }
    m_statisticsTimer->start();
}

void MainWindow::pushConfigChange(const CompressionConfig &before, const QString &text, int mergeKey, bool closing)
{
    const CompressionConfig after = currentConfig();
    if (after == before && mergeKey < 0)
        return;
    m_undo->push(new ConfigCommand(before, after, [this](const CompressionConfig &c) { applyConfig(c); }, text,
                                   mergeKey, closing));
}

void MainWindow::setConfig(const CompressionConfig &config, const QString &text)
{
    const CompressionConfig before = currentConfig();
    applyConfig(config);
    pushConfigChange(before, text);
}

void MainWindow::setLayerParams(int layer, const CodecParams &params, const QString &text)
{
    if (layer < 0 || layer >= m_layerModel->layerCount())
        return;
    const CompressionConfig before = currentConfig();
    m_layerModel->setOverride(layer, params);
    if (layer == m_currentLayer) {
        m_controls->setParams(params);
        m_controls->setOverridden(true);
        m_wasSettled = false;
        m_evaluator->request(layer, params, LayerEvaluator::Urgency::Final);
    }
    pushConfigChange(before, text);
    m_statisticsTimer->start();
}

bool MainWindow::hasUnsavedConfig() const
{
    return !m_undo->isClean();
}

void MainWindow::markConfigSaved()
{
    m_undo->setClean();
    clearAutosave();
}

bool MainWindow::saveConfig(const QString &path)
{
    const Status s = currentConfig().save(QFile::encodeName(path).toStdString());
    if (!s) {
        showError(tr("Cannot Save Config"), QString::fromStdString(s.error()));
        return false;
    }
    m_configPath = path;
    markConfigSaved();
    statusBar()->showMessage(tr("Saved the config to %1.").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

void MainWindow::showSaveConfigDialog()
{
    if (!m_source)
        return;
    const QString path = askConfigSavePath();
    if (!path.isEmpty())
        saveConfig(path);
}

void MainWindow::showLoadConfigDialog()
{
    if (!m_source)
        return;
    const QString start = m_configPath.isEmpty() ? QFileInfo(m_path).absolutePath() : m_configPath;
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Config"), start, tr("HyperComp configs (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    auto config = CompressionConfig::load(QFile::encodeName(path).toStdString());
    if (!config) {
        showError(tr("Cannot Load Config"), QString::fromStdString(config.error()));
        return;
    }
    setConfig(*config, tr("Load %1").arg(QFileInfo(path).fileName()));
    m_configPath = path;
}

QString MainWindow::askConfigSavePath()
{
    // Beside the model, named after it, as Export names its config; or where it was saved last.
    QString start = m_configPath;
    if (start.isEmpty())
        start = QFileInfo(m_path).absolutePath() + QLatin1Char('/') + QFileInfo(m_path).completeBaseName() +
                QStringLiteral(".hcconfig.json");
    return QFileDialog::getSaveFileName(this, tr("Save Config"), start, tr("HyperComp configs (*.json)"));
}

bool MainWindow::confirmDiscard()
{
    if (m_batch || !hasUnsavedConfig())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Settings"),
                    tr("The per-layer settings of %1 have changed since they were last saved.")
                        .arg(QFileInfo(m_path).fileName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("Save them as a config before they are discarded?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save: {
        const QString path = askConfigSavePath();
        return !path.isEmpty() && saveConfig(path);
    }
    case QMessageBox::Discard:
        markConfigSaved(); // nothing left to save, and nothing to restore on the next start
        return true;
    default:
        return false;
    }
}

void MainWindow::openWithConfirmation(const QString &path)
{
    if (confirmDiscard())
        openModel(path);
}

QString MainWindow::autosavePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave.json");
}

void MainWindow::writeAutosave()
{
    if (m_batch || !m_source)
        return;
    if (m_undo->isClean()) {
        clearAutosave();
        return;
    }
    QDir().mkpath(QFileInfo(autosavePath()).absolutePath());
    const QJsonObject doc{{QStringLiteral("format"), QStringLiteral("hypercomp-autosave")},
                          {QStringLiteral("version"), 1},
                          {QStringLiteral("model"), QFileInfo(m_path).absoluteFilePath()},
                          {QStringLiteral("config"), currentConfig().toJsonObject()}};
    // Written atomically: a crash mid-write leaves the previous autosave, never half of one.
    (void)writeFileAtomically(QFile::encodeName(autosavePath()).toStdString(), QJsonDocument(doc).toJson(),
                              "the autosave could not be written");
}

void MainWindow::clearAutosave()
{
    m_autosaveTimer->stop();
    QFile::remove(autosavePath());
}

bool MainWindow::restoreAutosave(bool ask)
{
    QFile file(autosavePath());
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    const QString model = doc.value(QStringLiteral("model")).toString();
    auto config = CompressionConfig::fromJson(QJsonDocument(doc.value(QStringLiteral("config")).toObject()).toJson(),
                                              autosavePath().toStdString());
    if (doc.value(QStringLiteral("format")).toString() != QStringLiteral("hypercomp-autosave") || !config ||
        !QFileInfo(model).isFile()) {
        QFile::remove(autosavePath()); // unusable: the model is gone or the file is damaged
        return false;
    }
    if (ask) {
        const auto answer = QMessageBox::question(
            this, tr("Restore Unsaved Settings"),
            tr("The last session ended with unsaved settings for %1. Restore them?").arg(QFileInfo(model).fileName()),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) {
            QFile::remove(autosavePath());
            return false;
        }
    }
    m_pendingConfig = *config;
    m_hasPendingConfig = true;
    openModel(model);
    return true;
}

void MainWindow::setLayerOverrides(const std::map<std::string, CodecParams> &overrides, const QString &text)
{
    const CompressionConfig before = currentConfig();
    for (const auto &[name, params] : overrides) {
        const int row = m_layerModel->rowOf(QString::fromStdString(name));
        if (row >= 0)
            m_layerModel->setOverride(row, params);
    }
    if (m_currentLayer >= 0) {
        const LayerRecord &r = m_layerModel->layer(m_currentLayer);
        m_controls->setParams(r.params);
        m_controls->setOverridden(r.overridden);
        if (r.compressible) {
            m_wasSettled = false;
            m_evaluator->request(m_currentLayer, r.params, LayerEvaluator::Urgency::Final);
        }
    }
    pushConfigChange(before, text);
    m_statisticsTimer->start();
}

void MainWindow::showAutoTuneDialog()
{
    if (!m_source)
        return;
    auto *dialog = new AutoTuneDialog(m_source, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setThreads(m_threads);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        setLayerOverrides(dialog->chosenOverrides(),
                          dialog->targetMet() ? tr("Auto-Tune") : tr("Auto-Tune (Target Not Met)"));
    });
    dialog->open();
}

} // namespace hc
