// Issue 9's modes on the real third-party model the tests use (NequIP water potential,
// models/nequip_water.pt): every compressible tensor round-trips in every mode, and the
// parameter-weighted errors are compared with the paper mode and NF4 block-64.
#include "core/baselines/normalfloatquantizer.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodec.h"
#include "core/codec/paperindexmodel.h"
#include "core/codec/ranscoder.h"
#include "core/metrics/errormetrics.h"
#include "core/torch/modelfiles.h"

#include <QtTest>

using namespace hc;

namespace {

struct Tensor {
    std::string name;
    std::vector<float> values;
};

std::vector<Tensor> loadModel()
{
    auto model = openModel(std::string(HC_SHARED_DIR) + "/models/nequip_water.pt");
    if (!model)
        qFatal("cannot open the test model: %s", model.error().c_str());
    std::vector<Tensor> out;
    for (std::size_t i = 0; i < (*model)->tensors().size(); ++i) {
        auto d = (*model)->read(i);
        if (!d)
            qFatal("cannot read tensor %zu: %s", i, d.error().c_str());
        const TensorView v = d->view();
        if (!HyperCodec::rawReason(v).empty())
            continue;
        std::vector<double> tmp(v.numel);
        toDouble(v, 0, v.numel, tmp.data());
        out.push_back({(*model)->tensors()[i].name, std::vector<float>(tmp.begin(), tmp.end())});
    }
    return out;
}

struct Total {
    ErrorMetrics m;
    std::size_t numel = 0;
    double bytes = 0;
    void add(const ErrorMetrics &x, std::size_t n, double b)
    {
        m = numel ? ErrorMetrics::combine(m, numel, x, n) : x;
        numel += n;
        bytes += b;
    }
    double bpw() const { return 8.0 * bytes / double(numel); }
};

Total runMode(const std::vector<Tensor> &model, const ModeOptions &o)
{
    Total t;
    for (const auto &x : model) {
        const TensorView v{x.values.data(), DType::F32, x.values.size()};
        auto e = ModeCodec::encode(v, {std::int64_t(v.numel)}, o);
        if (!e)
            qFatal("%s: %s", x.name.c_str(), e.error().c_str());
        // Through the archive's form: JSON parameters + payload.
        auto back = ModeEncoded::fromJson(e->toJson(), e->payload);
        if (!back)
            qFatal("%s: %s", x.name.c_str(), back.error().c_str());
        std::vector<float> out(v.numel);
        const Status s = back->decode(out.data());
        if (!s)
            qFatal("%s: %s", x.name.c_str(), s.error().c_str());
        t.add(ErrorMetrics::measure(v, {out.data(), DType::F32, out.size()}), v.numel, double(e->totalBytes()));
    }
    return t;
}

} // namespace

class TestModesRealModel : public QObject {
    Q_OBJECT
private:
    std::vector<Tensor> m_model;

private Q_SLOTS:
    void initTestCase()
    {
        m_model = loadModel();
        QVERIFY(m_model.size() > 20);
    }

    void paperEntropyKeepsValuesAndSavesBytes()
    {
        ModeOptions o;
        const Total fixed = runMode(m_model, o);
        o.entropy = true;
        const Total coded = runMode(m_model, o);
        qInfo("paper: %.3f b/w fixed, %.3f b/w rANS, rel. error %.5f", fixed.bpw(), coded.bpw(), coded.m.relFro);
        QCOMPARE(coded.m.relFro, fixed.m.relFro);
        QVERIFY(coded.bpw() < fixed.bpw() - 0.3);
    }

    // Issue 9: entropy-coded paper indices reach >= 80 % of the order-0 gain on the real model
    // (86 % here; 68 % with a stored table per tensor, which its 2 000-pair tensors cannot afford).
    void paperEntropyReachesEightyPercentOfOrderZeroGain()
    {
        double fixedBits = 0, h0 = 0, coded = 0;
        int modelled = 0;
        for (const auto &x : m_model) {
            const TensorView v{x.values.data(), DType::F32, x.values.size()};
            auto e = HyperCodec::encode(v, {std::int64_t(v.numel)}, CodecParams{});
            QVERIFY(e.ok());
            fixedBits += 8.0 * double(e->packedBytes());
            h0 += RansCoder::order0EntropyBits(e->indices.data(), e->indices.size());
            const ModeEncoded m = ModeCodec::fromPaper(*e, true);
            coded += 8.0 * double(m.payload.size());
            modelled += m.payload[0] == PaperIndexModel::kMarker ? 1 : 0;
            std::vector<float> a(v.numel), b(v.numel);
            QVERIFY(m.decode(a.data()).ok());
            HyperCodec::decode(*e, b.data());
            QVERIFY(a == b);
        }
        const double share = (fixedBits - coded) / (fixedBits - h0);
        qInfo("paper indices: %.0f bits fixed, %.0f coded, %.0f order-0: %.1f %% of the gain (%d tensors modelled)",
              fixedBits, coded, h0, 100 * share, modelled);
        QVERIFY(modelled > 10);
        QVERIFY2(share >= 0.8, qPrintable(QString::number(share)));
    }

    void densityBeatsPaperModeAtFiveBits()
    {
        ModeOptions paper;
        const Total p = runMode(m_model, paper);
        ModeOptions o;
        o.mode = CodecMode::Density;
        o.targetBitsPerWeight = 5;
        const Total d = runMode(m_model, o);
        qInfo("density 5: %.3f b/w, rel. error %.5f; paper: %.3f b/w, %.5f (%.3f x)", d.bpw(), d.m.relFro, p.bpw(),
              p.m.relFro, d.m.relFro / p.m.relFro);
        QVERIFY(d.m.relFro <= 0.7 * p.m.relFro);
        QVERIFY(d.bpw() <= p.bpw() + 0.15); // breakpoints of 52 small tensors cost about as much as paper's metadata
    }

    void latticeAgainstNf4()
    {
        Total nf4;
        for (const auto &x : m_model) {
            auto r = NormalFloatQuantizer::evaluate({x.values.data(), DType::F32, x.values.size()}, 64);
            QVERIFY(r.ok());
            nf4.add(r->metrics, x.values.size(), r->bitsPerWeight * double(x.values.size()) / 8.0);
        }
        ModeOptions o;
        o.mode = CodecMode::Lattice;
        o.targetBitsPerWeight = 4.25;
        const Total l = runMode(m_model, o);
        const double ratio = l.m.relFro / nf4.m.relFro;
        qInfo("lattice: %.4f b/w, rel. error %.5f; NF4 b64: %.4f b/w, %.5f (%.3f x)", l.bpw(), l.m.relFro, nf4.bpw(),
              nf4.m.relFro, ratio);
        QVERIFY(l.bpw() <= 4.25);
        // Issue 9: <= 0.7 x NF4 block-64 at its own 4.25 b/w (0.69 x here: 52 tensors of about 3K
        // weights, so the per-tensor header and density model must stay within a few dozen bytes).
        QVERIFY2(ratio <= 0.7, qPrintable(QString::number(ratio)));
    }
};

QTEST_MAIN(TestModesRealModel)
#include "tst_modes_realmodel.moc"
