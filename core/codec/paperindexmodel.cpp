#include "core/codec/paperindexmodel.h"

#include "core/codec/classrings.h"
#include "core/codec/marginaldensity.h"
#include "core/codec/ranscoder.h"
#include "core/codec/trajectorycodebook.h"

#include <algorithm>
#include <cmath>

namespace hc {

namespace {

constexpr std::size_t kMaxAlphabet = 32768;

struct Geometry {
    double lo = 0, hi = 0;
    std::size_t alphabet = 0;
};

bool geometryOf(const EncodedTensor &h, Geometry &g)
{
    if (h.samples < 1 || !(h.box > 0) || h.classes < 0 || h.classes > 64 || !(h.farthest > 0) ||
        !std::isfinite(h.farthest) || !std::isfinite(h.centreX) || !std::isfinite(h.centreY))
        return false;
    g.alphabet = std::size_t(h.samples + 1) * std::size_t(h.classes + 1);
    g.lo = std::min(h.centreX, h.centreY) - h.farthest;
    g.hi = std::max(h.centreX, h.centreY) + h.farthest;
    return g.alphabet >= 2 && g.alphabet <= kMaxAlphabet && g.hi > g.lo && std::isfinite(g.hi - g.lo);
}

double clamp01(double v) { return v < 0 ? 0.0 : (v > 1 ? 1.0 : v); }

// Unnormalised probability of every index (see the class comment).
std::vector<double> indexMasses(const EncodedTensor &h, const MarginalDensity &f)
{
    const TrajectoryCodebook book(h.centreX, h.centreY, h.box, h.samples);
    const ClassRings rings(h.box, h.farthest, h.classes);
    const double half = h.box / 2, cell = h.box / double(book.side());
    const std::size_t perClass = std::size_t(h.samples) + 1;
    std::vector<double> mass(perClass * std::size_t(h.classes + 1), 0.0);
    // Sample θ+1 sits in row θ mod m: its height repeats every m samples, and so does its mass.
    const std::size_t m = std::size_t(book.side());
    std::vector<double> yMass(perClass);
    std::vector<double> py(perClass);
    for (int k = 0; k <= h.classes; ++k) {
        // Multiplications by reciprocals: this runs on every decode, and divisions dominated it.
        const double invS = 1.0 / rings.scale(k);
        const double d = cell * invS, invD = 1.0 / d; // the sample's cell side around p
        const double outer = rings.radius(k), inner = k > 1 ? rings.radius(k - 1) : 0.0;
        for (std::size_t j = 0; j < perClass; ++j) {
            py[j] = h.centreY + (book.y(j) - h.centreY) * invS;
            yMass[j] = j > m && book.y(j) == book.y(j - m) ? yMass[j - m] : f.mass(py[j] - 0.5 * d, py[j] + 0.5 * d);
        }
        for (std::size_t j = 0; j < perClass; ++j) {
            const double px = h.centreX + (book.x(j) - h.centreX) * invS;
            const double ex = std::fabs(px - h.centreX), ey = std::fabs(py[j] - h.centreY);
            const double inBox = clamp01((half - ex) * invD + 0.5) * clamp01((half - ey) * invD + 0.5);
            double share;
            if (k == 0) {
                share = inBox;
            } else {
                const double rho = std::sqrt(ex * ex + ey * ey);
                share = clamp01((outer - rho) * invD + 0.5);
                share *= k == 1 ? 1.0 - inBox : clamp01((rho - inner) * invD + 0.5);
            }
            if (share > 0 && yMass[j] > 0)
                mass[std::size_t(k) * perClass + j] = share * f.mass(px - 0.5 * d, px + 0.5 * d) * yMass[j];
        }
    }
    return mass;
}

} // namespace

std::vector<std::uint8_t> PaperIndexModel::encode(const EncodedTensor &e)
{
    Geometry g;
    if (!geometryOf(e, g) || e.indices.empty())
        return {};
    const TrajectoryCodebook book(e.centreX, e.centreY, e.box, e.samples);
    if (!book.isPaperLattice())
        return {};
    const ClassRings rings(e.box, e.farthest, e.classes);
    const std::size_t perClass = std::size_t(e.samples) + 1;

    // The density is fitted to the decoded pairs' coordinates (what the decoder could see too),
    // histogrammed finely enough to show its shape.
    const std::size_t n = e.indices.size();
    const std::size_t bins = std::clamp<std::size_t>(std::size_t(std::sqrt(double(n))) * 2, 32, 1024);
    MarginalDensity::Stream hist(bins);
    const double width = (g.hi - g.lo) / double(bins);
    for (std::size_t b = 0; b < bins; ++b) {
        hist[b].a = g.lo + width * double(b);
        hist[b].b = hist[b].a + width;
    }
    std::vector<std::uint64_t> counts(g.alphabet, 0);
    for (std::uint32_t idx : e.indices) {
        if (idx >= g.alphabet)
            return {};
        ++counts[idx];
    }
    for (std::size_t idx = 0; idx < g.alphabet; ++idx) {
        if (!counts[idx])
            continue;
        const std::size_t k = idx / perClass, j = idx % perClass;
        const double s = rings.scale(int(k));
        for (double v : {e.centreX + (book.x(j) - e.centreX) / s, e.centreY + (book.y(j) - e.centreY) / s}) {
            const double at = std::floor((v - g.lo) / width);
            hist[std::size_t(std::clamp(at, 0.0, double(bins - 1)))].count += counts[idx];
        }
    }
    int need = 1;
    while ((std::size_t(1) << need) < g.alphabet)
        ++need;
    std::vector<std::uint8_t> best;
    double bestBits = 0;
    // A table of 2^P slots is built on every decode: keep it near the stream's size.
    int most = need + 1;
    while ((std::size_t(1) << (most - 1)) < n && most < 16)
        ++most;
    for (int P : {11, 12, 14, 16}) {
        if (P < need + 1 || (P > most && P > 11))
            continue;
        const MarginalDensity f = MarginalDensity::fit(g.lo, g.hi, {hist}, P);
        const auto freqs = RansCoder::normalizeFrequencies(indexMasses(e, f), P);
        if (freqs.empty())
            continue;
        const double bits = RansCoder::modelledBits(counts, freqs, P) + 8.0 * double(f.storedBytes());
        if (!best.empty() && bits >= bestBits)
            continue;
        bestBits = bits;
        best.clear();
        best.push_back(kMarker);
        best.push_back(std::uint8_t(P));
        f.write(best);
        // Four states from 1 024 indices on: a paper tensor has one symbol a pair (a lattice tensor
        // two, in two streams), and its table setup already costs what the decode does.
        const auto blob = RansCoder::encodeModelled(e.indices.data(), n, freqs, P, 1024);
        best.insert(best.end(), blob.begin(), blob.end());
    }
    return best;
}

Status PaperIndexModel::decode(const EncodedTensor &h, const std::uint8_t *blob, std::size_t bytes,
                               std::vector<std::uint32_t> &indices, int threads)
{
    Geometry g;
    if (!geometryOf(h, g))
        return Status::failure("the paper index stream's model does not fit the tensor's parameters");
    if (bytes < 2 || blob[0] != kMarker)
        return Status::failure("the paper index stream's model header is truncated");
    const int P = blob[1];
    if (P < 8 || P > 16 || (std::size_t(1) << (P - 1)) < g.alphabet)
        return Status::failure("the paper index stream's precision " + std::to_string(P) + " is invalid");
    std::size_t used = 0;
    auto f = MarginalDensity::read(blob + 2, bytes - 2, g.lo, g.hi, used);
    if (!f)
        return Status::failure("paper index stream: " + f.error());
    const auto freqs = RansCoder::normalizeFrequencies(indexMasses(h, *f), P);
    if (freqs.empty())
        return Status::failure("the paper index stream's model gives no frequency table");
    const std::size_t n = std::size_t(h.pairCount());
    auto reader = RansCoder::Reader::openModelled(blob + 2 + used, bytes - 2 - used, n, freqs, P);
    if (!reader)
        return Status::failure("paper index stream: " + reader.error());
    indices.resize(n);
    if (Status s = reader->decodeAll(indices.data(), threads); !s)
        return Status::failure("paper index stream: " + s.error());
    return {};
}

} // namespace hc
