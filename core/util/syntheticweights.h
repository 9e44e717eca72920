#pragma once

#include <cstdint>
#include <vector>

namespace hc {

// Reproducible synthetic weights for tests, benchmarks and the demo: heavy-tailed like trained
// layers (Student-t), or plain Gaussian. Same seed, same values (with the same C++ library).
std::vector<float> studentTWeights(std::size_t count, double nu, double scale, std::uint64_t seed);
std::vector<float> gaussianWeights(std::size_t count, double sigma, std::uint64_t seed);

} // namespace hc
