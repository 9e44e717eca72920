#include "core/sweep/sweepgrid.h"

#include "core/codec/hypercodec.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <locale>
#include <sstream>

namespace hc {

namespace {

constexpr long kMaxRange = 1 << 16; // entries one "a-b" range may expand to

std::string trimmed(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> splitCommas(const std::string &text)
{
    std::vector<std::string> parts;
    std::string cur;
    for (char ch : text) {
        if (ch == ',') {
            parts.push_back(trimmed(cur));
            cur.clear();
        } else {
            cur += ch;
        }
    }
    parts.push_back(trimmed(cur));
    return parts;
}

bool parseLong(const std::string &s, long &out)
{
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+'))
        return false;
    errno = 0;
    char *end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size())
        return false;
    out = v;
    return true;
}

std::string quoted(const std::string &s)
{
    return "\"" + s + "\"";
}

// Comma-separated whole numbers and inclusive ranges "a-b", each within [lo, hi].
Result<std::vector<int>> parseIntList(const std::string &text, const std::string &what, const std::string &symbol,
                                      long lo, long hi)
{
    using R = Result<std::vector<int>>;
    const std::string t = trimmed(text);
    if (t.empty())
        return R::failure("the " + what + " list is empty");
    std::vector<int> values;
    for (const std::string &part : splitCommas(t)) {
        if (part.empty())
            return R::failure("the " + what + " list " + quoted(t) + " has an empty entry");
        long a = 0, b = 0;
        const auto dash = part.find('-', 1);
        if (dash != std::string::npos) {
            const std::string left = trimmed(part.substr(0, dash)), right = trimmed(part.substr(dash + 1));
            if (!parseLong(left, a) || !parseLong(right, b))
                return R::failure("the " + what + " list " + quoted(t) + " holds " + quoted(part) +
                                  ", which is not a range of whole numbers like 1-4");
            if (b < a)
                return R::failure("the " + what + " list " + quoted(t) + " holds the range " + quoted(part) +
                                  ", which runs backwards");
            if (b - a >= kMaxRange)
                return R::failure("the " + what + " list " + quoted(t) + " holds the range " + quoted(part) +
                                  ", which is longer than " + std::to_string(kMaxRange) + " values");
        } else {
            if (!parseLong(part, a))
                return R::failure("the " + what + " list " + quoted(t) + " holds " + quoted(part) +
                                  ", which is not a whole number");
            b = a;
        }
        for (long v : {a, b})
            if (v < lo || v > hi)
                return R::failure("the " + what + " list " + quoted(t) + " holds " + std::to_string(v) + ", but " + symbol +
                                  " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        for (long v = a; v <= b; ++v)
            values.push_back(int(v));
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

} // namespace

CodecParams SweepGrid::point(std::size_t i) const
{
    const std::size_t nk = classes.size(), nl = boxes.size();
    CodecParams p;
    p.samples = samples[i / (nl * nk)];
    p.box = boxes[(i / nk) % nl];
    p.classes = classes[i % nk];
    p.autoClasses = autoClasses;
    p.lossThreshold = lossThreshold;
    return p;
}

std::vector<CodecParams> SweepGrid::points() const
{
    std::vector<CodecParams> out;
    out.reserve(size());
    for (std::size_t i = 0; i < size(); ++i)
        out.push_back(point(i));
    return out;
}

Status SweepGrid::validate() const
{
    if (samples.empty())
        return Status::failure("the sweep grid has no sample count U");
    if (boxes.empty())
        return Status::failure("the sweep grid has no box size l");
    if (classes.empty())
        return Status::failure("the sweep grid has no class count K");
    if (double(samples.size()) * double(boxes.size()) * double(classes.size()) > double(kMaxPoints))
        return Status::failure("the sweep grid has " + std::to_string(size()) + " points, more than the limit of " +
                               std::to_string(kMaxPoints));
    if (!(lossThreshold >= 0) || !std::isfinite(lossThreshold))
        return Status::failure("the sweep's loss threshold must be a number of at least 0");
    for (int u : samples)
        for (double l : boxes)
            for (int k : classes) {
                CodecParams p;
                p.samples = u;
                p.box = l;
                p.classes = k;
                if (Status s = HyperCodec::validate(p); !s)
                    return Status::failure("the sweep grid is invalid: " + s.error());
            }
    return {};
}

Result<std::vector<int>> SweepGrid::parseSamples(const std::string &text)
{
    return parseIntList(text, "sample", "U", 1, 1 << 24);
}

Result<std::vector<double>> SweepGrid::parseBoxes(const std::string &text)
{
    using R = Result<std::vector<double>>;
    const std::string t = trimmed(text);
    if (t.empty())
        return R::failure("the box size list is empty");
    std::vector<double> values;
    for (const std::string &part : splitCommas(t)) {
        if (part.empty())
            return R::failure("the box size list " + quoted(t) + " has an empty entry");
        std::istringstream in(part);
        in.imbue(std::locale::classic());
        double v = 0;
        in >> v;
        if (in.fail() || !in.eof()) {
            const bool range = part.find('-', 1) != std::string::npos;
            return R::failure("the box size list " + quoted(t) + " holds " + quoted(part) + ", which is not a number" +
                              (range ? " (ranges are not taken for l: list the values)" : ""));
        }
        if (!(v > 0) || !std::isfinite(v))
            return R::failure("the box size list " + quoted(t) + " holds " + quoted(part) +
                              ", but l must be a positive number");
        values.push_back(v);
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

Result<std::vector<int>> SweepGrid::parseClasses(const std::string &text, bool *autoClasses)
{
    std::string t = trimmed(text);
    bool isAuto = false;
    if (t.rfind("auto:", 0) == 0) {
        isAuto = true;
        t = t.substr(5);
    } else if (t == "auto") {
        return Result<std::vector<int>>::failure("the class list \"auto\" needs a maximum, like auto:3");
    }
    auto r = parseIntList(t, isAuto ? "class (auto:K_max)" : "class", isAuto ? "K_max" : "K", 1, 64);
    if (r && autoClasses)
        *autoClasses = isAuto;
    return r;
}

Result<SweepGrid> SweepGrid::parse(const std::string &samples, const std::string &boxes, const std::string &classes,
                                   BoxMode boxMode)
{
    SweepGrid g;
    g.boxMode = boxMode;
    if (!trimmed(samples).empty()) {
        auto r = parseSamples(samples);
        if (!r)
            return Result<SweepGrid>::failure(r.error());
        g.samples = *r;
    }
    if (!trimmed(boxes).empty()) {
        auto r = parseBoxes(boxes);
        if (!r)
            return Result<SweepGrid>::failure(r.error());
        g.boxes = *r;
    }
    if (!trimmed(classes).empty()) {
        auto r = parseClasses(classes, &g.autoClasses);
        if (!r)
            return Result<SweepGrid>::failure(r.error());
        g.classes = *r;
    }
    if (Status s = g.validate(); !s)
        return Result<SweepGrid>::failure(s.error());
    return g;
}

} // namespace hc
