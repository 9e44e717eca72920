#include "core/codec/latticesearch.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hc {

// One cell of slack on every side: fmod and the centre offset may round a sample a hair outside
// the box, and it must still sit in the cell its coordinates say.
static constexpr int kPad = 1;

LatticeSearch::LatticeSearch(const TrajectoryCodebook &codebook)
{
    const double l = codebook.box();
    const int m = codebook.side();
    m_cell = l / m;
    m_invCell = 1.0 / m_cell;
    m_margin = 1e-9 * l;
    m_originX = codebook.centreX() - l / 2 - kPad * m_cell;
    m_originY = codebook.centreY() - l / 2 - kPad * m_cell;
    m_cols = m_rows = m + 1 + 2 * kPad;
    m_centreX = codebook.centreX();
    m_centreY = codebook.centreY();

    const std::size_t cells = std::size_t(m_cols) * std::size_t(m_rows);
    std::vector<std::uint32_t> cellOf(codebook.size());
    m_cellStart.assign(cells + 1, 0);
    // Sample 0 (the centre) is checked first on every query; the grid holds samples 1..U.
    for (std::size_t j = 1; j < codebook.size(); ++j) {
        const int cx = cellCoord(codebook.x(j), m_originX);
        const int cy = cellCoord(codebook.y(j), m_originY);
        cellOf[j] = std::uint32_t(cy * m_cols + cx);
        ++m_cellStart[cellOf[j] + 1];
    }
    for (std::size_t c = 0; c < cells; ++c)
        m_cellStart[c + 1] += m_cellStart[c];
    m_samples.resize(codebook.size() - 1);
    std::vector<std::uint32_t> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::size_t j = 1; j < codebook.size(); ++j)
        m_samples[fill[cellOf[j]]++] = {codebook.x(j), codebook.y(j), std::uint32_t(j)};
}

int LatticeSearch::cellCoord(double v, double origin) const
{
    const double c = std::floor((v - origin) * m_invCell);
    const double hi = double(m_cols - 1);
    return int(c < 0 ? 0 : (c > hi ? hi : c));
}

std::uint32_t LatticeSearch::nearest(double qx, double qy) const
{
    double dx = qx - m_centreX;
    double dy = qy - m_centreY;
    double best = dx * dx + dy * dy;
    std::uint32_t bestIndex = 0;

    const int cx = cellCoord(qx, m_originX);
    const int cy = cellCoord(qy, m_originY);
    const int maxRing = std::max(m_cols, m_rows);
    for (int ring = 0; ring <= maxRing; ++ring) {
        const int y0 = std::max(0, cy - ring), y1 = std::min(m_rows - 1, cy + ring);
        const int x0 = std::max(0, cx - ring), x1 = std::min(m_cols - 1, cx + ring);
        for (int y = y0; y <= y1; ++y) {
            const bool fullRow = (y == cy - ring) || (y == cy + ring);
            // On the ring's top and bottom rows every cell is new; between them only the two sides.
            for (int x = fullRow ? x0 : cx - ring; x <= x1; x += fullRow ? 1 : 2 * ring) {
                if (x < x0)
                    continue;
                const std::size_t cell = std::size_t(y) * std::size_t(m_cols) + std::size_t(x);
                for (std::uint32_t s = m_cellStart[cell]; s < m_cellStart[cell + 1]; ++s) {
                    const Sample &p = m_samples[s];
                    dx = qx - p.x;
                    dy = qy - p.y;
                    const double d = dx * dx + dy * dy;
                    if (d < best || (d == best && p.index < bestIndex)) {
                        best = d;
                        bestIndex = p.index;
                    }
                }
            }
        }
        // Every sample not yet seen lies more than ring·h away along x or y.
        const double reach = ring * m_cell - m_margin;
        if (ring > 0 && reach > 0 && best < reach * reach)
            break;
    }
    return bestIndex;
}

} // namespace hc
