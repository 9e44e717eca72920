#pragma once

#include "core/codec/codecparams.h"

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QSettings;
class QSpinBox;

namespace hc {

// What the workbench remembers between runs, as stored in QSettings. Values read back are
// checked: anything out of range (a hand-edited or corrupt file) falls back to the default.
struct Preferences {
    QString language;          // "" follows the system, else "en" or "zh_CN"
    CodecParams defaults;      // U, l, K for newly opened models (the paper's UNet setting)
    int threads = 0;           // worker threads, 0 = all cores
    bool openGL = true;        // OpenGL scatter for big clouds (off when no GL context exists)
    int recentFilesCount = 10; // entries in File > Recent

    static constexpr int kMaxRecentFiles = 30;
    static constexpr int kMaxSamples = 16777216; // HyperCodec::validate's limit
    static constexpr int kMaxClasses = 64;
    static constexpr int kMaxThreads = 256;

    // From the application's default QSettings, or from `settings`.
    static Preferences load();
    static Preferences load(const QSettings &settings);
    void save() const;
    void save(QSettings &settings) const;

    bool operator==(const Preferences &other) const;
    bool operator!=(const Preferences &other) const { return !(*this == other); }
};

// The Preferences page. OK writes the values to QSettings and emits preferencesChanged();
// Cancel changes nothing; Restore Defaults fills in the defaults without saving.
class PreferencesDialog : public QDialog {
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    Preferences values() const;
    void setValues(const Preferences &values);

    void accept() override;

Q_SIGNALS:
    // After OK, with the values just saved. Hook the language to LanguageManager::setLanguage.
    void preferencesChanged(const hc::Preferences &preferences);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateClassesLabel();

    QGroupBox *m_generalBox = nullptr;
    QGroupBox *m_defaultsBox = nullptr;
    QGroupBox *m_performanceBox = nullptr;
    QFormLayout *m_generalForm = nullptr;
    QFormLayout *m_defaultsForm = nullptr;
    QFormLayout *m_performanceForm = nullptr;
    QComboBox *m_language = nullptr;
    QLabel *m_languageNote = nullptr;
    QSpinBox *m_recentFiles = nullptr;
    QSpinBox *m_samples = nullptr;
    QDoubleSpinBox *m_box = nullptr;
    QSpinBox *m_classes = nullptr;
    QCheckBox *m_autoClasses = nullptr;
    QSpinBox *m_threads = nullptr;
    QCheckBox *m_openGL = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace hc
