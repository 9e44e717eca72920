#include "core/codec/hypercodec.h"
#include "core/sweep/boxresolver.h"
#include "core/sweep/sweepgrid.h"
#include "core/sweep/sweeprunner.h"
#include "core/archive/archiveformat.h"
#include "core/archive/archivewriter.h"
#include "core/util/syntheticweights.h"

#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>

using namespace hc;

namespace {

SweepGrid smallGrid()
{
    SweepGrid g;
    g.samples = {64, 225};
    g.boxes = {0.05, 0.1};
    g.classes = {1, 3};
    return g;
}

// A real in-memory model source: tensors held as TensorData, read() copies them out.
class MemorySource : public ModelSource {
public:
    void add(const std::string &name, const std::vector<float> &values)
    {
        TensorData d;
        d.shape = {std::int64_t(values.size())};
        d.dtype = DType::F32;
        d.bytes.resize(values.size() * 4);
        std::memcpy(d.bytes.data(), values.data(), d.bytes.size());
        addData(name, std::move(d));
    }
    void addData(const std::string &name, TensorData d)
    {
        TensorInfo info;
        info.name = name;
        info.shape = d.shape;
        info.dtype = d.dtype;
        info.dtypeName = dtypeName(d.dtype);
        info.byteSize = d.bytes.size();
        m_infos.push_back(info);
        m_data.push_back(std::move(d));
    }
    std::string failOn;
    const std::string &path() const override { return m_path; }
    std::string formatName() const override { return "memory"; }
    const std::vector<TensorInfo> &tensors() const override { return m_infos; }
    Result<TensorData> read(std::size_t i) const override
    {
        if (m_infos[i].name == failOn)
            return Result<TensorData>::failure(m_path + ": the data of tensor \"" + failOn + "\" is truncated");
        return m_data[i];
    }

private:
    std::string m_path = "memory.safetensors";
    std::vector<TensorInfo> m_infos;
    std::vector<TensorData> m_data;
};

class Recorder : public ProgressSink {
public:
    void setProgress(double f) override
    {
        std::lock_guard<std::mutex> lock(m);
        last = f;
        ++calls;
    }
    bool cancelRequested() const override { return cancelAfter >= 0 && calls > cancelAfter; }
    std::mutex m;
    double last = 0;
    int calls = 0;
    int cancelAfter = -1;
};

void compareMetrics(const ErrorMetrics &a, const ErrorMetrics &b)
{
    QCOMPARE(a.mae, b.mae);
    QCOMPARE(a.maxAbs, b.maxAbs);
    QCOMPARE(a.relFro, b.relFro);
    QCOMPARE(a.errorNorm, b.errorNorm);
}

} // namespace

class TestSweepRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultGridIsThePapersRange()
    {
        const SweepGrid g;
        QCOMPARE(g.size(), std::size_t(7 * 3 * 4));
        QVERIFY(g.validate().ok());
        const CodecParams first = g.point(0), last = g.point(g.size() - 1);
        QCOMPARE(first.samples, 64);
        QCOMPARE(first.box, 0.05);
        QCOMPARE(first.classes, 1);
        QCOMPARE(last.samples, 1600);
        QCOMPARE(last.box, 0.2);
        QCOMPARE(last.classes, 4);
        QCOMPARE(g.point(1).classes, 2); // K varies fastest, then l, then U
        QCOMPARE(g.point(4).box, 0.1);
        QCOMPARE(g.point(12).samples, 100);
    }

    void parsesLists()
    {
        QCOMPARE(*SweepGrid::parseSamples("64,225,1600"), (std::vector<int>{64, 225, 1600}));
        QCOMPARE(*SweepGrid::parseSamples(" 1600, 64 ,64"), (std::vector<int>{64, 1600}));
        QCOMPARE(*SweepGrid::parseSamples("1-3,10"), (std::vector<int>{1, 2, 3, 10}));
        QCOMPARE(*SweepGrid::parseBoxes("0.1,0.05"), (std::vector<double>{0.05, 0.1}));
        QCOMPARE(*SweepGrid::parseBoxes("1e-2"), (std::vector<double>{0.01}));
        bool isAuto = true;
        QCOMPARE(*SweepGrid::parseClasses("1-4", &isAuto), (std::vector<int>{1, 2, 3, 4}));
        QVERIFY(!isAuto);
        QCOMPARE(*SweepGrid::parseClasses("auto:3", &isAuto), (std::vector<int>{3}));
        QVERIFY(isAuto);
        auto g = SweepGrid::parse("64,225,1600", "0.05,0.1", "1-4");
        QVERIFY2(g.ok(), g.error().c_str());
        QCOMPARE(g->size(), std::size_t(3 * 2 * 4));
        QVERIFY(!g->autoClasses);
        auto defaults = SweepGrid::parse("", "", "auto:2-3", BoxMode::Sigma);
        QVERIFY(defaults.ok());
        QCOMPARE(defaults->samples, SweepGrid().samples);
        QVERIFY(defaults->autoClasses);
        QCOMPARE(defaults->boxMode, BoxMode::Sigma);
        QVERIFY(defaults->point(0).autoClasses);
    }

    void gridErrors_data()
    {
        QTest::addColumn<QString>("samples");
        QTest::addColumn<QString>("boxes");
        QTest::addColumn<QString>("classes");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty entry") << "64,,225" << "" << "" << "the sample list \"64,,225\" has an empty entry";
        QTest::newRow("not a number") << "64,x" << "" << ""
                                      << "the sample list \"64,x\" holds \"x\", which is not a whole number";
        QTest::newRow("fraction") << "64.5" << "" << "" << "the sample list \"64.5\" holds \"64.5\", which is not a whole number";
        QTest::newRow("U zero") << "0,64" << "" << "" << "the sample list \"0,64\" holds 0, but U must be between 1 and 16777216";
        QTest::newRow("backwards") << "" << "" << "4-1" << "the class list \"4-1\" holds the range \"4-1\", which runs backwards";
        QTest::newRow("bad range") << "" << "" << "1-x" << "the class list \"1-x\" holds \"1-x\", which is not a range of whole numbers like 1-4";
        QTest::newRow("K too big") << "" << "" << "1-65" << "the class list \"1-65\" holds 65, but K must be between 1 and 64";
        QTest::newRow("auto without max") << "" << "" << "auto" << "the class list \"auto\" needs a maximum, like auto:3";
        QTest::newRow("auto zero") << "" << "" << "auto:0"
                                   << "the class (auto:K_max) list \"0\" holds 0, but K_max must be between 1 and 64";
        QTest::newRow("box range") << "" << "0.05-0.2" << ""
                                   << "the box size list \"0.05-0.2\" holds \"0.05-0.2\", which is not a number (ranges are not taken for l: list the values)";
        QTest::newRow("box negative") << "" << "-0.1" << "" << "the box size list \"-0.1\" holds \"-0.1\", but l must be a positive number";
        QTest::newRow("box nan") << "" << "nan" << "" << "the box size list \"nan\" holds \"nan\", which is not a number";
        QTest::newRow("box word") << "" << "0.1,big" << "" << "the box size list \"0.1,big\" holds \"big\", which is not a number";
        QTest::newRow("too many points") << "1-65536" << "0.1,0.2" << ""
                                         << "the sweep grid has 524288 points, more than the limit of 100000";
        QTest::newRow("range too long") << "1-100000" << "" << ""
                                        << "the sample list \"1-100000\" holds the range \"1-100000\", which is longer than 65536 values";
    }
    void gridErrors()
    {
        QFETCH(QString, samples);
        QFETCH(QString, boxes);
        QFETCH(QString, classes);
        QFETCH(QString, message);
        auto g = SweepGrid::parse(samples.toStdString(), boxes.toStdString(), classes.toStdString());
        QVERIFY(!g.ok());
        QCOMPARE(QString::fromStdString(g.error()), message);
    }

    void invalidGridIsRefused()
    {
        SweepGrid g = smallGrid();
        g.boxes = {0.1, -1};
        const auto w = gaussianWeights(100, 1, 1);
        auto r = SweepRunner::runTensor({"w", {w.data(), DType::F32, w.size()}}, g);
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("the box size l must be a positive number") != std::string::npos);
        g = smallGrid();
        g.classes.clear();
        QCOMPARE(g.validate().error(), std::string("the sweep grid has no class count K"));
    }

    void standardDeviationByHand()
    {
        const std::vector<double> w{1, 2, 3, 4};
        QCOMPARE(*BoxResolver::standardDeviation({w.data(), DType::F64, 4}), std::sqrt(1.25));
        QCOMPARE(BoxResolver::resolve(0.5, BoxMode::Sigma, 2.0), 1.0);
        QCOMPARE(BoxResolver::resolve(0.5, BoxMode::Absolute, 2.0), 0.5);
        QCOMPARE(BoxResolver::resolve(0.5, BoxMode::Sigma, 0.0), 0.5);
        QCOMPARE(*BoxResolver::resolve({w.data(), DType::F64, 4}, 2.0, BoxMode::Sigma), 2 * std::sqrt(1.25));
        // Far from zero the two-pass σ keeps its digits.
        const std::vector<double> shifted{1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4};
        QCOMPARE(*BoxResolver::standardDeviation({shifted.data(), DType::F64, 4}), std::sqrt(1.25));
        QVERIFY(!BoxResolver::standardDeviation({w.data(), DType::I32, 2}).ok());
        QVERIFY(!BoxResolver::standardDeviation({w.data(), DType::F64, 0}).ok());
        QCOMPARE(BoxResolver::modeFromName("sigma"), std::optional<BoxMode>(BoxMode::Sigma));
        QCOMPARE(std::string(BoxResolver::modeName(BoxMode::Absolute)), std::string("absolute"));
        QVERIFY(!BoxResolver::modeFromName("relative"));
    }

    // Each point is exactly what an encode + decode + measure of that config gives.
    void pointsMatchTheCodec()
    {
        const auto f = studentTWeights(20001, 4, 0.05, 21);
        const TensorView v{f.data(), DType::F32, f.size()};
        const SweepGrid g = smallGrid();
        auto r = SweepRunner::runTensor({"layer", v}, g, {2});
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(r->points.size(), g.size());
        QCOMPARE(r->numel, std::uint64_t(20001));
        QCOMPARE(r->bytesIn, std::uint64_t(80004));
        for (std::size_t i = 0; i < g.size(); ++i) {
            const SweepPoint &p = r->points[i];
            const CodecParams params = g.point(i);
            QCOMPARE(p.params.samples, params.samples);
            QCOMPARE(p.params.box, params.box);
            QCOMPARE(p.params.classes, params.classes);
            QCOMPARE(p.absoluteBox, params.box);
            auto e = HyperCodec::encode(v, {20001}, params);
            QVERIFY(e.ok());
            std::vector<float> restored(f.size());
            HyperCodec::decode(*e, restored.data());
            const ErrorMetrics m = ErrorMetrics::measure(v, {restored.data(), DType::F32, restored.size()});
            compareMetrics(p.metrics, m);
            QCOMPARE(p.bits, e->bits);
            QCOMPARE(p.classesUsed, e->classes);
            // The exact size of a one-tensor archive holding it, checked against a real archive.
            QCOMPARE(p.bytesOut, ArchiveFormat::standaloneBytes("layer", *e));
            QTemporaryDir dir;
            ArchiveWriter writer(dir.filePath(QStringLiteral("one.hca")).toStdString());
            QVERIFY(writer.addCompressed("layer", *e));
            QVERIFY(writer.commit());
            QCOMPARE(std::uint64_t(QFileInfo(dir.filePath(QStringLiteral("one.hca"))).size()), p.bytesOut);
            QCOMPARE(p.ratio, 80004.0 / double(p.bytesOut));
            QCOMPARE(p.bitsPerWeight, 8.0 * double(p.bytesOut) / 20001.0);
            QVERIFY(std::fabs(p.metrics.mae - e->mae) < 1e-6);
        }
        // U = 225, K = 3: 10-bit indices, 10001 pairs -> 12502 payload bytes plus a header of a
        // few hundred bytes (the JSON of its decoder parameters and its safetensors entry).
        QCOMPARE(r->points[7].bits, 10);
        QVERIFY(r->points[7].bytesOut > 12502 && r->points[7].bytesOut < 12502 + 600);
    }

    void independentOfThreadCount()
    {
        const auto f = studentTWeights(30000, 3, 0.02, 5);
        const TensorView v{f.data(), DType::F32, f.size()};
        SweepGrid g = smallGrid();
        g.autoClasses = true;
        auto one = SweepRunner::runTensor({"w", v}, g, {1});
        auto two = SweepRunner::runTensor({"w", v}, g, {2, SearchEngine::KdTree});
        QVERIFY(one.ok() && two.ok());
        for (std::size_t i = 0; i < g.size(); ++i) {
            compareMetrics(one->points[i].metrics, two->points[i].metrics);
            QCOMPARE(one->points[i].bytesOut, two->points[i].bytesOut);
            QVERIFY(one->points[i].params.autoClasses);
        }
    }

    void boxInUnitsOfSigma()
    {
        const auto f = gaussianWeights(5000, 0.03, 8);
        const TensorView v{f.data(), DType::F32, f.size()};
        SweepGrid g = smallGrid();
        g.boxes = {1.0, 2.0};
        g.boxMode = BoxMode::Sigma;
        auto r = SweepRunner::runTensor({"w", v}, g);
        QVERIFY(r.ok());
        const double sigma = *BoxResolver::standardDeviation(v);
        QCOMPARE(r->sigma, sigma);
        QVERIFY(std::fabs(sigma - 0.03) < 0.002);
        for (std::size_t i = 0; i < g.size(); ++i) {
            QCOMPARE(r->points[i].params.box, g.point(i).box);
            QCOMPARE(r->points[i].absoluteBox, g.point(i).box * sigma);
            CodecParams p = g.point(i);
            p.box *= sigma;
            auto direct = SweepRunner::evaluate(v, p);
            QVERIFY(direct.ok());
            compareMetrics(r->points[i].metrics, direct->metrics);
        }
    }

    void rawTensorIsNamed()
    {
        const std::vector<float> tiny{1, 2, 3};
        auto r = SweepRunner::runTensor({"bias", {tiny.data(), DType::F32, tiny.size()}}, smallGrid());
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), std::string("tensor \"bias\" cannot be compressed: it has fewer than 10 elements"));
        std::vector<float> nan(100, 1.0f);
        nan[50] = std::numeric_limits<float>::quiet_NaN();
        r = SweepRunner::runTensor({"w", {nan.data(), DType::F32, nan.size()}}, smallGrid());
        QCOMPARE(r.error(), std::string("tensor \"w\" cannot be compressed: it contains NaN or infinite values"));
    }

    // Totals: numel-weighted MAE, relative error from the summed norms, bytes over all tensors.
    void wholeModelTotals()
    {
        const auto a = studentTWeights(12000, 4, 0.02, 1);
        const auto b = studentTWeights(7001, 3, 0.2, 2);
        const std::vector<std::int32_t> ids(50, 7);
        const std::vector<float> tiny{1, 2, 3, 4};
        std::vector<SweepTensor> tensors{{"a", {a.data(), DType::F32, a.size()}},
                                         {"ids", {ids.data(), DType::I32, ids.size()}},
                                         {"b", {b.data(), DType::F32, b.size()}},
                                         {"tiny", {tiny.data(), DType::F32, tiny.size()}}};
        const SweepGrid g = smallGrid();
        Recorder progress;
        auto r = SweepRunner::runModel(tensors, g, {}, &progress);
        QVERIFY2(r.ok(), r.error().c_str());
        QCOMPARE(progress.last, 1.0);
        QCOMPARE(r->layers.size(), std::size_t(4));
        QVERIFY(r->layers[1].raw && r->layers[3].raw);
        QCOMPARE(r->layers[1].rawReason, std::string("its dtype I32 is not a float type"));
        QVERIFY(r->layers[1].points.empty());
        QCOMPARE(r->totals.size(), g.size());
        const std::uint64_t rawBytes = 200 + 16;
        for (std::size_t i = 0; i < g.size(); ++i) {
            const SweepPoint &pa = r->layers[0].points[i], &pb = r->layers[2].points[i], &t = r->totals[i];
            QCOMPARE(t.numel, std::uint64_t(19001));
            QCOMPARE(t.bytesIn, pa.bytesIn + pb.bytesIn + rawBytes);
            QCOMPARE(t.bytesOut, pa.bytesOut + pb.bytesOut + rawBytes);
            QCOMPARE(t.ratio, double(t.bytesIn) / double(t.bytesOut));
            QCOMPARE(t.bitsPerWeight, 8.0 * double(pa.bytesOut + pb.bytesOut) / 19001.0);
            const double mae = (pa.metrics.mae * 12000 + pb.metrics.mae * 7001) / 19001;
            QVERIFY(std::fabs(t.metrics.mae - mae) <= 1e-12 * mae);
            const double e2 = pa.metrics.errorNorm * pa.metrics.errorNorm + pb.metrics.errorNorm * pb.metrics.errorNorm;
            const double s2 = pa.metrics.signalNorm * pa.metrics.signalNorm + pb.metrics.signalNorm * pb.metrics.signalNorm;
            QVERIFY(std::fabs(t.metrics.relFro - std::sqrt(e2 / s2)) <= 1e-12);
            QCOMPARE(t.metrics.maxAbs, std::max(pa.metrics.maxAbs, pb.metrics.maxAbs));
            QCOMPARE(t.bits, std::max(pa.bits, pb.bits));
            QCOMPARE(t.params.samples, g.point(i).samples);
            QCOMPARE(t.absoluteBox, g.point(i).box);
        }
        // The big-scale layer b dominates the summed norms.
        QVERIFY(r->totals[0].metrics.relFro > 0);

        // The same model through a ModelSource gives the same sweep.
        MemorySource source;
        source.add("a", a);
        TensorData idData;
        idData.shape = {50};
        idData.dtype = DType::I32;
        idData.bytes.resize(200);
        std::memcpy(idData.bytes.data(), ids.data(), 200);
        source.addData("ids", idData);
        source.add("b", b);
        source.add("tiny", tiny);
        auto fromSource = SweepRunner::runModel(source, g);
        QVERIFY2(fromSource.ok(), fromSource.error().c_str());
        for (std::size_t i = 0; i < g.size(); ++i) {
            compareMetrics(fromSource->totals[i].metrics, r->totals[i].metrics);
            QCOMPARE(fromSource->totals[i].bytesOut, r->totals[i].bytesOut);
        }
        auto subset = SweepRunner::runModel(source, g, {}, nullptr, {2});
        QVERIFY(subset.ok());
        QCOMPARE(subset->layers.size(), std::size_t(1));
        compareMetrics(subset->totals[3].metrics, r->layers[2].points[3].metrics);

        source.failOn = "b";
        auto failed = SweepRunner::runModel(source, g);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error(), std::string("memory.safetensors: the data of tensor \"b\" is truncated"));
        auto outOfRange = SweepRunner::runModel(source, g, {}, nullptr, {9});
        QCOMPARE(outOfRange.error(), std::string("memory.safetensors: there is no tensor number 9 (the model has 4)"));
    }

    void cancelStopsTheRun()
    {
        const auto f = studentTWeights(40000, 4, 0.02, 3);
        Recorder progress;
        progress.cancelAfter = 1;
        auto r = SweepRunner::runTensor({"w", {f.data(), DType::F32, f.size()}}, SweepGrid(), {2}, &progress);
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), std::string("the sweep was cancelled"));
        QVERIFY(progress.calls < int(SweepGrid().size()));
        Recorder model;
        model.cancelAfter = 0;
        auto m = SweepRunner::runModel(std::vector<SweepTensor>{{"w", {f.data(), DType::F32, f.size()}}}, SweepGrid(), {2},
                                       &model);
        QCOMPARE(m.error(), std::string("the sweep was cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestSweepRunner)
#include "tst_sweeprunner.moc"
