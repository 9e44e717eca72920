#include "core/config/compressionconfig.h"
#include "tests/testsupport/testfiles.h"

#include <QtTest>

#include <cstring>

using namespace hc;
using namespace hc::testsupport;

namespace {

std::string s(const QString &q)
{
    return q.toStdString();
}

// Plain literals here: moc (Qt 6.4) loses track of raw strings holding an unbalanced "(.
const QByteArray kExample = QByteArray("{\n")
    + "  \"format\": \"hypercomp-config\", \"version\": 1,\n"
    + "  \"defaults\": {\"samples\": 1600, \"box\": 0.8, \"classes\": \"auto:4\"},\n"
    + "  \"layers\": {\"conv1.weight\": {\"samples\": 64, \"classes\": 2},\n"
    + "             \"fc.weight\": {\"box\": 0.05},\n"
    + "             \"head.weight\": {\"classes\": \"auto:2\", \"loss_threshold\": 0.0005}},\n"
    + "  \"skip\": [\"\\\\.bias$\", \"^embed\"]\n"
    + "}";

} // namespace

class TestCompressionConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsArePapersUNetSetting()
    {
        const CompressionConfig c;
        const CodecParams p = c.paramsFor("anything");
        QCOMPARE(p.samples, 225);
        QCOMPARE(p.box, 0.1);
        QCOMPARE(p.classes, 3);
        QVERIFY(p.autoClasses);
        QVERIFY(!c.skipped("anything"));
        QCOMPARE(QJsonDocument::fromJson(c.toJson()).object().value(QStringLiteral("defaults")).toObject().value(QStringLiteral("classes")).toString(),
                 QStringLiteral("auto:3"));
    }

    void parsesOverridesAndSkips()
    {
        auto r = CompressionConfig::fromJson(kExample, "cfg.json");
        QVERIFY2(r.ok(), r.error().c_str());
        const CompressionConfig &c = *r;
        CodecParams p = c.paramsFor("other");
        QCOMPARE(p.samples, 1600);
        QCOMPARE(p.box, 0.8);
        QCOMPARE(p.classes, 4);
        QVERIFY(p.autoClasses);
        p = c.paramsFor("conv1.weight");
        QCOMPARE(p.samples, 64);
        QCOMPARE(p.box, 0.8);
        QCOMPARE(p.classes, 2);
        QVERIFY(!p.autoClasses);
        p = c.paramsFor("fc.weight");
        QCOMPARE(p.samples, 1600);
        QCOMPARE(p.box, 0.05);
        QCOMPARE(p.classes, 4);
        QVERIFY(p.autoClasses);
        p = c.paramsFor("head.weight");
        QCOMPARE(p.classes, 2);
        QVERIFY(p.autoClasses);
        QCOMPARE(p.lossThreshold, 0.0005);
        QVERIFY(c.skipped("layer1.bias"));
        QCOMPARE(c.skipPattern("layer1.bias"), std::string("\\.bias$"));
        QVERIFY(c.skipped("embed.tokens"));
        QVERIFY(!c.skipped("layer1.bias_gate"));
        QVERIFY(!c.skipped("pos_embed")); // anchored
    }

    void savesAtomicallySortedAndRoundTrips()
    {
        QTemporaryDir dir;
        auto r = CompressionConfig::fromJson(kExample, "cfg.json");
        QVERIFY(r.ok());
        CompressionConfig c = *r;
        c.defaults.box = 0.1 + 0.2; // not exactly representable in short decimal: must round-trip
        const QString a = dir.filePath(QStringLiteral("a.json")), b = dir.filePath(QStringLiteral("b.json"));
        QVERIFY(c.save(s(a)));
        auto back = CompressionConfig::load(s(a));
        QVERIFY2(back.ok(), back.error().c_str());
        QVERIFY(*back == c);
        QVERIFY(std::memcmp(&back->defaults.box, &c.defaults.box, 8) == 0);
        QVERIFY(back->save(s(b)));
        QCOMPARE(readBytes(a), readBytes(b)); // deterministic
        const QByteArray text = readBytes(a);
        QVERIFY(text.indexOf("\"defaults\"") < text.indexOf("\"format\""));
        QVERIFY(text.indexOf("\"format\"") < text.indexOf("\"layers\""));
        QVERIFY(text.indexOf("\"conv1.weight\"") < text.indexOf("\"fc.weight\""));
        QVERIFY(text.contains("\"version\": 1"));
        QVERIFY(text.contains("\"classes\": \"auto:4\""));
        QVERIFY(text.contains("\"classes\": 2"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
    }

    void oldConfigsArePaperMode()
    {
        auto r = CompressionConfig::fromJson(kExample, "cfg.json");
        QVERIFY2(r.ok(), r.error().c_str());
        for (const char *name : {"conv1.weight", "other"}) {
            const ModeOptions o = r->modeOptionsFor(name);
            QCOMPARE(o.mode, CodecMode::Paper);
            QVERIFY(!o.entropy);
            QCOMPARE(o.paper.samples, r->paramsFor(name).samples);
        }
        // A paper-mode, fixed-width config writes none of the new keys: its bytes are as before.
        const QByteArray text = r->toJson();
        for (const char *key : {"\"mode\"", "\"entropy\"", "\"target_bpw\""})
            QVERIFY2(!text.contains(key), key);
    }

    void modesParseValidateAndRoundTrip()
    {
        const QByteArray json = QByteArray("{\"format\": \"hypercomp-config\", \"version\": 1,\n")
            + " \"defaults\": {\"mode\": \"lattice\", \"target_bpw\": 3.75},\n"
            + " \"layers\": {\"a\": {\"mode\": \"density\", \"entropy\": true, \"target_bpw\": 4},\n"
            + "            \"b\": {\"mode\": \"paper\", \"entropy\": true, \"samples\": 64},\n"
            + "            \"c\": {\"mode\": \"density\"}}}";
        auto r = CompressionConfig::fromJson(json, "modes.json");
        QVERIFY2(r.ok(), r.error().c_str());
        const CompressionConfig &c = *r;
        ModeOptions o = c.modeOptionsFor("other");
        QCOMPARE(o.mode, CodecMode::Lattice);
        QCOMPARE(o.targetBitsPerWeight, 3.75);
        o = c.modeOptionsFor("a");
        QCOMPARE(o.mode, CodecMode::Density);
        QVERIFY(o.entropy);
        QCOMPARE(o.targetBitsPerWeight, 4.0);
        o = c.modeOptionsFor("b");
        QCOMPARE(o.mode, CodecMode::Paper); // the inherited target is not the paper mode's business
        QVERIFY(o.entropy);
        QCOMPARE(o.paper.samples, 64);
        o = c.modeOptionsFor("c");
        QCOMPARE(o.mode, CodecMode::Density);
        QCOMPARE(o.targetBitsPerWeight, 3.75); // inherited from the defaults
        QVERIFY(!o.entropy);

        // Saved with sorted keys, loaded back equal, the same bytes again.
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a.json")), b = dir.filePath(QStringLiteral("b.json"));
        QVERIFY(c.save(s(a)));
        auto back = CompressionConfig::load(s(a));
        QVERIFY2(back.ok(), back.error().c_str());
        QVERIFY(*back == c);
        QVERIFY(back->save(s(b)));
        QCOMPARE(readBytes(a), readBytes(b));
        const QByteArray text = readBytes(a);
        QVERIFY(text.contains("\"mode\": \"lattice\""));
        QVERIFY(text.contains("\"target_bpw\": 3.75"));
        QVERIFY(text.indexOf("\"entropy\": true") < text.indexOf("\"mode\": \"density\"")); // sorted within layer a
        CompressionConfig changed = c;
        changed.layers["a"].entropy = false;
        QVERIFY(!(changed == c));

        // Without a target, each mode has its documented default.
        CompressionConfig d;
        d.defaultMode.mode = CodecMode::Lattice;
        QCOMPARE(d.modeOptionsFor("x").targetBitsPerWeight, 4.25);
        d.defaultMode.mode = CodecMode::Density;
        QCOMPARE(d.modeOptionsFor("x").targetBitsPerWeight, 5.0);
        QVERIFY(d.validate("d"));
    }

    void rejectsBadConfigs_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        QTest::newRow("malformed JSON") << QByteArray("{\"format\": ") << QStringLiteral("the config is not valid JSON");
        QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("the config is not a JSON object");
        QTest::newRow("wrong format") << QByteArray(R"({"format": "other", "version": 1})")
                                      << QStringLiteral("is not a HyperComp config (\"format\" must be \"hypercomp-config\")");
        QTest::newRow("no format") << QByteArray(R"({"version": 1})") << QStringLiteral("is not a HyperComp config");
        QTest::newRow("newer version") << QByteArray(R"({"format": "hypercomp-config", "version": 2})")
                                       << QStringLiteral("was written by a newer HyperComp (config version 2; this build reads version 1)");
        QTest::newRow("bad version") << QByteArray(R"({"format": "hypercomp-config", "version": "1"})")
                                     << QStringLiteral("has no valid \"version\"");
        QTest::newRow("samples zero") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"samples": 0}})")
                                      << QStringLiteral("in \"defaults\", the number of samples U must be at least 1");
        QTest::newRow("samples fraction") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"samples": 2.5}})")
                                          << QStringLiteral("\"samples\" value that is not a whole number");
        QTest::newRow("negative box") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "layers": {"w": {"box": -1}}})")
                                      << QStringLiteral("in the layer \"w\", the box size l must be a positive number");
        QTest::newRow("box as text") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"box": "0.1"}})")
                                     << QStringLiteral("\"box\" value that is not a number");
        QTest::newRow("classes text") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"classes": "many"}})")
                                      << QStringLiteral("the \"classes\" value \"many\", which is neither a whole number nor \"auto:KMAX\"");
        QTest::newRow("classes auto without number") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"classes": "auto:"}})")
                                                     << QStringLiteral("neither a whole number nor");
        QTest::newRow("classes too many") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"classes": 100}})")
                                          << QStringLiteral("K must be between 1 and 64");
        QTest::newRow("unknown key") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"sample": 3}})")
                                     << QStringLiteral("\"defaults\" has the unknown key \"sample\"");
        QTest::newRow("unknown top key") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "extra": {}})")
                                         << QStringLiteral("the config has the unknown key \"extra\"");
        QTest::newRow("layer not object") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "layers": {"w": 3}})")
                                          << QStringLiteral("the layer \"w\" is not described by a JSON object");
        QTest::newRow("skip not list") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "skip": "bias"})")
                                       << QStringLiteral("\"skip\" is not a list of regular expressions");
        QTest::newRow("unknown mode") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"mode": "zip"}})")
                                      << QStringLiteral("\"defaults\" has a \"mode\" value that is not \"paper\", \"lattice\" or \"density\"");
        QTest::newRow("mode not text") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "layers": {"w": {"mode": 1}}})")
                                       << QStringLiteral("the layer \"w\" has a \"mode\" value that is not");
        QTest::newRow("entropy not bool") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"entropy": "yes"}})")
                                          << QStringLiteral("has an \"entropy\" value that is not true or false");
        QTest::newRow("target not number") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"mode": "lattice", "target_bpw": "4"}})")
                                           << QStringLiteral("has a \"target_bpw\" value that is not a number");
        QTest::newRow("lattice target too high") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"mode": "lattice", "target_bpw": 30}})")
                                                 << QStringLiteral("in \"defaults\", \"target_bpw\" 30 is outside 0.25..24 bits per weight (lattice mode)");
        QTest::newRow("density target too low") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "layers": {"w": {"mode": "density", "target_bpw": 0.5}}})")
                                                << QStringLiteral("in the layer \"w\", \"target_bpw\" 0.5 is outside 1..12 bits per weight (density mode)");
        QTest::newRow("density inherits a lattice-only target") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"mode": "lattice", "target_bpw": 20}, "layers": {"w": {"mode": "density"}}})")
                                                                << QStringLiteral("in the layer \"w\", \"target_bpw\" 20 is outside 1..12");
        QTest::newRow("paper with a target") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"target_bpw": 4}})")
                                             << QStringLiteral("in \"defaults\", \"target_bpw\" applies to the lattice and density modes, not to paper mode");
        QTest::newRow("paper layer with a target") << QByteArray(R"({"format": "hypercomp-config", "version": 1, "defaults": {"mode": "lattice"}, "layers": {"w": {"mode": "paper", "target_bpw": 4}}})")
                                                   << QStringLiteral("in the layer \"w\", \"target_bpw\" applies to the lattice and density modes");
        QTest::newRow("bad regex") << QByteArray("{\"format\": \"hypercomp-config\", \"version\": 1, \"skip\": [\"(unclosed\"]}")
                                   << QStringLiteral("the skip pattern \"(unclosed\" is not a valid regular expression");
    }

    void rejectsBadConfigs()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        writeBytes(path, json);
        auto r = CompressionConfig::load(s(path));
        QVERIFY(!r.ok());
        const QString err = QString::fromStdString(r.error());
        QVERIFY2(err.startsWith(path + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(err.contains(problem), qPrintable(err));
        QCOMPARE(readBytes(path), json);
    }

    void fileProblems()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("none.json"));
        auto r = CompressionConfig::load(s(missing));
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error()), missing + QStringLiteral(": the file does not exist"));
        r = CompressionConfig::load(s(dir.path()));
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error()), dir.path() + QStringLiteral(": is a folder, not a file"));
        const CompressionConfig c;
        const QString nowhere = dir.filePath(QStringLiteral("no/such/c.json"));
        const Status st = c.save(s(nowhere));
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error()).startsWith(nowhere + QStringLiteral(": cannot be written because the folder")),
                 st.error().c_str());
        const Status proc = c.save("/proc/hc-config-test.json");
        QVERIFY(!proc.ok());
        QVERIFY2(proc.error().rfind("/proc/hc-config-test.json: cannot be written", 0) == 0, proc.error().c_str());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCompressionConfig)
#include "tst_compressionconfig.moc"
