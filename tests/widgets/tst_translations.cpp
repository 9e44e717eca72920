// Every user-visible string is translated: the committed .ts files have no unfinished entries, they
// hold every string the sources have today (lupdate is run again here), placeholders survive, and
// the compiled catalogue is in the application's resources.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Message {
    QString context, source, translation;
    QString type; // "unfinished", "vanished", "obsolete" or empty
    bool numerus = false;
};

QList<Message> readTs(const QString &path, QString *error)
{
    QList<Message> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(" cannot be read");
        return out;
    }
    QXmlStreamReader xml(&f);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name") && m.source.isNull())
                context = xml.readElementText();
            else if (name == QLatin1String("message")) {
                m = Message{};
                m.context = context;
                m.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            } else if (name == QLatin1String("source"))
                m.source = xml.readElementText();
            else if (name == QLatin1String("translation")) {
                m.type = xml.attributes().value(QLatin1String("type")).toString();
                if (m.numerus) {
                    QString all;
                    while (xml.readNextStartElement())
                        all += xml.readElementText();
                    m.translation = all;
                } else {
                    m.translation = xml.readElementText();
                }
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            out.append(m);
            m = Message{};
        }
    }
    if (xml.hasError())
        *error = path + QStringLiteral(": ") + xml.errorString();
    return out;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?\\d"));
    QSet<QString> s;
    for (auto it = re.globalMatch(text); it.hasNext();)
        s.insert(it.next().captured(0).remove(QLatin1Char('L')));
    return s;
}

QStringList tsFiles()
{
    const QDir dir(QStringLiteral(HC_SOURCE_DIR "/translations"));
    QStringList files;
    for (const QString &name : dir.entryList({QStringLiteral("*.ts")}, QDir::Files))
        files << dir.filePath(name);
    return files;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void atLeastOneTranslation() { QVERIFY(tsFiles().contains(QStringLiteral(HC_SOURCE_DIR "/translations/hypercomp_zh_CN.ts"))); }

    void noUnfinishedEntries_data()
    {
        QTest::addColumn<QString>("ts");
        for (const QString &f : tsFiles())
            QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
    }
    void noUnfinishedEntries()
    {
        QFETCH(QString, ts);
        QString error;
        const QList<Message> messages = readTs(ts, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 100);
        QStringList problems;
        for (const Message &m : messages) {
            if (!m.type.isEmpty() || m.translation.trimmed().isEmpty())
                problems << QStringLiteral("%1: \"%2\" is %3").arg(m.context, m.source, m.type.isEmpty() ? QStringLiteral("empty") : m.type);
            else if (placeholders(m.source) != placeholders(m.translation))
                problems << QStringLiteral("%1: \"%2\" loses or adds a placeholder").arg(m.context, m.source);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 entries need work, e.g.\n").arg(problems.size()) +
                                                problems.mid(0, 15).join(QLatin1Char('\n'))));
    }

    // The .ts files hold what the sources say today: run lupdate afresh and compare.
    void catalogueIsUpToDate()
    {
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
        QProcess p;
        p.setWorkingDirectory(QStringLiteral(HC_SOURCE_DIR));
        p.start(QStringLiteral(HC_LUPDATE), {QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none"),
                                             QStringLiteral("-I"), QStringLiteral(HC_SOURCE_DIR), QStringLiteral("widgets"),
                                             QStringLiteral("app/workbench/main.cpp"), QStringLiteral("-ts"), fresh});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        QString error;
        const QList<Message> now = readTs(fresh, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const QString &ts : tsFiles()) {
            QSet<QString> committed;
            for (const Message &m : readTs(ts, &error))
                committed.insert(m.context + QLatin1Char('\x1f') + m.source);
            QStringList missing;
            for (const Message &m : now)
                if (!committed.contains(m.context + QLatin1Char('\x1f') + m.source))
                    missing << QStringLiteral("%1: \"%2\"").arg(m.context, m.source);
            QVERIFY2(missing.isEmpty(),
                     qPrintable(QStringLiteral("%1 lacks %2 strings the sources use (run the hc_widgets_lupdate target "
                                               "and translate them), e.g.\n")
                                    .arg(QFileInfo(ts).fileName())
                                    .arg(missing.size()) +
                                missing.mid(0, 10).join(QLatin1Char('\n'))));
        }
    }

    void compiledCatalogueIsBundled()
    {
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/hypercomp_zh_CN.qm")));
        const QString file = t.translate("hc::MainWindow", "&File");
        QVERIFY(!file.isEmpty());
        QVERIFY(file != QStringLiteral("&File"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
