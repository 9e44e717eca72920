#pragma once

#include "core/codec/codecparams.h"
#include "core/codec/modecodec.h"
#include "core/codec/modeencoded.h"
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
// stop). The coding mode (issue 9), in "defaults" or per layer: "mode" ("paper" | "lattice" |
// "density"), "entropy" (bool: rANS-code the paper or density indices; lattice always is) and
// "target_bpw" (lattice: total bits per weight to hit, 0.25..24; density: index bits per weight,
// 1..12; not allowed where the mode is paper). A config without them is paper mode, fixed-width;
// they are written only when they differ from that, so such configs keep their bytes. A layer override sets only the keys it names. A skip pattern is a regular expression
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
        std::optional<CodecMode> mode;
        std::optional<bool> entropy;
        std::optional<double> targetBitsPerWeight;
        bool operator==(const LayerOverride &o) const;
    };

    // How the tensors are coded unless a layer says otherwise.
    struct ModeChoice {
        CodecMode mode = CodecMode::Paper;
        bool entropy = false;
        std::optional<double> targetBitsPerWeight; // unset: defaultTargetBitsPerWeight(mode)
        bool operator==(const ModeChoice &o) const
        {
            return mode == o.mode && entropy == o.entropy && targetBitsPerWeight == o.targetBitsPerWeight;
        }
    };
    // 4.25 for lattice, 5 for density (0 for paper, which has no target).
    static double defaultTargetBitsPerWeight(CodecMode mode);

    CodecParams defaults;                          // the paper's UNet setting unless changed
    ModeChoice defaultMode;                        // paper mode, fixed-width indices unless changed
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
    ModeChoice modeFor(const std::string &tensorName) const;
    // Everything ModeCodec::encode needs for the tensor (paper = paramsFor, box as configured:
    // the caller resolves a sigma-relative box), the target filled in from the mode's default.
    ModeOptions modeOptionsFor(const std::string &tensorName) const;
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
