#pragma once

#include "widgets/archiverestorejob.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QString>

#include <memory>

class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace hc {

class ArchiveReader;

// "Restore…": opens a HyperComp archive (checked in the background: format, version, every
// entry and checksum), lists its layers (name, shape, dtype, status, U, l, K, bits, bytes) and
// metadata, and writes the restored model in the format the user picks: safetensors, a PyTorch
// state dict (.pt) or a TorchScript module like an original one (whose path it then asks for).
// The write runs in the background with progress and Cancel; it appears complete or not at all.
// A bad archive or a failed write is reported in an error dialog, in one sentence naming the file.
// GUI thread only; closing or destroying the dialog cancels and waits for the write.
class RestoreDialog : public QDialog {
    Q_OBJECT

public:
    enum class Output { Safetensors, StateDict, TorchScript };
    enum Column { ColName, ColShape, ColDType, ColStatus, ColSamples, ColBox, ColClasses, ColBits, ColBytes, ColumnCount };

    explicit RestoreDialog(QWidget *parent = nullptr);
    ~RestoreDialog() override;

    // Opens `path` in the background: archiveLoaded() or archiveFailed() (after the error dialog
    // is shown).
    void setArchive(const QString &path);
    QString archivePath() const { return m_archivePath; }
    bool isArchiveLoaded() const { return bool(m_reader); }
    // Where the output file is suggested (the archive's folder by default).
    void setOutputFolder(const QString &folder);

    void setOutputFormat(Output format);
    Output outputFormat() const;
    void setOutputPath(const QString &path);
    QString outputPath() const;
    // The original TorchScript module (TorchScript output only).
    void setOriginalModule(const QString &path);
    QString originalModule() const;
    // No error dialogs (for tests and batch use): errors only through the signals.
    void setQuiet(bool quiet) { m_quiet = quiet; }

    bool isBusy() const;
    QTableWidget *layerTable() const { return m_table; }
    QString metadataText() const;

public Q_SLOTS:
    // Starts writing the restored model; false (with the reason in an error dialog) when the
    // inputs are incomplete or work is going on. Ends with restored() or restoreFailed().
    bool restore();
    void cancelRestore();
    void browseArchive();
    void reject() override;

Q_SIGNALS:
    void archiveLoaded(const QString &path);
    void archiveFailed(const QString &message);
    void restored(const QString &path);
    void restoreFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Loaded;
    void retranslateUi();
    void onLoaded();
    void onWritten(const ArchiveRestoreJob::Outcome &outcome);
    void fillTable();
    void updateState();
    void suggestOutput();
    void fixOutputSuffix();
    void browseOutput();
    void browseOriginal();
    void showError(const QString &title, const QString &message);

    QString m_archivePath;
    QString m_outputFolder;
    std::shared_ptr<const ArchiveReader> m_reader;
    QFutureWatcher<std::shared_ptr<Loaded>> m_loadWatcher;
    ArchiveRestoreJob *m_job = nullptr;
    bool m_quiet = false;
    bool m_userEditedOutput = false;

    QGroupBox *m_archiveBox = nullptr;
    QLineEdit *m_archiveEdit = nullptr;
    QPushButton *m_archiveBrowse = nullptr;
    QLabel *m_metadata = nullptr;
    QTableWidget *m_table = nullptr;
    QGroupBox *m_outputBox = nullptr;
    QLabel *m_formatLabel = nullptr;
    QComboBox *m_format = nullptr;
    QLabel *m_outputLabel = nullptr;
    QLineEdit *m_outputEdit = nullptr;
    QPushButton *m_outputBrowse = nullptr;
    QLabel *m_originalLabel = nullptr;
    QLineEdit *m_originalEdit = nullptr;
    QPushButton *m_originalBrowse = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_restoreButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_closeButton = nullptr;
};

} // namespace hc
