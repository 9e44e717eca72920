#include "core/torch/modelfiles.h"
#include "tests/testsupport/testfiles.h"
#include "core/torch/torchmodelsource.h"
#include "core/torch/torchpickle.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/script.h>

#include <cstring>
#include <fstream>
#include <map>
#include <random>

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

void savePickle(const QString &path, const c10::IValue &value)
{
    const std::vector<char> bytes = torch::jit::pickle_save(value);
    writeBytes(path, QByteArray(bytes.data(), qsizetype(bytes.size())));
}

QByteArray tensorBytes(const at::Tensor &t)
{
    const at::Tensor c = t.contiguous();
    return QByteArray(static_cast<const char *>(c.data_ptr()), qsizetype(c.numel() * qsizetype(c.element_size())));
}

QByteArray dataBytes(const TensorData &d)
{
    return QByteArray(reinterpret_cast<const char *>(d.bytes.data()), qsizetype(d.bytes.size()));
}

// A failed open: one sentence that starts with the path, names the problem, and no crash.
void expectFailure(const std::string &path, const char *needle)
{
    auto src = TorchModelSource::open(path);
    QVERIFY2(!src, path.c_str());
    const std::string &e = src.error();
    qInfo("%s", e.c_str());
    QVERIFY2(e.rfind(path + ": ", 0) == 0, e.c_str());
    QVERIFY2(e.find('\n') == std::string::npos, e.c_str());
    QVERIFY2(e.find(needle) != std::string::npos, e.c_str());
    // openModel gives the same kind of answer
    auto viaOpenModel = openModel(path);
    QVERIFY(!viaOpenModel);
    QVERIFY2(viaOpenModel.error().rfind(path + ": ", 0) == 0, viaOpenModel.error().c_str());
}

const char *kPythonFixtures = R"PY(
import sys, torch, hashlib, collections, pickle, zipfile
out = sys.argv[1]
torch.manual_seed(0)
names = {torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64',
         torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8', torch.bool: 'BOOL'}
def raw(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()
lines = []
def expect(fname, flat):
    for k, t in flat.items():
        lines.append('\t'.join([fname, k, names[t.dtype], ','.join(str(d) for d in t.shape), hashlib.sha256(raw(t)).hexdigest()]))
m = torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 2).to(torch.float16))
sd = m.state_dict()
torch.save(sd, out + '/py_zip.pt'); expect('py_zip.pt', sd)
torch.save(sd, out + '/py_legacy.pth', _use_new_zipfile_serialization=False); expect('py_legacy.pth', sd)
base = torch.randn(6, 4)
views = collections.OrderedDict()
views['t'] = base.t()
views['narrow'] = base[2:5]
views['col'] = base[:, 1]
views['bf'] = torch.randn(3, 3).to(torch.bfloat16)
views['f64'] = torch.randn(2, 2, dtype=torch.float64)
views['i32'] = torch.arange(-3, 4, dtype=torch.int32)
views['i16'] = torch.arange(-3, 4, dtype=torch.int16)
views['i8'] = torch.arange(-3, 4, dtype=torch.int8)
views['u8'] = torch.arange(0, 250, 7, dtype=torch.uint8)
views['b'] = torch.tensor([True, False, True])
views['scalar'] = torch.tensor(3.5)
views['empty'] = torch.zeros(0, 3)
nested = {'model': views, 'epoch': 7, 'name': 'x', 'opt': {'lr': 0.1, 'state': {0: {'momentum': torch.ones(2)}}},
          'param': torch.nn.Parameter(torch.ones(2, 2))}
flat = collections.OrderedDict()
for k, v in views.items():
    flat['model.' + k] = v
flat['opt.state.0.momentum'] = nested['opt']['state'][0]['momentum']
flat['param'] = nested['param']
torch.save(nested, out + '/py_nested.pt'); expect('py_nested.pt', flat)
torch.save(nested, out + '/py_nested_legacy.pt', _use_new_zipfile_serialization=False); expect('py_nested_legacy.pt', flat)
torch.save(m, out + '/py_whole_model.pt')
torch.save([torch.ones(2)], out + '/py_list.pt')
with open(out + '/py_plain.pkl', 'wb') as f:
    pickle.dump({'a': 1}, f, protocol=2)
with zipfile.ZipFile(out + '/py_other.zip', 'w') as z:
    z.writestr('hello.txt', 'not a model')
open(out + '/expect.tsv', 'w').write('\n'.join(lines) + '\n')
)PY";

} // namespace

class TestTorchModelSource : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void nequipTorchScript()
    {
        QElapsedTimer timer;
        timer.start();
        auto opened = TorchModelSource::open(s(kNequip));
        QVERIFY2(opened, opened.ok() ? "" : opened.error().c_str());
        qInfo("nequip_water.pt opened in %lld ms", qlonglong(timer.elapsed()));
        auto *src = dynamic_cast<TorchModelSource *>(opened->get());
        QVERIFY(src);
        QCOMPARE(src->formatName(), std::string("TorchScript"));
        QVERIFY(src->isTorchScript());
        QCOMPARE(src->parameterCount(), std::size_t(28));
        QCOMPARE(src->tensors().size(), std::size_t(28 + 49));
        std::uint64_t params = 0;
        for (std::size_t i = 0; i < src->parameterCount(); ++i)
            params += src->tensors()[i].numel();
        QCOMPARE(params, std::uint64_t(154200));

        const long bessel = src->indexOf("model.func.radial_basis.basis.bessel_weights");
        QVERIFY(bessel >= 0);
        QCOMPARE(src->tensors()[std::size_t(bessel)].shape, std::vector<std::int64_t>{8});
        const long fc1 = src->indexOf("model.func.layer0_convnet.conv.fc.layer1.weight");
        QVERIFY(fc1 >= 0);
        const TensorInfo &info = src->tensors()[std::size_t(fc1)];
        QCOMPARE(info.shape, (std::vector<std::int64_t>{64, 64}));
        QCOMPARE(info.dtype, DType::F32);
        QCOMPARE(info.dtypeName, std::string("F32"));
        QCOMPARE(info.byteSize, std::uint64_t(64 * 64 * 4));
        QVERIFY(src->indexOf("scale_by") >= long(src->parameterCount())); // a buffer

        // read() equals the module's own tensor
        torch::jit::Module module = torch::jit::load(s(kNequip));
        at::Tensor expected;
        for (const auto &p : module.named_parameters(true))
            if (p.name == info.name)
                expected = p.value;
        QVERIFY(expected.defined());
        auto data = src->read(std::size_t(fc1));
        QVERIFY(data);
        QCOMPARE(data->shape, info.shape);
        QCOMPARE(dataBytes(*data), tensorBytes(expected));
        const TensorView v = src->view(std::size_t(fc1));
        QVERIFY(v.data);
        QCOMPARE(QByteArray(static_cast<const char *>(v.data), qsizetype(v.byteSize())), tensorBytes(expected));
        QVERIFY(!src->read(src->tensors().size()));
    }

    void libtorchStateDictAllDtypes()
    {
        c10::Dict<std::string, at::Tensor> dict;
        torch::manual_seed(1);
        const std::vector<std::pair<std::string, at::Tensor>> tensors = {
            {"f32", torch::randn({3, 4})},
            {"f16", torch::randn({5}).to(torch::kHalf)},
            {"bf16", torch::randn({2, 3}).to(torch::kBFloat16)},
            {"f64", torch::randn({2, 2, 2}, torch::kDouble)},
            {"i64", torch::arange(-5, 5, torch::kLong)},
            {"i32", torch::arange(-5, 5, torch::kInt)},
            {"i16", torch::arange(-5, 5, torch::kShort)},
            {"i8", torch::arange(-5, 5, torch::kChar)},
            {"u8", torch::arange(0, 200, 9, torch::kByte)},
            {"bool", torch::tensor({true, false, false, true})},
            {"scalar", torch::tensor(2.5)},
            {"layer.0.weight.transposed", torch::randn({4, 3}).t()},
        };
        for (const auto &[name, t] : tensors)
            dict.insert(name, t);
        const QString path = m_dir.filePath(QStringLiteral("libtorch.pt"));
        savePickle(path, dict);

        auto src = TorchModelSource::open(s(path));
        QVERIFY2(src, src.ok() ? "" : src.error().c_str());
        QCOMPARE((*src)->formatName(), std::string("PyTorch state dict"));
        QCOMPARE((*src)->tensors().size(), tensors.size());
        const DType dtypes[] = {DType::F32, DType::F16, DType::BF16, DType::F64, DType::I64, DType::I32,
                                DType::I16, DType::I8,  DType::U8,   DType::Bool, DType::F32, DType::F32};
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            const TensorInfo &info = (*src)->tensors()[i];
            QCOMPARE(info.name, tensors[i].first);
            QCOMPARE(info.shape, tensors[i].second.sizes().vec());
            QCOMPARE(info.dtype, dtypes[i]);
            QCOMPARE(info.byteSize, std::uint64_t(tensors[i].second.numel() * tensors[i].second.element_size()));
            auto data = (*src)->read(i);
            QVERIFY(data);
            QCOMPARE(dataBytes(*data), tensorBytes(tensors[i].second));
        }
        // pickle_save stores tensors contiguously: they map without a copy
        const TensorView v = (*src)->view(0);
        QVERIFY(v.data);
        QCOMPARE(QByteArray(static_cast<const char *>(v.data), qsizetype(v.byteSize())), tensorBytes(tensors[0].second));
    }

    void pythonStateDicts()
    {
        if (!pythonHasTorch())
            QSKIP("/usr/bin/python3 cannot import torch here");
        QProcess p;
        p.start(QString::fromUtf8(kPython), {QStringLiteral("-c"), QString::fromUtf8(kPythonFixtures), m_dir.path()});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());

        std::map<std::string, std::vector<QStringList>> expected;
        const QStringList lines = QString::fromUtf8(readBytes(m_dir.filePath(QStringLiteral("expect.tsv")))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &line : lines) {
            const QStringList f = line.split(QLatin1Char('\t'));
            QCOMPARE(f.size(), 5);
            expected[s(f[0])].push_back(f);
        }
        QCOMPARE(expected.size(), std::size_t(4));
        for (const auto &[file, rows] : expected) {
            const std::string path = s(m_dir.filePath(QString::fromStdString(file)));
            auto src = openModel(path);
            QVERIFY2(src, src.ok() ? "" : src.error().c_str());
            QCOMPARE((*src)->formatName(), std::string("PyTorch state dict"));
            QCOMPARE((*src)->tensors().size(), rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const TensorInfo &info = (*src)->tensors()[i];
                QCOMPARE(QString::fromStdString(info.name), rows[i][1]);
                QCOMPARE(QString::fromUtf8(dtypeName(info.dtype)), rows[i][2]);
                QStringList dims;
                for (auto d : info.shape)
                    dims << QString::number(d);
                QCOMPARE(dims.join(QLatin1Char(',')), rows[i][3]);
                auto data = (*src)->read(i);
                QVERIFY(data);
                QCOMPARE(data->bytes.size(), std::size_t(info.byteSize));
                const QByteArray hash = QCryptographicHash::hash(dataBytes(*data), QCryptographicHash::Sha256).toHex();
                QVERIFY2(QString::fromLatin1(hash) == rows[i][4], (file + " " + info.name).c_str());
            }
        }
        // a non-contiguous tensor is copied, a contiguous one with a storage offset is a view
        auto nested = TorchModelSource::open(s(m_dir.filePath(QStringLiteral("py_nested.pt"))));
        QVERIFY(nested);
        QVERIFY(!(*nested)->view(std::size_t((*nested)->indexOf("model.t"))).data);
        QVERIFY((*nested)->view(std::size_t((*nested)->indexOf("model.narrow"))).data);

        expectFailure(s(m_dir.filePath(QStringLiteral("py_whole_model.pt"))), "save model.state_dict() instead");
        expectFailure(s(m_dir.filePath(QStringLiteral("py_list.pt"))), "holds a list, not a dict of tensors");
        expectFailure(s(m_dir.filePath(QStringLiteral("py_plain.pkl"))), "not one written by torch.save");
        expectFailure(s(m_dir.filePath(QStringLiteral("py_other.zip"))), "zip archive that PyTorch did not write");

        // truncated files: the zip loses its directory, the legacy file its last storage bytes
        const QByteArray zip = readBytes(m_dir.filePath(QStringLiteral("py_zip.pt")));
        writeBytes(m_dir.filePath(QStringLiteral("cut_zip.pt")), zip.left(zip.size() / 2));
        expectFailure(s(m_dir.filePath(QStringLiteral("cut_zip.pt"))), "truncated or damaged");
        const QByteArray legacy = readBytes(m_dir.filePath(QStringLiteral("py_legacy.pth")));
        writeBytes(m_dir.filePath(QStringLiteral("cut_legacy.pth")), legacy.left(legacy.size() - 5));
        expectFailure(s(m_dir.filePath(QStringLiteral("cut_legacy.pth"))), "ends early");
        writeBytes(m_dir.filePath(QStringLiteral("cut_legacy2.pth")), legacy.left(200));
        expectFailure(s(m_dir.filePath(QStringLiteral("cut_legacy2.pth"))), "ends early");
    }

    void badInputs()
    {
        expectFailure(s(m_dir.filePath(QStringLiteral("missing.pt"))), "does not exist");
        expectFailure(s(m_dir.path()), "folder");
        writeBytes(m_dir.filePath(QStringLiteral("empty.pt")), {});
        expectFailure(s(m_dir.filePath(QStringLiteral("empty.pt"))), "empty");
        writeBytes(m_dir.filePath(QStringLiteral("junk.pt")), QByteArray("this is not a model at all, just text\n").repeated(10));
        expectFailure(s(m_dir.filePath(QStringLiteral("junk.pt"))), "is not a PyTorch file");

        // LibTorch-written pickles that are not dicts of tensors
        c10::List<int64_t> list({1, 2, 3});
        savePickle(m_dir.filePath(QStringLiteral("list.pt")), list);
        expectFailure(s(m_dir.filePath(QStringLiteral("list.pt"))), "not a dict of tensors");
        c10::Dict<std::string, int64_t> numbers;
        numbers.insert("epoch", 3);
        savePickle(m_dir.filePath(QStringLiteral("numbers.pt")), numbers);
        expectFailure(s(m_dir.filePath(QStringLiteral("numbers.pt"))), "without any tensors");

        // a TorchScript archive cut in half, and one with garbage in place of its code
        const QByteArray nequip = readBytes(kNequip);
        QVERIFY(!nequip.isEmpty());
        writeBytes(m_dir.filePath(QStringLiteral("cut_script.pt")), nequip.left(nequip.size() / 2));
        expectFailure(s(m_dir.filePath(QStringLiteral("cut_script.pt"))), "truncated or damaged");
        QByteArray broken = nequip;
        QVERIFY(broken.contains("/data.pkl"));
        broken.replace("/data.pkl", "/data.pkx"); // the module's object record disappears
        writeBytes(m_dir.filePath(QStringLiteral("broken_script.pt")), broken);
        expectFailure(s(m_dir.filePath(QStringLiteral("broken_script.pt"))), "cannot be loaded as a TorchScript module");

        // a state dict whose storage record is shorter than its tensor needs
        c10::Dict<std::string, at::Tensor> dict;
        dict.insert("w", torch::ones({1000}));
        savePickle(m_dir.filePath(QStringLiteral("ok.pt")), dict);
        QVERIFY(TorchModelSource::open(s(m_dir.filePath(QStringLiteral("ok.pt")))));
        QVERIFY(!TorchModelSource::openTorchScript(s(m_dir.filePath(QStringLiteral("ok.pt")))));
        QVERIFY(!TorchModelSource::openStateDict(s(kNequip)));
    }

    // Random damage to the pickle and to a whole legacy file: every outcome is a clean success or a
    // sentence, never a crash or a read outside the file (run under HC_SANITIZE to see the latter).
    void corruptedInputsNeverCrash()
    {
        std::vector<TorchPickle::Entry> entries = {{"a.weight", DType::F32, {4, 3}}, {"a.bias", DType::BF16, {3}},
                                                   {"steps", DType::I64, {}}, {"mask", DType::Bool, {2, 2}}};
        auto pkl = TorchPickle::writeStateDictPickle(entries);
        QVERIFY(pkl);
        auto clean = TorchPickle::parseZipPickle(pkl->data(), pkl->size());
        QVERIFY(clean);
        QCOMPARE(clean->tensors.size(), entries.size());
        QCOMPARE(clean->tensors[1].name, std::string("a.bias"));
        QCOMPARE(clean->tensors[1].dtype, DType::BF16);
        QCOMPARE(clean->storages.size(), entries.size());

        std::mt19937 rng(42);
        int ok = 0, failed = 0;
        for (int iter = 0; iter < 4000; ++iter) {
            std::vector<char> bytes = *pkl;
            const int edits = 1 + int(rng() % 4);
            for (int e = 0; e < edits; ++e) {
                const std::size_t at = rng() % bytes.size();
                switch (rng() % 3) {
                case 0: bytes[at] = char(rng()); break;
                case 1: bytes.resize(at); break;
                default: bytes.insert(bytes.begin() + long(at), char(rng())); break;
                }
                if (bytes.empty())
                    bytes.push_back('.');
            }
            auto r = TorchPickle::parseZipPickle(bytes.data(), bytes.size());
            if (r) {
                ++ok;
            } else {
                ++failed;
                QVERIFY(!r.error().empty());
            }
        }
        qInfo("damaged pickles: %d parsed, %d refused", ok, failed);
        QVERIFY(failed > 0);

        if (!pythonHasTorch())
            return;
        const QByteArray legacy = readBytes(m_dir.filePath(QStringLiteral("py_nested_legacy.pt")));
        QVERIFY(!legacy.isEmpty());
        const QString damaged = m_dir.filePath(QStringLiteral("damaged_legacy.pt"));
        ok = failed = 0;
        for (int iter = 0; iter < 300; ++iter) {
            QByteArray bytes = legacy;
            const int edits = 1 + int(rng() % 3);
            for (int e = 0; e < edits; ++e) {
                const qsizetype at = qsizetype(rng() % std::uint32_t(bytes.size()));
                if (rng() % 4 == 0)
                    bytes.truncate(std::max<qsizetype>(at, 1));
                else
                    bytes[at] = char(rng());
            }
            writeBytes(damaged, bytes);
            auto src = TorchModelSource::open(s(damaged));
            if (!src) {
                ++failed;
                QVERIFY(src.error().rfind(s(damaged) + ": ", 0) == 0);
                continue;
            }
            ++ok;
            for (std::size_t i = 0; i < (*src)->tensors().size(); ++i) {
                auto d = (*src)->read(i);
                QVERIFY(!d || d->bytes.size() == (*src)->tensors()[i].byteSize);
            }
        }
        qInfo("damaged legacy files: %d opened, %d refused", ok, failed);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestTorchModelSource)
#include "tst_torchmodelsource.moc"
