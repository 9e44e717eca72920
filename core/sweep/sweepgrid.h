#pragma once

#include "core/codec/codecparams.h"
#include "core/sweep/boxresolver.h"
#include "core/util/result.h"

#include <string>
#include <vector>

namespace hc {

// The U × l × K grid a sweep evaluates. Defaults span the paper's settings.
// `classes` are fixed K values, or K_max values when autoClasses (the codec then picks K in
// 1..K_max by MAE, stopping early at lossThreshold). `boxes` are absolute l values, or multiples of
// each layer's standard deviation when boxMode is Sigma (see BoxResolver).
struct SweepGrid {
    std::vector<int> samples{64, 100, 144, 225, 400, 900, 1600};
    std::vector<double> boxes{0.05, 0.1, 0.2};
    std::vector<int> classes{1, 2, 3, 4};
    bool autoClasses = false;
    BoxMode boxMode = BoxMode::Absolute;
    double lossThreshold = 0.001;

    static constexpr std::size_t kMaxPoints = 100000; // a guard against "1-1000000" typed by mistake

    std::size_t size() const { return samples.size() * boxes.size() * classes.size(); }
    // Grid point i (U-major, then l, then K), box as given (not resolved).
    CodecParams point(std::size_t i) const;
    std::vector<CodecParams> points() const;
    // Every value in range for the codec (U in 1..2^24, l positive and finite, K in 1..64),
    // no list empty, at most kMaxPoints points.
    Status validate() const;

    // Parsers for the command line and config: comma-separated lists; the integer lists also take
    // inclusive ranges "1-4". Values come back sorted without duplicates. Errors name the option,
    // e.g. "the sample list \"64,x\" holds \"x\", which is not a whole number".
    static Result<std::vector<int>> parseSamples(const std::string &text);   // "64,225,1600"
    static Result<std::vector<double>> parseBoxes(const std::string &text);  // "0.05,0.1"
    // "1-4", "1,3", or "auto:4" / "auto:1-4" (sets autoClasses; the values are then K_max).
    static Result<std::vector<int>> parseClasses(const std::string &text, bool *autoClasses = nullptr);
    // All three at once, validated; the defaults fill any empty text.
    static Result<SweepGrid> parse(const std::string &samples, const std::string &boxes, const std::string &classes,
                                   BoxMode boxMode = BoxMode::Absolute);
};

} // namespace hc
