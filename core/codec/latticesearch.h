#pragma once

#include "core/codec/trajectorycodebook.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace hc {

// O(1) nearest-sample lookup for the paper's codebook. The U trajectory samples form a sheared
// m × m lattice of spacing h = l/m, so a grid of h × h cells holds about one sample each: the
// nearest sample of any point in the box lies in its own cell or the eight around it, and only
// when the best distance found exceeds h does the search widen ring by ring. Distances are
// computed from the actual sample coordinates, exactly as the k-d tree does, with ties going to
// the lowest index, so both engines return identical indices.
// Immutable after construction; nearest() is safe to call from many threads at once.
class LatticeSearch {
public:
    explicit LatticeSearch(const TrajectoryCodebook &codebook);
    std::uint32_t nearest(double qx, double qy) const;

private:
    struct Sample {
        double x, y;
        std::uint32_t index;
    };
    int cellCoord(double v, double origin) const
    {
        const double c = std::floor((v - origin) * m_invCell);
        const double hi = double(m_cols - 1);
        return int(c < 0 ? 0 : (c > hi ? hi : c));
    }
    double m_originX = 0, m_originY = 0;
    double m_cell = 1, m_invCell = 1;
    double m_margin = 0;
    int m_cols = 0, m_rows = 0;
    double m_centreX = 0, m_centreY = 0;
    std::vector<std::uint32_t> m_cellStart; // CSR offsets, m_cols * m_rows + 1
    std::vector<Sample> m_samples;           // samples sorted by cell
};

} // namespace hc
