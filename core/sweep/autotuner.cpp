#include "core/sweep/autotuner.h"

#include "core/sweep/paretofront.h"
#include "core/sweep/sweeprunner.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace hc {

namespace {

std::string number(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

Status checkLayers(const std::vector<LayerSweep> &layers)
{
    for (const auto &l : layers)
        if (!l.raw && l.points.empty())
            return Status::failure("layer \"" + l.name + "\" has no sweep points to choose from");
    return {};
}

double squared(const SweepPoint &p)
{
    return p.metrics.errorNorm * p.metrics.errorNorm;
}

TuneResult finish(const std::vector<LayerSweep> &layers, std::vector<LayerChoice> choices)
{
    TuneResult r;
    std::vector<const SweepPoint *> chosen;
    std::uint64_t rawBytes = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].raw) {
            rawBytes += layers[i].bytesIn;
            continue;
        }
        chosen.push_back(&choices[i].point);
        r.squaredError += squared(choices[i].point);
    }
    r.totals = SweepRunner::total(chosen, rawBytes);
    r.layers = std::move(choices);
    return r;
}

LayerChoice choiceOf(const LayerSweep &layer, long index)
{
    LayerChoice c;
    c.name = layer.name;
    c.raw = layer.raw;
    c.pointIndex = index;
    if (index >= 0)
        c.point = layer.points[std::size_t(index)];
    return c;
}

// Lower convex hull of (bytes, error) over candidates sorted by bytes ascending, error descending:
// the steps a greedy walk takes, with the error drop per byte falling step by step.
std::vector<std::size_t> lowerHull(const std::vector<double> &bytes, const std::vector<double> &err)
{
    std::vector<std::size_t> hull;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        while (hull.size() >= 2) {
            const std::size_t a = hull[hull.size() - 2], b = hull.back();
            // Drop b when it lies on or above the segment from a to i.
            const double cross = (bytes[b] - bytes[a]) * (err[i] - err[a]) - (err[b] - err[a]) * (bytes[i] - bytes[a]);
            if (cross <= 0)
                hull.pop_back();
            else
                break;
        }
        hull.push_back(i);
    }
    return hull;
}

} // namespace

Result<TuneResult> AutoTuner::forMaxError(const std::vector<LayerSweep> &layers, double maxRelError)
{
    if (!(maxRelError >= 0) || !std::isfinite(maxRelError))
        return Result<TuneResult>::failure("the maximum relative error must be a number of at least 0, not " +
                                           number(maxRelError));
    if (Status s = checkLayers(layers); !s)
        return Result<TuneResult>::failure(s.error());
    std::vector<LayerChoice> choices;
    bool all = true;
    for (const auto &layer : layers) {
        if (layer.raw) {
            choices.push_back(choiceOf(layer, -1));
            continue;
        }
        const auto front = ParetoFront::compute(layer.points, ErrorMeasure::RelativeError);
        if (front.empty())
            return Result<TuneResult>::failure("layer \"" + layer.name + "\" has no sweep point with a defined error");
        // Along the front the error rises with the ratio: the last point within the limit wins.
        long pick = -1;
        for (std::size_t i : front)
            if (layer.points[i].metrics.relFro <= maxRelError)
                pick = long(i);
        LayerChoice c = choiceOf(layer, pick >= 0 ? pick : long(front.front()));
        c.meetsTarget = pick >= 0;
        all = all && c.meetsTarget;
        choices.push_back(std::move(c));
    }
    TuneResult r = finish(layers, std::move(choices));
    r.targetMet = all;
    return r;
}

Result<TuneResult> AutoTuner::forTargetRatio(const std::vector<LayerSweep> &layers, double targetRatio)
{
    if (!(targetRatio > 0) || !std::isfinite(targetRatio))
        return Result<TuneResult>::failure("the target compression ratio must be a positive number, not " +
                                           number(targetRatio));
    if (Status s = checkLayers(layers); !s)
        return Result<TuneResult>::failure(s.error());

    // Per compressible layer, its front from fewest bytes (highest error) to most bytes.
    struct Options {
        std::vector<std::size_t> point; // indices into the layer's points
        std::vector<double> bytes, err;
        std::vector<std::size_t> hull;  // indices into point/bytes/err
        std::size_t at = 0;             // current candidate
        std::size_t hullAt = 0;         // position on the hull (greedy phase)
        bool blocked = false;
    };
    std::vector<Options> opts(layers.size());
    double bytesIn = 0, used = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        bytesIn += double(layers[l].bytesIn);
        if (layers[l].raw) {
            used += double(layers[l].bytesIn);
            continue;
        }
        auto front = ParetoFront::compute(layers[l].points, ErrorMeasure::RelativeError);
        if (front.empty())
            return Result<TuneResult>::failure("layer \"" + layers[l].name + "\" has no sweep point with a defined error");
        std::reverse(front.begin(), front.end());
        Options &o = opts[l];
        for (std::size_t i : front) {
            o.point.push_back(i);
            o.bytes.push_back(double(layers[l].points[i].bytesOut));
            o.err.push_back(squared(layers[l].points[i]));
        }
        o.hull = lowerHull(o.bytes, o.err);
        used += o.bytes[0];
    }
    const double budget = bytesIn / targetRatio;
    const double slack = budget * 1e-12; // so that a ratio hit exactly is not lost to rounding
    auto fits = [&](double extra) { return used + extra <= budget + slack; };

    if (fits(0)) {
        // Greedy along the hulls: the best error drop per byte that still fits.
        for (;;) {
            long best = -1;
            double bestRate = 0;
            for (std::size_t l = 0; l < opts.size(); ++l) {
                Options &o = opts[l];
                if (layers[l].raw || o.blocked || o.hullAt + 1 >= o.hull.size())
                    continue;
                const std::size_t a = o.hull[o.hullAt], b = o.hull[o.hullAt + 1];
                const double rate = (o.err[a] - o.err[b]) / std::max(1.0, o.bytes[b] - o.bytes[a]);
                if (best < 0 || rate > bestRate) {
                    best = long(l);
                    bestRate = rate;
                }
            }
            if (best < 0)
                break;
            Options &o = opts[std::size_t(best)];
            const std::size_t a = o.hull[o.hullAt], b = o.hull[o.hullAt + 1];
            if (!fits(o.bytes[b] - o.bytes[a])) {
                o.blocked = true; // its later steps cost even more on top of this one
                continue;
            }
            used += o.bytes[b] - o.bytes[a];
            o.hullAt += 1;
            o.at = b;
        }
        // Spend what is left: the single move to any front point that lowers the error most.
        for (;;) {
            long bestLayer = -1;
            std::size_t bestTo = 0;
            double bestGain = 0;
            for (std::size_t l = 0; l < opts.size(); ++l) {
                const Options &o = opts[l];
                if (layers[l].raw)
                    continue;
                for (std::size_t j = o.at + 1; j < o.point.size(); ++j) {
                    const double gain = o.err[o.at] - o.err[j];
                    if (gain > bestGain && fits(o.bytes[j] - o.bytes[o.at])) {
                        bestLayer = long(l);
                        bestTo = j;
                        bestGain = gain;
                    }
                }
            }
            if (bestLayer < 0)
                break;
            Options &o = opts[std::size_t(bestLayer)];
            used += o.bytes[bestTo] - o.bytes[o.at];
            o.at = bestTo;
        }
    }

    std::vector<LayerChoice> choices;
    for (std::size_t l = 0; l < layers.size(); ++l)
        choices.push_back(choiceOf(layers[l], layers[l].raw ? -1 : long(opts[l].point[opts[l].at])));
    TuneResult r = finish(layers, std::move(choices));
    r.targetMet = fits(0);
    for (auto &c : r.layers)
        c.meetsTarget = r.targetMet;
    return r;
}

} // namespace hc
