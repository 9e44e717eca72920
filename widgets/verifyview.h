#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QButtonGroup;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTemporaryDir;

namespace hc {

// The "Verify" tab: runs the original TorchScript module and the module restored from an archive
// on the same input and shows how far their outputs are apart (max and mean absolute error,
// relative error, cosine similarity, the share of rows whose arg-max is unchanged). The input is a
// random normal tensor of a given shape and seed (the same on every machine), or one tensor loaded
// from a safetensors file. For the bundled demo classifier (setDemo) it also shows the test
// accuracy before and after compression: the paper's "no retraining needed", checked in the app.
// The view restores the module itself (the original with the archive's tensors in place of its
// parameters) into a temporary folder it owns. All LibTorch work runs off the GUI thread.
// GUI thread only; the destructor waits for a running check.
class VerifyView : public QWidget {
    Q_OBJECT

public:
    enum class InputMode { Random, File };
    enum Row { RowMaxAbs, RowMeanAbs, RowRelative, RowCosine, RowArgmax, RowShape, RowCount };

    struct Outcome {
        QString error;                 // one sentence; empty on success
        std::vector<std::int64_t> outputShape;
        std::size_t count = 0;
        double maxAbsError = 0, meanAbsError = 0, relativeError = 0, cosine = 1, argmaxAgreement = 1;
        std::size_t rows = 0;
        bool hasAccuracy = false;
        QString accuracyError;         // the demo accuracy could not be measured
        double accuracyBefore = 0, accuracyAfter = 0;
        std::size_t testCount = 0;
        double seconds = 0;
    };

    explicit VerifyView(QWidget *parent = nullptr);
    ~VerifyView() override;

    // The original TorchScript module; forgets the last result (and the demo part, unless it is the
    // demo module).
    void setModel(const QString &modulePath);
    QString modelPath() const;
    // The archive made from that module.
    void setArchive(const QString &archivePath);
    QString archivePath() const;
    // The bundled demo: its module (also set as the model) and test set; accuracy before and after
    // compression is shown with each run. An empty testset turns the demo part off.
    void setDemo(const QString &modulePath, const QString &testsetPath);
    QString demoTestset() const { return m_testset; }

    void setInputMode(InputMode mode);
    InputMode inputMode() const;
    void setInputShape(const QString &shape);
    QString inputShape() const;
    void setSeed(int seed);
    int seed() const;
    void setInputFile(const QString &path);
    QString inputFile() const;

    // "1, 32", "1x32" or "[1, 32]" as a shape; nullopt when it is not one.
    static std::optional<std::vector<std::int64_t>> parseShape(const QString &text);
    // Whether a TorchScript forward schema takes exactly one tensor (besides self).
    static bool takesOneTensor(const QString &schema);

    bool isBusy() const { return m_watcher.isRunning(); }
    const std::optional<Outcome> &outcome() const { return m_outcome; }
    QString messageText() const { return m_messageText; }
    QTableWidget *resultTable() const { return m_table; }
    QPushButton *runButton() const { return m_run; }
    QString accuracyText() const;

public Q_SLOTS:
    // Starts a check; false (and the message says why) when an input is missing or malformed or
    // a check is running. Ends with finished().
    bool run();

Q_SIGNALS:
    void finished(bool ok, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateState();
    void onFinished();
    void showOutcome();
    void clearOutcome();
    void setMessage(const QString &text, bool error);
    void browseModel();
    void browseArchive();
    void browseInput();

    QString m_demoModule;
    QString m_testset;
    std::unique_ptr<QTemporaryDir> m_temp;
    int m_runCounter = 0;
    QFutureWatcher<std::shared_ptr<Outcome>> m_watcher;
    std::optional<Outcome> m_outcome;
    QString m_messageText;

    QGroupBox *m_modelsBox = nullptr;
    QLabel *m_modelLabel = nullptr;
    QLineEdit *m_modelEdit = nullptr;
    QPushButton *m_modelBrowse = nullptr;
    QLabel *m_archiveLabel = nullptr;
    QLineEdit *m_archiveEdit = nullptr;
    QPushButton *m_archiveBrowse = nullptr;
    QGroupBox *m_inputBox = nullptr;
    QRadioButton *m_random = nullptr;
    QRadioButton *m_file = nullptr;
    QButtonGroup *m_inputGroup = nullptr;
    QLabel *m_shapeLabel = nullptr;
    QLineEdit *m_shape = nullptr;
    QLabel *m_seedLabel = nullptr;
    QSpinBox *m_seed = nullptr;
    QLineEdit *m_inputEdit = nullptr;
    QPushButton *m_inputBrowse = nullptr;
    QPushButton *m_run = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_message = nullptr;
    QGroupBox *m_resultBox = nullptr;
    QTableWidget *m_table = nullptr;
    QGroupBox *m_demoBox = nullptr;
    QLabel *m_beforeName = nullptr;
    QLabel *m_beforeValue = nullptr;
    QLabel *m_afterName = nullptr;
    QLabel *m_afterValue = nullptr;
    QLabel *m_changeName = nullptr;
    QLabel *m_changeValue = nullptr;
    QLabel *m_demoNote = nullptr;
};

} // namespace hc
