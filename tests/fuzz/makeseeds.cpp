// Writes the valid seed files of the fuzz corpora with the project's own writers:
//   fuzz_make_seeds OUTDIR   ->  OUTDIR/{safetensors,archive,config,statedict,torchpickle}/...
// The committed corpus (tests/fuzz/corpus/) was made with it; hand-made malformed seeds sit
// beside these files. Every file stays well under 20 KB so the corpus stays small.
#include "core/archive/modelcompressor.h"
#include "core/config/compressionconfig.h"
#include "core/io/safetensorssource.h"
#include "core/io/safetensorswriter.h"
#include "core/torch/torchmodelwriter.h"
#include "core/torch/torchpickle.h"

#include <QDir>
#include <QFile>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

namespace {

struct Tensor {
    std::string name;
    std::string dtype;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> bytes;
};

std::vector<std::uint8_t> floats(std::size_t n, unsigned seed, double scale)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, float(scale));
    std::vector<std::uint8_t> out(n * 4);
    for (std::size_t i = 0; i < n; ++i) {
        const float v = normal(rng);
        std::memcpy(out.data() + 4 * i, &v, 4);
    }
    return out;
}

std::vector<std::uint8_t> toHalf(const std::vector<std::uint8_t> &f32, hc::DType dtype)
{
    const std::size_t n = f32.size() / 4;
    std::vector<double> d(n);
    for (std::size_t i = 0; i < n; ++i) {
        float v;
        std::memcpy(&v, f32.data() + 4 * i, 4);
        d[i] = v;
    }
    std::vector<std::uint8_t> out(n * hc::dtypeSize(dtype));
    hc::fromDouble(d.data(), n, dtype, out.data());
    return out;
}

void fail(const std::string &what)
{
    std::fprintf(stderr, "fuzz_make_seeds: %s\n", what.c_str());
    std::exit(1);
}

void writeSafetensors(const std::string &path, const std::vector<Tensor> &tensors,
                      const std::map<std::string, std::string> &metadata = {})
{
    hc::SafetensorsWriter w(path);
    if (!metadata.empty())
        w.setMetadata(metadata);
    for (const auto &t : tensors)
        if (auto s = w.declareTensor(t.name, t.dtype, t.shape, t.bytes.size()); !s)
            fail(s.error());
    for (std::size_t i = 0; i < tensors.size(); ++i)
        if (auto s = w.writeTensor(i, tensors[i].bytes.data(), tensors[i].bytes.size()); !s)
            fail(s.error());
    if (auto s = w.commit(); !s)
        fail(s.error());
}

void writeText(const std::string &path, const QByteArray &bytes)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        fail("cannot write " + path);
}

std::vector<Tensor> smallModel()
{
    std::vector<Tensor> m;
    m.push_back({"encoder.weight", "F32", {16, 24}, floats(16 * 24, 1, 0.05)});
    m.push_back({"encoder.bias", "F32", {16}, floats(16, 2, 0.01)});
    m.push_back({"decoder.weight", "F16", {8, 16}, toHalf(floats(8 * 16, 3, 0.1), hc::DType::F16)});
    m.push_back({"norm.weight", "BF16", {8}, toHalf(floats(8, 4, 1.0), hc::DType::BF16)});
    std::vector<std::uint8_t> steps(8);
    steps[0] = 42;
    m.push_back({"steps", "I64", {1}, steps});
    m.push_back({"mask", "BOOL", {3}, {1, 0, 1}});
    m.push_back({"empty", "F32", {0, 4}, {}});
    return m;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2)
        fail("usage: fuzz_make_seeds OUTDIR");
    const std::string out = argv[1];
    for (const char *sub : {"safetensors", "archive", "config", "statedict", "torchpickle"})
        QDir().mkpath(QString::fromStdString(out + "/" + sub));

    // safetensors
    const std::vector<Tensor> model = smallModel();
    writeSafetensors(out + "/safetensors/small-model.safetensors", model, {{"format", "pt"}, {"note", "seed"}});
    writeSafetensors(out + "/safetensors/one-scalar.safetensors", {{"x", "F64", {}, std::vector<std::uint8_t>(8, 0x3f)}});
    writeSafetensors(out + "/safetensors/no-tensors.safetensors", {});

    // archives: compressed, raw and skipped tensors, then a sigma-mode one with K fixed
    auto src = hc::SafetensorsSource::open(out + "/safetensors/small-model.safetensors");
    if (!src)
        fail(src.error());
    hc::CompressionConfig config;
    config.defaults.samples = 64;
    config.skip = {"^norm\\."};
    if (auto r = hc::ModelCompressor(config, {hc::SearchEngine::Lattice, 1}).compress(**src, out + "/archive/small-model.hca"); !r)
        fail(r.error());
    hc::CompressionConfig sigma;
    sigma.boxMode = hc::BoxMode::Sigma;
    sigma.defaults.box = 3;
    sigma.defaults.samples = 900;
    sigma.defaults.classes = 2;
    sigma.defaults.autoClasses = false;
    hc::CompressionConfig::LayerOverride layer;
    layer.samples = 16;
    sigma.layers["decoder.weight"] = layer;
    if (auto r = hc::ModelCompressor(sigma, {hc::SearchEngine::KdTree, 1}).compress(**src, out + "/archive/sigma.hca"); !r)
        fail(r.error());

    // archives in the modes of issue 9: lattice (layout 2, table-free streams), paper + rANS
    // (table-free index model on the small tensors) and density with entropy coding
    hc::CompressionConfig lattice;
    lattice.defaultMode.mode = hc::CodecMode::Lattice;
    lattice.defaultMode.targetBitsPerWeight = 4.25;
    if (auto r = hc::ModelCompressor(lattice, {hc::SearchEngine::Lattice, 1}).compress(**src, out + "/archive/lattice.hca"); !r)
        fail(r.error());
    hc::CompressionConfig rans;
    rans.defaultMode.entropy = true;
    hc::CompressionConfig::LayerOverride density;
    density.mode = hc::CodecMode::Density;
    density.entropy = true;
    rans.layers["decoder.weight"] = density;
    if (auto r = hc::ModelCompressor(rans, {hc::SearchEngine::Lattice, 1}).compress(**src, out + "/archive/paper-rans.hca"); !r)
        fail(r.error());

    // configs
    writeText(out + "/config/defaults.json", hc::CompressionConfig().toJson());
    writeText(out + "/config/sigma-layers.json", sigma.toJson());
    writeText(out + "/config/skip.json", config.toJson());

    // state dicts written by our own writer (zip format) and the pickle inside them
    std::vector<std::string> names;
    std::vector<hc::TorchPickle::Entry> entries;
    for (const auto &t : model) {
        names.push_back(t.name);
        entries.push_back({t.name, hc::dtypeFromName(t.dtype), t.shape});
    }
    const auto tensorAt = [&](std::size_t i) -> hc::Result<hc::TensorData> {
        hc::TensorData d;
        d.shape = model[i].shape;
        d.dtype = hc::dtypeFromName(model[i].dtype);
        d.bytes = model[i].bytes;
        return d;
    };
    if (auto s = hc::TorchModelWriter::writeStateDict(out + "/statedict/small-model.pt", names, tensorAt); !s)
        fail(s.error());
    auto pickle = hc::TorchPickle::writeStateDictPickle(entries);
    if (!pickle)
        fail(pickle.error());
    writeText(out + "/torchpickle/small-model-data.pkl", QByteArray(pickle->data(), qsizetype(pickle->size())));
    return 0;
}
