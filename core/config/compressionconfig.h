#pragma once

#include "core/codec/codecparams.h"
#include "core/sweep/boxresolver.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hc {

// The versioned compression config of PRODUCT.md:
//   {"format": "hypercomp-config", "version": 1,
//    "defaults": {"samples": 225, "box": 0.1, "classes": "auto:3"},
//    "layers": {"NAME": {"samples": ..., "box": ..., "classes": ...}},
//    "skip": ["regex", ...], "box_mode": "absolute" | "sigma"}
// "classes" is a whole number K or "auto:KMAX"; "loss_threshold" may also be given (K-auto's early
// stop). A layer override sets only the keys it names. A skip pattern is a regular expression
// (QRegularExpression / PCRE) that stores a tensor raw when it matches anywhere in its name;
// anchor it (^...$) to match whole names. Saving writes sorted keys, so the same config gives the
// same bytes, and the GUI's export reproduces the CLI's archive bit for bit.
// Thread safety: const members are safe from several threads.
class CompressionConfig {
public:
    static constexpr const char *kFormatName = "hypercomp-config";
    static constexpr int kVersion = 1;

    struct LayerOverride {
        std::optional<int> samples;
        std::optional<double> box;
        std::optional<int> classes;
        std::optional<bool> autoClasses;
        std::optional<double> lossThreshold;
        bool operator==(const LayerOverride &o) const;
    };

    CodecParams defaults;                          // the paper's UNet setting unless changed
    // How every "box" of this config is given: absolute (the paper's) or in units of each layer's σ
    // ("box_mode": "sigma"), so that one setting suits layers of very different scales.
    BoxMode boxMode = BoxMode::Absolute;
    std::map<std::string, LayerOverride> layers;   // by exact tensor name
    std::vector<std::string> skip;                 // regular expressions

    static Result<CompressionConfig> load(const std::string &path);
    // `sourceName` names the origin in error messages (a file name, or "--config").
    static Result<CompressionConfig> fromJson(const QByteArray &json, const std::string &sourceName);
    QJsonObject toJsonObject() const;
    QByteArray toJson() const; // indented, sorted keys, trailing newline
    // Written to a temporary file and renamed into place; nothing is left behind on failure.
    Status save(const std::string &path) const;
    // Checks every value and regular expression; the error names `sourceName`.
    Status validate(const std::string &sourceName) const;

    CodecParams paramsFor(const std::string &tensorName) const;
    bool skipped(const std::string &tensorName) const { return !skipPattern(tensorName).empty(); }
    // The first skip pattern matching `tensorName`, or empty.
    std::string skipPattern(const std::string &tensorName) const;

    // "auto:3" or "3", as the config writes "classes".
    static std::string classesText(int classes, bool autoClasses);
    // Parses "classes" (a whole number or "auto:KMAX"); the error is a phrase.
    static Status parseClasses(const QJsonValue &v, int &classes, bool &autoClasses);

    bool operator==(const CompressionConfig &o) const;
};

} // namespace hc
