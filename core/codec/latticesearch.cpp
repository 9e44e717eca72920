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

    if (!codebook.isPaperLattice() || m < 2)
        return;
    m_fastPath = true;
    m_side = m;
    m_step = l / m;
    m_invStep = 1.0 / m_step;
    m_shear = m_step / m;
    m_x0 = codebook.centreX() - l / 2;
    m_y0 = codebook.centreY() - l / 2;
    m_farEdge = m_y0 + l;
    m_lattice.assign(std::size_t(m) * std::size_t(m), Sample{0, 0, 0});
    m_rowLength.assign(std::size_t(m), 0);
    m_displaced.assign(std::size_t(m) * std::size_t(m), 0);
    for (int theta = 0; theta < codebook.samples(); ++theta) {
        const int a = theta / m, b = theta % m;
        const std::size_t at = std::size_t(b) * std::size_t(m) + std::size_t(a);
        const std::size_t j = std::size_t(theta) + 1;
        m_lattice[at] = {codebook.x(j), codebook.y(j), std::uint32_t(j)};
        m_rowLength[std::size_t(b)] = std::max(m_rowLength[std::size_t(b)], a + 1);
        const double idealX = m_x0 + a * m_step + b * m_shear, idealY = m_y0 + b * m_step;
        if (std::fabs(codebook.x(j) - idealX) > m_step / 4 || std::fabs(codebook.y(j) - idealY) > m_step / 4)
            m_displaced[at] = 1;
    }
}

std::uint32_t LatticeSearch::nearest(double qx, double qy) const
{
    const double cx = qx - m_centreX, cy = qy - m_centreY;
    double best = cx * cx + cy * cy;
    std::uint32_t bestIndex = 0;
    if (!m_fastPath)
        return nearestInGrid(qx, qy, best, bestIndex);

    const double rows = (qy - m_y0) * m_invStep;
    if (!(rows >= 0 && rows < double(m_side - 1)))
        return nearestInGrid(qx, qy, best, bestIndex);
    const int b0 = floorToInt(rows);
    if (b0 + 1 >= m_side)
        return nearestInGrid(qx, qy, best, bestIndex);
    for (int b = b0; b <= b0 + 1; ++b) {
        const double cols = (qx - m_x0 - b * m_shear) * m_invStep;
        if (!(cols >= 0 && cols < double(m_side)))
            return nearestInGrid(qx, qy, best, bestIndex);
        const int a0 = floorToInt(cols);
        if (a0 + 1 >= m_rowLength[std::size_t(b)])
            return nearestInGrid(qx, qy, best, bestIndex);
        const std::size_t at = std::size_t(b) * std::size_t(m_side) + std::size_t(a0);
        if (m_displaced[at] | m_displaced[at + 1])
            return nearestInGrid(qx, qy, best, bestIndex);
        for (std::size_t k = at; k <= at + 1; ++k) {
            const Sample &p = m_lattice[k];
            const double dx = qx - p.x, dy = qy - p.y;
            const double d = dx * dx + dy * dy;
            if (d < best || (d == best && p.index < bestIndex)) {
                best = d;
                bestIndex = p.index;
            }
        }
    }
    // Within a row the bracketing pair is nearest; the rows above and below, and the samples
    // fmod flipped to the far edge, are at least this far away.
    const double below = qy - (m_y0 + (b0 - 1) * m_step);
    const double above = (m_y0 + (b0 + 2) * m_step) - qy;
    const double reach = std::min({below, above, m_farEdge - qy}) - m_margin;
    if (reach > 0 && best < reach * reach)
        return bestIndex;
    return nearestInGrid(qx, qy, best, bestIndex);
}

std::uint32_t LatticeSearch::nearestInGrid(double qx, double qy, double best, std::uint32_t bestIndex) const
{
    auto scan = [&](std::uint32_t from, std::uint32_t to) {
        for (std::uint32_t s = from; s < to; ++s) {
            const Sample &p = m_samples[s];
            const double ex = qx - p.x, ey = qy - p.y;
            const double d = ex * ex + ey * ey;
            if (d < best || (d == best && p.index < bestIndex)) {
                best = d;
                bestIndex = p.index;
            }
        }
    };

    const int cx = cellCoord(qx, m_originX);
    const int cy = cellCoord(qy, m_originY);
    // The common case: the 3 × 3 cells around the query. Cells of one grid row are contiguous in
    // the CSR layout, so each row of the block is one run of samples.
    const int x0 = std::max(0, cx - 1), x1 = std::min(m_cols - 1, cx + 1);
    for (int y = std::max(0, cy - 1); y <= std::min(m_rows - 1, cy + 1); ++y) {
        const std::size_t row = std::size_t(y) * std::size_t(m_cols);
        scan(m_cellStart[row + std::size_t(x0)], m_cellStart[row + std::size_t(x1) + 1]);
    }
    // Every sample not yet seen lies at least one cell (h) away along x or y.
    const double reach1 = m_cell - m_margin;
    if (best < reach1 * reach1)
        return bestIndex;

    // Rare: near a sparse edge of the codebook. Widen ring by ring.
    const int maxRing = std::max(m_cols, m_rows);
    for (int ring = 2; ring <= maxRing; ++ring) {
        const int rx0 = std::max(0, cx - ring), rx1 = std::min(m_cols - 1, cx + ring);
        for (int y = std::max(0, cy - ring); y <= std::min(m_rows - 1, cy + ring); ++y) {
            const std::size_t row = std::size_t(y) * std::size_t(m_cols);
            if (y == cy - ring || y == cy + ring) {
                scan(m_cellStart[row + std::size_t(rx0)], m_cellStart[row + std::size_t(rx1) + 1]);
            } else {
                if (cx - ring >= 0)
                    scan(m_cellStart[row + std::size_t(cx - ring)], m_cellStart[row + std::size_t(cx - ring) + 1]);
                if (cx + ring < m_cols)
                    scan(m_cellStart[row + std::size_t(cx + ring)], m_cellStart[row + std::size_t(cx + ring) + 1]);
            }
        }
        const double reach = ring * m_cell - m_margin;
        if (reach > 0 && best < reach * reach)
            break;
    }
    return bestIndex;
}

} // namespace hc
