// libFuzzer target: the compression config parser (CompressionConfig::fromJson).
// A config that loads must save and load again to an equal config (the CLI and the GUI exchange
// configs this way), and its lookups must run.
#include "core/config/compressionconfig.h"
#include "tests/fuzz/fuzzinput.h"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string source = "fuzz.json";
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    auto loaded = hc::CompressionConfig::fromJson(json, source);
    if (!loaded) {
        hc::fuzz::expectNamedError(loaded.error(), source);
        return 0;
    }
    const hc::CompressionConfig &config = *loaded;
    auto again = hc::CompressionConfig::fromJson(config.toJson(), source);
    if (!again) {
        std::fprintf(stderr, "a loaded config does not load again after saving: %s\n", again.error().c_str());
        std::abort();
    }
    if (!(*again == config)) {
        std::fprintf(stderr, "a loaded config changes when saved and loaded again\n");
        std::abort();
    }
    for (const auto &[name, layer] : config.layers)
        (void)config.paramsFor(name);
    (void)config.skipped("model.layers.0.self_attn.q_proj.weight");
    return 0;
}
