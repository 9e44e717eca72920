#include "core/io/safetensorswriter.h"
#include "tests/testsupport/testfiles.h"
#include "core/torch/modelfiles.h"
#include "core/torch/outputcomparison.h"
#include "core/torch/torchmodelsource.h"
#include "core/torch/torchscriptrunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/script.h>

#include <cmath>
#include <cstring>

using namespace hc;
using namespace hc::testsupport;

namespace {

const QString kNequip = QStringLiteral(HC_SHARED_DIR "/models/nequip_water.pt");
const char *kPython = "/usr/bin/python3";

bool pythonHasTorch()
{
    static int state = -1;
    if (state < 0) {
        QProcess p;
        p.start(QString::fromUtf8(kPython), {QStringLiteral("-c"), QStringLiteral("import torch")});
        state = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? 1 : 0;
    }
    return state == 1;
}

std::string s(const QString &q)
{
    return q.toStdString();
}

QByteArray dataBytes(const TensorData &d)
{
    return QByteArray(reinterpret_cast<const char *>(d.bytes.data()), qsizetype(d.bytes.size()));
}

QByteArray tensorBytes(const at::Tensor &t)
{
    const at::Tensor c = t.contiguous();
    return QByteArray(static_cast<const char *>(c.data_ptr()), qsizetype(c.numel() * qsizetype(c.element_size())));
}

TensorData toData(const at::Tensor &t, DType dtype)
{
    TensorData d;
    d.shape = t.sizes().vec();
    d.dtype = dtype;
    const QByteArray b = tensorBytes(t);
    d.bytes.assign(b.begin(), b.end());
    return d;
}

TensorInfo infoOf(const std::string &name, const TensorData &d)
{
    TensorInfo i;
    i.name = name;
    i.shape = d.shape;
    i.dtype = d.dtype;
    i.dtypeName = dtypeName(d.dtype);
    i.byteSize = d.bytes.size();
    return i;
}

// The model every round trip writes: one tensor of each dtype a state dict can hold.
struct Sample {
    std::vector<TensorInfo> infos;
    std::vector<TensorData> data;
    std::vector<std::string> names() const
    {
        std::vector<std::string> n;
        for (const auto &i : infos)
            n.push_back(i.name);
        return n;
    }
    TensorAt provider() const
    {
        return [this](std::size_t i) -> Result<TensorData> { return data.at(i); };
    }
};

Sample makeSample()
{
    torch::manual_seed(3);
    Sample sm;
    auto add = [&](const std::string &name, const at::Tensor &t, DType d) {
        sm.data.push_back(toData(t, d));
        sm.infos.push_back(infoOf(name, sm.data.back()));
    };
    add("layers.0.weight", torch::randn({16, 8}), DType::F32);
    add("layers.0.bias", torch::randn({16}), DType::F32);
    add("half.weight", torch::randn({4, 4}).to(torch::kHalf), DType::F16);
    add("bf.weight", torch::randn({3, 5}).to(torch::kBFloat16), DType::BF16);
    add("double.weight", torch::randn({2, 3}, torch::kDouble), DType::F64);
    add("steps", torch::tensor(int64_t(12345678901)), DType::I64);
    add("ids32", torch::arange(-4, 4, torch::kInt), DType::I32);
    add("ids16", torch::arange(-4, 4, torch::kShort), DType::I16);
    add("ids8", torch::arange(-4, 4, torch::kChar), DType::I8);
    add("bytes", torch::arange(0, 255, 17, torch::kByte), DType::U8);
    add("mask", torch::tensor({true, false, true}), DType::Bool);
    add("empty", torch::zeros({0, 4}), DType::F32);
    return sm;
}

void compareSource(const ModelSource &src, const Sample &sm)
{
    QCOMPARE(src.tensors().size(), sm.infos.size());
    for (std::size_t i = 0; i < sm.infos.size(); ++i) {
        const TensorInfo &t = src.tensors()[i];
        QCOMPARE(t.name, sm.infos[i].name);
        QCOMPARE(t.shape, sm.infos[i].shape);
        QCOMPARE(t.dtype, sm.infos[i].dtype);
        QCOMPARE(t.byteSize, sm.infos[i].byteSize);
        auto d = src.read(i);
        QVERIFY(d);
        QCOMPARE(dataBytes(*d), dataBytes(sm.data[i]));
    }
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

class CancelAfter : public ProgressSink {
public:
    explicit CancelAfter(int n) : m_left(n) {}
    void setProgress(double) override { --m_left; }
    bool cancelRequested() const override { return m_left <= 0; }

private:
    int m_left;
};

// A small TorchScript module made here: forward(x) = x @ weight + bias.
void saveNet(const QString &path, const at::Tensor &weight, const at::Tensor &bias)
{
    torch::jit::Module net("Net");
    net.register_parameter("weight", weight, false);
    net.register_buffer("bias", bias);
    net.define(R"(
def forward(self, x):
    return torch.matmul(x, self.weight) + self.bias
)");
    net.save(s(path));
}

} // namespace

class TestModelFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void outputFormats()
    {
        QCOMPARE(*outputFormatFor("a/b.safetensors"), ModelFormat::Safetensors);
        QCOMPARE(*outputFormatFor("a/b.SafeTensors", "orig.pt"), ModelFormat::Safetensors);
        QCOMPARE(*outputFormatFor("b.pt"), ModelFormat::StateDict);
        QCOMPARE(*outputFormatFor("b.pth"), ModelFormat::StateDict);
        QCOMPARE(*outputFormatFor("b.bin"), ModelFormat::StateDict);
        QCOMPARE(*outputFormatFor("b.pt", "orig.pt"), ModelFormat::TorchScript);
        auto bad = outputFormatFor("dir.v2/model");
        QVERIFY(!bad);
        QVERIFY(bad.error().rfind("dir.v2/model: ", 0) == 0);
        QVERIFY(!outputFormatFor("model.onnx"));
        QCOMPARE(std::string(modelFormatName(ModelFormat::TorchScript)), std::string("TorchScript"));
    }

    void stateDictRoundTrip()
    {
        const Sample sm = makeSample();
        const QString path = m_dir.filePath(QStringLiteral("roundtrip.pt"));
        Status st = writeModel(s(path), ModelFormat::StateDict, sm.infos, sm.provider());
        QVERIFY2(st, st.error().c_str());
        auto src = openModel(s(path));
        QVERIFY2(src, src.ok() ? "" : src.error().c_str());
        QCOMPARE((*src)->formatName(), std::string("PyTorch state dict"));
        compareSource(**src, sm);

        // LibTorch's own reader takes it as well
        const QByteArray bytes = readBytes(path);
        const c10::IValue v = torch::jit::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
        QVERIFY(v.isGenericDict());
        const auto dict = v.toGenericDict();
        QCOMPARE(std::size_t(dict.size()), sm.infos.size());
        std::size_t i = 0;
        for (const auto &kv : dict) {
            QCOMPARE(kv.key().toStringRef(), sm.infos[i].name);
            QCOMPARE(tensorBytes(kv.value().toTensor()), dataBytes(sm.data[i]));
            ++i;
        }

        // names-only overload, another extension: the same content
        const QString bin = m_dir.filePath(QStringLiteral("roundtrip.bin"));
        st = writeModel(s(bin), ModelFormat::StateDict, sm.names(), sm.provider());
        QVERIFY2(st, st.error().c_str());
        QCOMPARE(readBytes(bin), bytes);
    }

    void safetensorsRoundTrip()
    {
        const Sample sm = makeSample();
        const QString path = m_dir.filePath(QStringLiteral("roundtrip.safetensors"));
        Status st = writeModel(s(path), ModelFormat::Safetensors, sm.infos, sm.provider());
        QVERIFY2(st, st.error().c_str());
        auto src = openModel(s(path));
        QVERIFY2(src, src.ok() ? "" : src.error().c_str());
        QCOMPARE((*src)->formatName(), std::string("safetensors"));
        compareSource(**src, sm);

        const QString byNames = m_dir.filePath(QStringLiteral("bynames.safetensors"));
        st = writeModel(s(byNames), ModelFormat::Safetensors, sm.names(), sm.provider());
        QVERIFY2(st, st.error().c_str());
        QCOMPARE(readBytes(byNames), readBytes(path));
    }

    void detectionByContent()
    {
        const Sample sm = makeSample();
        // a safetensors file named .pt and a state dict named .safetensors: the content decides
        const QString stAsPt = m_dir.filePath(QStringLiteral("really_safetensors.pt"));
        QVERIFY(writeModel(s(stAsPt), ModelFormat::Safetensors, sm.infos, sm.provider()));
        auto a = openModel(s(stAsPt));
        QVERIFY(a);
        QCOMPARE((*a)->formatName(), std::string("safetensors"));
        const QString ptAsSt = m_dir.filePath(QStringLiteral("really_state_dict.safetensors"));
        QVERIFY(writeModel(s(ptAsSt), ModelFormat::StateDict, sm.infos, sm.provider()));
        auto b = openModel(s(ptAsSt));
        QVERIFY(b);
        QCOMPARE((*b)->formatName(), std::string("PyTorch state dict"));
        auto c = openModel(s(kNequip));
        QVERIFY(c);
        QCOMPARE((*c)->formatName(), std::string("TorchScript"));

        // nothing matches: the extension picks who explains
        writeBytes(m_dir.filePath(QStringLiteral("junk.safetensors")), QByteArray(100, 'x'));
        writeBytes(m_dir.filePath(QStringLiteral("junk.weights")), QByteArray(100, 'x'));
        for (const char *name : {"junk.safetensors", "junk.weights", "nothing_here.pt"}) {
            const std::string path = s(m_dir.filePath(QString::fromUtf8(name)));
            auto r = openModel(path);
            QVERIFY(!r);
            qInfo("%s", r.error().c_str());
            QVERIFY2(r.error().rfind(path + ": ", 0) == 0, r.error().c_str());
            QVERIFY(r.error().find('\n') == std::string::npos);
        }
        QVERIFY(openModel(s(m_dir.filePath(QStringLiteral("junk.weights")))).error().find("is not a model file") != std::string::npos);
    }

    void pythonReadsWhatWeWrite()
    {
        if (!pythonHasTorch())
            QSKIP("/usr/bin/python3 cannot import torch here");
        const Sample sm = makeSample();
        const QString path = m_dir.filePath(QStringLiteral("for_python.pt"));
        QVERIFY(writeModel(s(path), ModelFormat::StateDict, sm.infos, sm.provider()));
        const QString net = m_dir.filePath(QStringLiteral("net.pt"));
        const QString restored = m_dir.filePath(QStringLiteral("net_restored_py.pt"));
        saveNet(net, torch::randn({4, 3}), torch::randn({3}));
        const std::vector<float> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, b = {0.5f, -0.5f, 0.25f};
        TensorData wd{{4, 3}, DType::F32, {}}, bd{{3}, DType::F32, {}};
        wd.bytes.resize(48);
        std::memcpy(wd.bytes.data(), w.data(), 48);
        bd.bytes.resize(12);
        std::memcpy(bd.bytes.data(), b.data(), 12);
        Status st = writeModel(s(restored), ModelFormat::TorchScript, std::vector<std::string>{"weight", "bias"},
                               [&](std::size_t i) -> Result<TensorData> { return i == 0 ? wd : bd; }, s(net));
        QVERIFY2(st, st.error().c_str());

        const char *script = R"PY(
import sys, torch, hashlib
sd = torch.load(sys.argv[1])
assert isinstance(sd, dict)
for k, t in sd.items():
    c = t.contiguous()
    if c.dtype == torch.bfloat16:
        c = c.view(torch.int16)
    print(k, str(t.dtype), ','.join(str(d) for d in t.shape), hashlib.sha256(c.numpy().tobytes()).hexdigest(), sep='\t')
m = torch.jit.load(sys.argv[2])
y = m(torch.ones(2, 4))
print('forward', ','.join('%g' % v for v in y[0].tolist()), sep='\t')
)PY";
        QProcess p;
        p.start(QString::fromUtf8(kPython), {QStringLiteral("-c"), QString::fromUtf8(script), path, restored});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(std::size_t(lines.size()), sm.infos.size() + 1);
        const char *torchNames[] = {"torch.float32", "torch.float32", "torch.float16", "torch.bfloat16", "torch.float64", "torch.int64",
                                    "torch.int32",   "torch.int16",   "torch.int8",    "torch.uint8",    "torch.bool",    "torch.float32"};
        for (std::size_t i = 0; i < sm.infos.size(); ++i) {
            const QStringList f = lines[qsizetype(i)].split(QLatin1Char('\t'));
            QCOMPARE(f.size(), 4);
            QCOMPARE(s(f[0]), sm.infos[i].name);
            QCOMPARE(f[1], QString::fromUtf8(torchNames[i]));
            QStringList dims;
            for (auto d : sm.infos[i].shape)
                dims << QString::number(d);
            QCOMPARE(f[2], dims.join(QLatin1Char(',')));
            QCOMPARE(f[3].toLatin1(), QCryptographicHash::hash(dataBytes(sm.data[i]), QCryptographicHash::Sha256).toHex());
        }
        // ones(4) @ w + b: column sums of w plus b
        QCOMPARE(lines.last(), QStringLiteral("forward\t22.5,25.5,30.25"));
    }

    void pythonStateDictOpens()
    {
        if (!pythonHasTorch())
            QSKIP("/usr/bin/python3 cannot import torch here");
        const QString path = m_dir.filePath(QStringLiteral("from_python.pth"));
        QProcess p;
        p.start(QString::fromUtf8(kPython),
                {QStringLiteral("-c"),
                 QStringLiteral("import sys, torch; torch.manual_seed(0); m = torch.nn.Linear(3, 2); "
                                "torch.save(m.state_dict(), sys.argv[1]); print(*m.weight.detach().flatten().tolist())"),
                 path});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QStringList values = QString::fromUtf8(p.readAllStandardOutput()).simplified().split(QLatin1Char(' '));
        QCOMPARE(values.size(), 6);
        auto src = openModel(s(path));
        QVERIFY2(src, src.ok() ? "" : src.error().c_str());
        QCOMPARE((*src)->tensors().size(), std::size_t(2));
        QCOMPARE((*src)->tensors()[0].name, std::string("weight"));
        QCOMPARE((*src)->tensors()[1].name, std::string("bias"));
        auto w = (*src)->read(0);
        QVERIFY(w);
        for (int i = 0; i < 6; ++i) {
            float v;
            std::memcpy(&v, w->bytes.data() + 4 * i, 4);
            QCOMPARE(double(v), values[i].toDouble());
        }
    }

    void restoreNequip()
    {
        auto original = openModel(s(kNequip));
        QVERIFY(original);
        const ModelSource &src = **original;
        std::vector<std::string> names;
        std::vector<TensorData> values;
        for (std::size_t i = 0; i < src.tensors().size(); ++i) {
            auto d = src.read(i);
            QVERIFY(d);
            // "restored" values: recognisably different, same shape and dtype
            if (d->dtype == DType::F32) {
                float *f = reinterpret_cast<float *>(d->bytes.data());
                for (std::size_t k = 0; k < d->numel(); ++k)
                    f[k] = f[k] * 0.5f + 0.25f;
            }
            names.push_back(src.tensors()[i].name);
            values.push_back(std::move(*d));
        }
        const QString out = m_dir.filePath(QStringLiteral("nequip_restored.pt"));
        QElapsedTimer timer;
        timer.start();
        Status st = writeModel(s(out), ModelFormat::TorchScript, names, [&](std::size_t i) -> Result<TensorData> { return values[i]; },
                               s(kNequip));
        QVERIFY2(st, st.error().c_str());
        qInfo("nequip restored and saved in %lld ms", qlonglong(timer.elapsed()));

        auto restored = openModel(s(out));
        QVERIFY2(restored, restored.ok() ? "" : restored.error().c_str());
        QCOMPARE((*restored)->formatName(), std::string("TorchScript"));
        QCOMPARE((*restored)->tensors().size(), src.tensors().size());
        std::uint64_t params = 0;
        const auto *ts = dynamic_cast<const TorchModelSource *>(restored->get());
        QVERIFY(ts);
        QCOMPARE(ts->parameterCount(), std::size_t(28));
        for (std::size_t i = 0; i < src.tensors().size(); ++i) {
            QCOMPARE((*restored)->tensors()[i].name, names[i]);
            if (i < ts->parameterCount())
                params += (*restored)->tensors()[i].numel();
            auto d = (*restored)->read(i);
            QVERIFY(d);
            QVERIFY2(dataBytes(*d) == dataBytes(values[i]), names[i].c_str());
        }
        QCOMPARE(params, std::uint64_t(154200));
        // the code is still there: the restored module has the same forward
        torch::jit::Module m = torch::jit::load(s(out));
        QVERIFY(m.find_method("forward"));
        QCOMPARE(m.type()->name()->qualifiedName(), torch::jit::load(s(kNequip)).type()->name()->qualifiedName());
        QVERIFY(readBytes(kNequip) != readBytes(out));
    }

    void runnerAndRestoredNet()
    {
        torch::manual_seed(5);
        const at::Tensor weight = torch::randn({4, 3}), bias = torch::randn({3});
        const QString net = m_dir.filePath(QStringLiteral("net_run.pt"));
        saveNet(net, weight, bias);
        auto runner = TorchScriptRunner::load(s(net));
        QVERIFY2(runner, runner.ok() ? "" : runner.error().c_str());
        QVERIFY((*runner)->forwardSchema().find("forward(") != std::string::npos);

        auto x1 = TorchScriptRunner::randomInput({5, 4}, 7);
        auto x2 = TorchScriptRunner::randomInput({5, 4}, 7);
        auto x3 = TorchScriptRunner::randomInput({5, 4}, 8);
        QVERIFY(x1 && x2 && x3);
        QCOMPARE(dataBytes(*x1), dataBytes(*x2));
        QVERIFY(dataBytes(*x1) != dataBytes(*x3));

        auto y = (*runner)->runRandom({5, 4}, 7);
        QVERIFY2(y, y.ok() ? "" : y.error().c_str());
        QCOMPARE(y->shape, (std::vector<std::int64_t>{5, 3}));
        at::Tensor x = torch::from_blob(x1->bytes.data(), {5, 4}, torch::kFloat).clone();
        const at::Tensor expected = torch::matmul(x, weight) + bias;
        QCOMPARE(dataBytes(*y), tensorBytes(expected));

        // restore with other weights: the saved module runs and uses them
        const at::Tensor weight2 = weight * 2.0;
        const QString out = m_dir.filePath(QStringLiteral("net_run_restored.pt"));
        Status st = writeModel(s(out), *outputFormatFor(s(out), s(net)), std::vector<std::string>{"weight"},
                               [&](std::size_t) -> Result<TensorData> { return toData(weight2, DType::F32); }, s(net));
        QVERIFY2(st, st.error().c_str());
        auto runner2 = TorchScriptRunner::load(s(out));
        QVERIFY(runner2);
        auto y2 = (*runner2)->run(*x1);
        QVERIFY(y2);
        QCOMPARE(dataBytes(*y2), tensorBytes(torch::matmul(x, weight2) + bias));

        auto same = OutputComparison::compare(*y, *y);
        QVERIFY(same);
        QCOMPARE(same->maxAbsError, 0.0);
        QCOMPARE(same->cosine, 1.0);
        QCOMPARE(same->argmaxAgreement, 1.0);
        auto diff = OutputComparison::compare(*y, *y2);
        QVERIFY(diff);
        QVERIFY(diff->maxAbsError > 0);
        QVERIFY(diff->relativeError > 0);
        QCOMPARE(diff->rows, std::size_t(5));

        // errors: a module whose forward does not take a tensor, bad inputs, missing files
        auto nequip = TorchScriptRunner::load(s(kNequip));
        QVERIFY(nequip);
        auto r = (*nequip)->runRandom({3, 3});
        QVERIFY(!r);
        qInfo("%s", r.error().c_str());
        QVERIFY(r.error().rfind(s(kNequip) + ": forward failed", 0) == 0);
        QVERIFY(r.error().find('\n') == std::string::npos);
        auto wrongShape = (*runner)->runRandom({5, 7});
        QVERIFY(!wrongShape);
        QVERIFY(wrongShape.error().find('\n') == std::string::npos);
        TensorData u16{{2}, DType::U16, std::vector<std::uint8_t>(4)};
        QVERIFY(!(*runner)->run(u16));
        QVERIFY(!TorchScriptRunner::load(s(m_dir.filePath(QStringLiteral("none.pt")))));
        QVERIFY(!TorchScriptRunner::load(s(m_dir.path())));
        QVERIFY(!TorchScriptRunner::randomInput({-1, 2}));
    }

    void comparisonByHand()
    {
        TensorData a{{2, 3}, DType::F32, {}}, b{{2, 3}, DType::F32, {}};
        const float av[] = {1, 2, 3, 4, 5, 6}, bv[] = {1, 2, 4, 6, 5, 4};
        a.bytes.resize(24);
        b.bytes.resize(24);
        std::memcpy(a.bytes.data(), av, 24);
        std::memcpy(b.bytes.data(), bv, 24);
        auto c = OutputComparison::compare(a, b);
        QVERIFY(c);
        QCOMPARE(c->count, std::size_t(6));
        QCOMPARE(c->maxAbsError, 2.0);
        QVERIFY(std::abs(c->meanAbsError - 5.0 / 6.0) < 1e-12);
        QVERIFY(std::abs(c->relativeError - 3.0 / std::sqrt(91.0)) < 1e-12);
        QVERIFY(std::abs(c->cosine - 90.0 / std::sqrt(91.0 * 98.0)) < 1e-12);
        QCOMPARE(c->rows, std::size_t(2));
        QCOMPARE(c->argmaxAgreement, 0.5);
        TensorData other = b;
        other.shape = {3, 2};
        QVERIFY(!OutputComparison::compare(a, other));
        TensorData ints{{2, 3}, DType::I32, std::vector<std::uint8_t>(24)};
        QVERIFY(!OutputComparison::compare(a, ints));
    }

    void writeFailuresLeaveNothing()
    {
        const Sample sm = makeSample();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString net = dir.filePath(QStringLiteral("net.pt"));
        saveNet(net, torch::randn({4, 3}), torch::randn({3}));
        const QString target = dir.filePath(QStringLiteral("out.pt"));
        writeBytes(target, "previous contents");
        const QStringList before = entries(dir.path());
        auto unchanged = [&] {
            QCOMPARE(entries(dir.path()), before);
            QCOMPARE(readBytes(target), QByteArray("previous contents"));
        };
        auto expectError = [&](const Status &st, const std::string &start, const char *needle) {
            QVERIFY(!st);
            qInfo("%s", st.error().c_str());
            QVERIFY2(st.error().rfind(start + ": ", 0) == 0, st.error().c_str());
            QVERIFY2(st.error().find(needle) != std::string::npos, st.error().c_str());
            QVERIFY(st.error().find('\n') == std::string::npos);
        };
        const TensorAt good = [](std::size_t) -> Result<TensorData> { return TensorData{{4, 3}, DType::F32, std::vector<std::uint8_t>(48)}; };

        // TorchScript: unknown name, wrong shape, failing provider, bad original, same file
        expectError(writeModel(s(target), ModelFormat::TorchScript, std::vector<std::string>{"weight", "nope"}, good, s(net)), s(net),
                    "no parameter or buffer named \"nope\"");
        unchanged();
        expectError(writeModel(s(target), ModelFormat::TorchScript, std::vector<std::string>{"bias"}, good, s(net)), s(target),
                    "has shape [4, 3] but the module's has shape [3]");
        unchanged();
        const TensorAt failing = [](std::size_t i) -> Result<TensorData> {
            if (i == 0)
                return TensorData{{4, 3}, DType::F32, std::vector<std::uint8_t>(48)};
            return Result<TensorData>::failure("archive.hc: tensor 1 is damaged");
        };
        Status st = writeModel(s(target), ModelFormat::TorchScript, std::vector<std::string>{"weight", "bias"}, failing, s(net));
        QVERIFY(!st);
        QCOMPARE(st.error(), std::string("archive.hc: tensor 1 is damaged"));
        unchanged();
        expectError(writeModel(s(target), ModelFormat::TorchScript, std::vector<std::string>{"weight"}, good,
                               s(dir.filePath(QStringLiteral("missing.pt")))),
                    s(dir.filePath(QStringLiteral("missing.pt"))), "does not exist");
        const QString sd = m_dir.filePath(QStringLiteral("roundtrip.pt"));
        QVERIFY(QFile::exists(sd));
        expectError(writeModel(s(target), ModelFormat::TorchScript, std::vector<std::string>{"weight"}, good, s(sd)), s(sd),
                    "cannot be loaded as a TorchScript module");
        expectError(writeModel(s(net), ModelFormat::TorchScript, std::vector<std::string>{"weight"}, good, s(net)), s(net),
                    "is the TorchScript module being restored");
        expectError(writeModel(s(target), ModelFormat::TorchScript, std::vector<std::string>{"weight"}, good), s(target),
                    "none was given");
        unchanged();

        // state dict: failing provider, a dtype PyTorch cannot hold, cancel, missing folder, folder
        st = writeModel(s(target), ModelFormat::StateDict, std::vector<std::string>{"a", "b"}, failing);
        QCOMPARE(st.error(), std::string("archive.hc: tensor 1 is damaged"));
        unchanged();
        const TensorAt u16 = [](std::size_t) -> Result<TensorData> { return TensorData{{2}, DType::U16, std::vector<std::uint8_t>(4)}; };
        expectError(writeModel(s(target), ModelFormat::StateDict, std::vector<std::string>{"w"}, u16), s(target),
                    "element type U16, which a PyTorch state dict cannot hold");
        unchanged();
        CancelAfter cancel(2);
        expectError(writeModel(s(target), ModelFormat::StateDict, sm.infos, sm.provider(), {}, &cancel), s(target), "cancelled");
        unchanged();
        const std::string nofolder = s(dir.filePath(QStringLiteral("no/such/folder/out.pt")));
        expectError(writeModel(nofolder, ModelFormat::StateDict, sm.infos, sm.provider()), nofolder, "does not exist");
        expectError(writeModel(s(dir.path()), ModelFormat::StateDict, sm.infos, sm.provider()), s(dir.path()), "folder");
        // a tensor that does not match its declaration
        std::vector<TensorInfo> wrong = sm.infos;
        wrong[1].shape = {4, 4};
        wrong[1].byteSize = 64;
        expectError(writeModel(s(target), ModelFormat::StateDict, wrong, sm.provider()), s(target), "different shape");
        unchanged();
        expectError(writeModel(s(target), ModelFormat::StateDict, std::vector<std::string>{}, good), s(target), "no tensors");

        // safetensors: failing provider and cancel leave nothing either
        const QString stTarget = dir.filePath(QStringLiteral("out.safetensors"));
        st = writeModel(s(stTarget), ModelFormat::Safetensors, std::vector<TensorInfo>{sm.infos[0], sm.infos[1]}, failing);
        QVERIFY(!st);
        CancelAfter cancel2(1);
        st = writeModel(s(stTarget), ModelFormat::Safetensors, sm.infos, sm.provider(), {}, &cancel2);
        QVERIFY(!st);
        unchanged();

        // and the successful write replaces the old file
        QVERIFY(writeModel(s(target), ModelFormat::StateDict, sm.infos, sm.provider()));
        QVERIFY(readBytes(target) != QByteArray("previous contents"));
        QCOMPARE(entries(dir.path()), before);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestModelFiles)
#include "tst_modelfiles.moc"
