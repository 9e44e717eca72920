#include "widgets/languagemanager.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

namespace hc {

namespace {

const QString kEnglish = QStringLiteral("en");
const QString kChinese = QStringLiteral("zh_CN");

} // namespace

LanguageManager::LanguageManager(QObject *parent)
    : QObject(parent), m_catalogDirectory(QStringLiteral(":/i18n")), m_language(kEnglish)
{
}

LanguageManager::~LanguageManager()
{
    removeTranslators();
}

QList<LanguageManager::Language> LanguageManager::availableLanguages()
{
    return {
        {QString(), tr("System")},
        {kEnglish, QStringLiteral("English")},
        {kChinese, QStringLiteral("简体中文")},
    };
}

QString LanguageManager::resolve(const QString &choice)
{
    if (choice.isEmpty())
        return systemLanguage();
    QString code = choice;
    code.replace(QLatin1Char('-'), QLatin1Char('_'));
    // Traditional Chinese has no catalogue; showing Simplified to its readers would be wrong.
    if (code.startsWith(QLatin1String("zh")) && !code.contains(QLatin1String("TW"))
        && !code.contains(QLatin1String("HK")) && !code.contains(QLatin1String("Hant")))
        return kChinese;
    return kEnglish;
}

QString LanguageManager::systemLanguage()
{
    // uiLanguages() is ordered by the user's preference; the first supported one wins.
    const QStringList languages = QLocale::system().uiLanguages();
    for (const QString &language : languages) {
        if (language.startsWith(QLatin1String("en")))
            return kEnglish;
        if (resolve(language) == kChinese)
            return kChinese;
    }
    return kEnglish;
}

void LanguageManager::setCatalogDirectory(const QString &directory)
{
    m_catalogDirectory = directory;
}

void LanguageManager::removeTranslators()
{
    if (m_appLoaded)
        QCoreApplication::removeTranslator(&m_appTranslator);
    if (m_qtLoaded)
        QCoreApplication::removeTranslator(&m_qtTranslator);
    m_appLoaded = false;
    m_qtLoaded = false;
}

bool LanguageManager::setLanguage(const QString &choice)
{
    const QString language = resolve(choice);
    m_choice = choice;
    const bool changed = language != m_language;
    removeTranslators();
    m_language = language;

    bool ok = true;
    if (language != kEnglish) {
        // Each install sends QEvent::LanguageChange; widgets re-read their strings then.
        m_qtLoaded = m_qtTranslator.load(QStringLiteral("qtbase_") + language,
                                         QLibraryInfo::path(QLibraryInfo::TranslationsPath))
            && QCoreApplication::installTranslator(&m_qtTranslator);
        m_appLoaded = m_appTranslator.load(QStringLiteral("hypercomp_") + language, m_catalogDirectory)
            && QCoreApplication::installTranslator(&m_appTranslator);
        ok = m_appLoaded;
    }
    if (changed)
        Q_EMIT languageChanged(language);
    return ok;
}

} // namespace hc
