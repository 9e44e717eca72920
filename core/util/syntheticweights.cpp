#include "core/util/syntheticweights.h"

#include <random>

namespace hc {

std::vector<float> studentTWeights(std::size_t count, double nu, double scale, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::student_t_distribution<double> dist(nu);
    std::vector<float> w(count);
    for (auto &v : w)
        v = float(scale * dist(rng));
    return w;
}

std::vector<float> gaussianWeights(std::size_t count, double sigma, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> dist(0.0, sigma);
    std::vector<float> w(count);
    for (auto &v : w)
        v = float(dist(rng));
    return w;
}

} // namespace hc
