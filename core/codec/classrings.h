#pragma once

#include <vector>

namespace hc {

// The K outlier classes of ALGORITHM.md §1 step 7: ring radii r_0 = l/2 < r_1 < … < r_K = D and
// scale factors s_k = (l/2)/r_k that pull a class-k point into the inscribed circle.
class ClassRings {
public:
    ClassRings() = default;
    ClassRings(double box, double farthest, int classes);

    int classes() const { return m_classes; }
    double radius(int k) const { return m_radius[std::size_t(k)]; }
    double scale(int k) const { return m_scale[std::size_t(k)]; }
    // Class of an outer point at distance `dist` from the centre: smallest k >= 1 with dist <= r_k.
    int classify(double dist) const;

private:
    int m_classes = 0;
    double m_halfBox = 0;
    double m_width = 0;
    std::vector<double> m_radius{0.0};
    std::vector<double> m_scale{1.0};
};

} // namespace hc
