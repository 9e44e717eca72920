// hc_make_demo_model: makes the workbench's bundled demo classifier, reproducibly.
//
// A 10-class problem in 32 dimensions (each class a mixture of Gaussian clusters in an 8-d latent
// space, lifted into 32-d by a fixed linear map plus a sine warp, with noise) is generated from a
// fixed seed; an MLP 32 -> 384 -> 256 -> 10 is trained on it with LibTorch on one thread, and the
// tool writes
//   DIR/demo_classifier.pt            TorchScript module (fc1/fc2/fc3 .weight/.bias), forward(x) -> logits
//   DIR/demo_testset.safetensors      "inputs" F32 [n, 32], "labels" I64 [n]
// Every file is written under a temporary name and renamed into place, so a failed run leaves
// nothing half-written behind.
//
// usage: hc_make_demo_model [--out DIR] [--seed N] [--epochs N]

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr int kClasses = 10;
constexpr int kInputs = 32;
constexpr int kLatent = 8;
constexpr int kClustersPerClass = 3;
constexpr int kHidden1 = 384;
constexpr int kHidden2 = 256;
constexpr int kTrain = 8000;
constexpr int kTest = 2000;
constexpr double kClusterSpread = 1.0;  // spread of the cluster centres in the latent space
constexpr double kClusterWidth = 0.42;  // within-cluster noise: decides how much the classes overlap
constexpr double kInputNoise = 0.25;    // noise added in the 32-d input space

// A portable normal sampler: std::normal_distribution is implementation-defined, mt19937_64 is not.
class Normal {
public:
    explicit Normal(std::uint64_t seed) : m_engine(seed) {}
    double operator()()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        double u1, u2;
        do {
            u1 = double(m_engine() >> 11) * 0x1.0p-53;
        } while (u1 <= 0.0);
        u2 = double(m_engine() >> 11) * 0x1.0p-53;
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double t = 2.0 * M_PI * u2;
        m_spare = r * std::sin(t);
        m_hasSpare = true;
        return r * std::cos(t);
    }
    std::uint64_t next() { return m_engine(); }

private:
    std::mt19937_64 m_engine;
    bool m_hasSpare = false;
    double m_spare = 0;
};

struct Dataset {
    std::vector<float> inputs;          // n x kInputs
    std::vector<std::int64_t> labels;   // n
};

struct Problem {
    std::vector<double> centres;        // kClasses * kClustersPerClass * kLatent
    std::vector<double> lift;           // kInputs x kLatent
    std::vector<double> warp;           // kInputs x kLatent
};

Problem makeProblem(Normal &normal)
{
    Problem p;
    p.centres.resize(std::size_t(kClasses) * kClustersPerClass * kLatent);
    for (double &c : p.centres)
        c = kClusterSpread * normal();
    p.lift.resize(std::size_t(kInputs) * kLatent);
    for (double &a : p.lift)
        a = normal() / std::sqrt(double(kLatent));
    p.warp.resize(std::size_t(kInputs) * kLatent);
    for (double &a : p.warp)
        a = 1.5 * normal() / std::sqrt(double(kLatent));
    return p;
}

Dataset sample(const Problem &p, Normal &normal, int n)
{
    Dataset d;
    d.inputs.resize(std::size_t(n) * kInputs);
    d.labels.resize(std::size_t(n));
    double z[kLatent];
    for (int i = 0; i < n; ++i) {
        const int label = int(normal.next() % kClasses);
        const int cluster = int(normal.next() % kClustersPerClass);
        const double *mu = &p.centres[(std::size_t(label) * kClustersPerClass + std::size_t(cluster)) * kLatent];
        for (int k = 0; k < kLatent; ++k)
            z[k] = mu[k] + kClusterWidth * normal();
        for (int r = 0; r < kInputs; ++r) {
            double lin = 0, arg = 0;
            for (int k = 0; k < kLatent; ++k) {
                lin += p.lift[std::size_t(r) * kLatent + std::size_t(k)] * z[k];
                arg += p.warp[std::size_t(r) * kLatent + std::size_t(k)] * z[k];
            }
            d.inputs[std::size_t(i) * kInputs + std::size_t(r)] = float(lin + 0.8 * std::sin(arg) + kInputNoise * normal());
        }
        d.labels[std::size_t(i)] = label;
    }
    return d;
}

torch::Tensor uniformInit(std::vector<std::int64_t> shape, std::int64_t fanIn)
{
    // nn.Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
    const double bound = 1.0 / std::sqrt(double(fanIn));
    return (torch::rand(shape, torch::kFloat32) * 2.0 - 1.0) * bound;
}

struct Linear {
    torch::Tensor weight, bias;
};

Linear makeLinear(std::int64_t in, std::int64_t out)
{
    Linear l;
    l.weight = uniformInit({out, in}, in).requires_grad_(true);
    l.bias = uniformInit({out}, in).requires_grad_(true);
    return l;
}

torch::Tensor forward(const Linear &a, const Linear &b, const Linear &c, const torch::Tensor &x)
{
    auto h = torch::relu(torch::addmm(a.bias, x, a.weight.t()));
    h = torch::relu(torch::addmm(b.bias, h, b.weight.t()));
    return torch::addmm(c.bias, h, c.weight.t());
}

torch::jit::Module linearModule(const std::string &className, const Linear &l)
{
    torch::jit::Module m(className);
    m.register_parameter("weight", l.weight, false);
    m.register_parameter("bias", l.bias, false);
    return m;
}

void writeSafetensors(const std::string &path, const Dataset &d, int n, const std::string &metadata)
{
    const std::uint64_t inputBytes = std::uint64_t(n) * kInputs * sizeof(float);
    const std::uint64_t labelBytes = std::uint64_t(n) * sizeof(std::int64_t);
    std::ostringstream h;
    h << "{\"__metadata__\":" << metadata
      << ",\"inputs\":{\"dtype\":\"F32\",\"shape\":[" << n << "," << kInputs << "],\"data_offsets\":[0," << inputBytes << "]}"
      << ",\"labels\":{\"dtype\":\"I64\",\"shape\":[" << n << "],\"data_offsets\":[" << inputBytes << ","
      << inputBytes + labelBytes << "]}}";
    std::string header = h.str();
    while (header.size() % 8 != 0)
        header.push_back(' ');
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw std::runtime_error(path + ": cannot be opened for writing");
    unsigned char len[8];
    std::uint64_t size = header.size();
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<unsigned char>((size >> (8 * i)) & 0xff);
    out.write(reinterpret_cast<const char *>(len), 8);
    out.write(header.data(), std::streamsize(header.size()));
    // safetensors is little-endian; so is every platform this tool runs on (checked in main).
    out.write(reinterpret_cast<const char *>(d.inputs.data()), std::streamsize(inputBytes));
    out.write(reinterpret_cast<const char *>(d.labels.data()), std::streamsize(labelBytes));
    out.close();
    if (!out)
        throw std::runtime_error(path + ": writing failed");
}

int usage(const char *argv0)
{
    std::cerr << "usage: " << argv0 << " [--out DIR] [--seed N] [--epochs N]\n";
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    namespace fs = std::filesystem;
    std::string outDir = ".";
    std::uint64_t seed = 20240901; // the paper's arXiv month
    int epochs = 10;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--out" || a == "--seed" || a == "--epochs") && i + 1 < argc) {
            const std::string v = argv[++i];
            try {
                if (a == "--out")
                    outDir = v;
                else if (a == "--seed")
                    seed = std::stoull(v);
                else
                    epochs = std::stoi(v);
            } catch (const std::exception &) {
                std::cerr << "hc_make_demo_model: " << a << " needs a number (got \"" << v << "\")\n";
                return 2;
            }
        } else {
            return usage(argv[0]);
        }
    }
    const std::uint16_t probe = 1;
    if (*reinterpret_cast<const unsigned char *>(&probe) != 1) {
        std::cerr << "hc_make_demo_model: this tool writes safetensors on little-endian machines only\n";
        return 1;
    }
    if (epochs < 1) {
        std::cerr << "hc_make_demo_model: --epochs must be at least 1\n";
        return 2;
    }
    std::error_code ec;
    if (!fs::is_directory(outDir, ec)) {
        std::cerr << "hc_make_demo_model: " << outDir << ": no such directory\n";
        return 1;
    }

    const auto started = std::chrono::steady_clock::now();
    at::set_num_threads(1); // bit-for-bit reproducible: one thread, fixed reduction order
    torch::manual_seed(seed);

    Normal normal(seed);
    const Problem problem = makeProblem(normal);
    const Dataset train = sample(problem, normal, kTrain);
    const Dataset test = sample(problem, normal, kTest);

    const auto xTrain = torch::from_blob(const_cast<float *>(train.inputs.data()), {kTrain, kInputs}, torch::kFloat32);
    const auto yTrain = torch::from_blob(const_cast<std::int64_t *>(train.labels.data()), {kTrain}, torch::kInt64);
    const auto xTest = torch::from_blob(const_cast<float *>(test.inputs.data()), {kTest, kInputs}, torch::kFloat32);
    const auto yTest = torch::from_blob(const_cast<std::int64_t *>(test.labels.data()), {kTest}, torch::kInt64);

    const Linear fc1 = makeLinear(kInputs, kHidden1);
    const Linear fc2 = makeLinear(kHidden1, kHidden2);
    const Linear fc3 = makeLinear(kHidden2, kClasses);
    std::vector<torch::Tensor> params{fc1.weight, fc1.bias, fc2.weight, fc2.bias, fc3.weight, fc3.bias};
    torch::optim::Adam optimizer(params, torch::optim::AdamOptions(1e-3).weight_decay(1e-4));

    const std::int64_t batch = 128;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        const auto order = torch::randperm(kTrain, torch::kInt64);
        for (std::int64_t start = 0; start < kTrain; start += batch) {
            const auto idx = order.slice(0, start, std::min<std::int64_t>(start + batch, kTrain));
            optimizer.zero_grad();
            const auto loss = torch::nn::functional::cross_entropy(
                forward(fc1, fc2, fc3, xTrain.index_select(0, idx)), yTrain.index_select(0, idx));
            loss.backward();
            optimizer.step();
        }
    }

    torch::NoGradGuard noGrad;
    for (auto &p : params)
        p.requires_grad_(false);
    const double trainAcc = forward(fc1, fc2, fc3, xTrain).argmax(1).eq(yTrain).to(torch::kFloat64).mean().item<double>();

    // The TorchScript module shares the trained tensors; its forward is the same arithmetic.
    torch::jit::Module module("DemoClassifier");
    module.register_module("fc1", linearModule("DemoLinear1", fc1));
    module.register_module("fc2", linearModule("DemoLinear2", fc2));
    module.register_module("fc3", linearModule("DemoLinear3", fc3));
    module.define(R"JIT(
def forward(self, x):
    h = torch.relu(torch.addmm(self.fc1.bias, x, self.fc1.weight.t()))
    h = torch.relu(torch.addmm(self.fc2.bias, h, self.fc2.weight.t()))
    return torch.addmm(self.fc3.bias, h, self.fc3.weight.t())
)JIT");
    module.eval();
    const auto logits = module.forward({xTest}).toTensor();
    const std::int64_t correct = logits.argmax(1).eq(yTest).sum().item<std::int64_t>();
    const double testAcc = double(correct) / double(kTest);

    std::int64_t parameterCount = 0;
    for (const auto &p : params)
        parameterCount += p.numel();

    const fs::path dir(outDir);
    const fs::path modelPath = dir / "demo_classifier.pt";
    const fs::path testPath = dir / "demo_testset.safetensors";
    const fs::path modelTmp = dir / "demo_classifier.pt.part";
    const fs::path testTmp = dir / "demo_testset.safetensors.part";
    try {
        module.save(modelTmp.string());
        char acc[32];
        std::snprintf(acc, sizeof acc, "%.6f", testAcc);
        std::ostringstream meta;
        meta << "{\"format\":\"hypercomp-demo-testset\",\"seed\":\"" << seed << "\",\"epochs\":\"" << epochs
             << "\",\"classes\":\"" << kClasses << "\",\"accuracy\":\"" << acc << "\"}";
        writeSafetensors(testTmp.string(), test, kTest, meta.str());
        fs::rename(modelTmp, modelPath);
        fs::rename(testTmp, testPath);
    } catch (const std::exception &e) {
        fs::remove(modelTmp, ec);
        fs::remove(testTmp, ec);
        std::cerr << "hc_make_demo_model: " << e.what() << "\n";
        return 1;
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("seed %llu, %d epochs, %lld parameters, %.1f s\n", static_cast<unsigned long long>(seed), epochs,
                static_cast<long long>(parameterCount), seconds);
    std::printf("train accuracy %.4f\n", trainAcc);
    std::printf("test accuracy %.6f (%lld of %d)\n", testAcc, static_cast<long long>(correct), kTest);
    std::printf("wrote %s and %s\n", modelPath.string().c_str(), testPath.string().c_str());
    return 0;
}
