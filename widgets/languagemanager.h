#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QTranslator>

namespace hc {

// Owns the translators of the user interface: the application's own catalogue
// (hypercomp_<lang>.qm, from the resource folder :/i18n/ unless told otherwise) and Qt's
// (qtbase_<lang>.qm from QLibraryInfo::TranslationsPath, for standard buttons and dialogs).
// Switching installs the new translators, which makes Qt send QEvent::LanguageChange to every
// widget; widgets re-translate themselves in changeEvent(). GUI thread only.
class LanguageManager : public QObject {
    Q_OBJECT

public:
    struct Language {
        QString code;       // "" for the system language, else "en", "zh_CN"
        QString nativeName; // as the language calls itself, never translated
    };

    explicit LanguageManager(QObject *parent = nullptr);
    ~LanguageManager() override;

    // The choices a preferences page offers, "System" first (its name is translated).
    static QList<Language> availableLanguages();
    // The supported language closest to the system's UI languages ("zh_CN" or "en").
    static QString systemLanguage();
    // Maps any code ("", "zh", "zh-Hans-CN", "en_GB", ...) onto a supported one.
    static QString resolve(const QString &choice);

    // Where hypercomp_<lang>.qm is looked for; ":/i18n" by default.
    void setCatalogDirectory(const QString &directory);
    QString catalogDirectory() const { return m_catalogDirectory; }

    // The user's choice as given to setLanguage ("" = follow the system).
    QString choice() const { return m_choice; }
    // The language in effect after resolving the choice.
    QString language() const { return m_language; }
    bool applicationCatalogLoaded() const { return m_appLoaded; }
    bool qtCatalogLoaded() const { return m_qtLoaded; }

public Q_SLOTS:
    // Installs the translators for `choice` ("" follows the system). English needs none: the
    // source strings are English. Returns false when a non-English language has no application
    // catalogue (the interface then stays English apart from Qt's own strings).
    bool setLanguage(const QString &choice);

Q_SIGNALS:
    void languageChanged(const QString &language);

private:
    void removeTranslators();

    QString m_catalogDirectory;
    QString m_choice;
    QString m_language;
    QTranslator m_appTranslator;
    QTranslator m_qtTranslator;
    bool m_appLoaded = false;
    bool m_qtLoaded = false;
};

} // namespace hc
