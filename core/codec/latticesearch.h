#pragma once

#include "core/codec/trajectorycodebook.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace hc {

// O(1) nearest-sample lookup for the paper's codebook. Sample θ+1 sits in row b = θ mod m at
// height b·h and column a = θ div m at a·h + b·h/m (h = l/m): a sheared m × m lattice. The fast
// path takes the two rows around the query and the two samples bracketing it in each, and accepts
// the best of those four only when no unexamined row (and no sample that fmod flipped to the far
// edge) can be closer. Otherwise, and for codebooks of other directions, a grid of h × h cells
// (about one sample each) is searched ring by ring. Distances are computed from the actual sample
// coordinates, exactly as the k-d tree does, with ties going to the lowest index, so both engines
// return identical indices.
// Immutable after construction; nearest() is safe to call from many threads at once.
class LatticeSearch {
public:
    explicit LatticeSearch(const TrajectoryCodebook &codebook);
    std::uint32_t nearest(double qx, double qy) const;

private:
    std::uint32_t nearestInGrid(double qx, double qy, double best, std::uint32_t bestIndex) const;
    struct Sample {
        double x, y;
        std::uint32_t index;
    };
    // floor() without a libm call (the baseline x86-64 target has no rounding instruction);
    // callers keep v within int range.
    static int floorToInt(double v)
    {
        const int i = int(v);
        return i - (v < double(i) ? 1 : 0);
    }
    int cellCoord(double v, double origin) const
    {
        const double c = (v - origin) * m_invCell;
        if (!(c > 0))
            return 0;
        if (c >= double(m_cols - 1))
            return m_cols - 1;
        return floorToInt(c);
    }
    double m_originX = 0, m_originY = 0;
    double m_cell = 1, m_invCell = 1;
    double m_margin = 0;
    int m_cols = 0, m_rows = 0;
    double m_centreX = 0, m_centreY = 0;
    std::vector<std::uint32_t> m_cellStart; // CSR offsets, m_cols * m_rows + 1
    std::vector<Sample> m_samples;           // samples sorted by cell

    // The paper lattice by (row b, column a): sample (a, b) at m_lattice[b * m + a].
    bool m_fastPath = false;
    int m_side = 0;
    double m_x0 = 0, m_y0 = 0, m_step = 1, m_invStep = 1, m_shear = 0, m_farEdge = 0;
    std::vector<Sample> m_lattice;
    std::vector<int> m_rowLength;             // samples in each row (the last rows may be short)
    std::vector<unsigned char> m_displaced;   // 1 where fmod moved the sample away from its lattice site
};

} // namespace hc
