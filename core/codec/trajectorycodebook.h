#pragma once

#include <cstddef>
#include <vector>

namespace hc {

// The U + 1 samples of the trajectory θ·a mod l in the box of side l centred on c
// (ALGORITHM.md §1 step 6): S_0 = c, S_{θ+1} = (fmod(θ·v_x, l) + c_x - l/2, fmod(θ·v_y, l) + c_y - l/2).
// Computed in double exactly as the authors' code does so that samples agree bit for bit.
// Immutable after construction; safe to share between threads.
class TrajectoryCodebook {
public:
    // The paper's direction (eq. 23): v = ((l/m)/n·step, l/n·step).
    TrajectoryCodebook(double centreX, double centreY, double box, int samples);
    // A user-given direction (dx, dy), normalised and walked with the paper's step length.
    static TrajectoryCodebook withDirection(double centreX, double centreY, double box, int samples,
                                            double directionX, double directionY);

    int samples() const { return m_samples; }
    int side() const { return m_side; }      // m = ceil(sqrt(U))
    double box() const { return m_box; }
    double centreX() const { return m_cx; }
    double centreY() const { return m_cy; }
    double stepX() const { return m_vx; }
    double stepY() const { return m_vy; }
    std::size_t size() const { return m_x.size(); } // U + 1
    double x(std::size_t j) const { return m_x[j]; }
    double y(std::size_t j) const { return m_y[j]; }
    const std::vector<double> &xs() const { return m_x; }
    const std::vector<double> &ys() const { return m_y; }
    // Whether this is the paper's sheared lattice (the lattice engine relies on it).
    bool isPaperLattice() const { return m_paperDirection; }

    static int sideFor(int samples); // smallest m with m*m >= U

private:
    TrajectoryCodebook() = default;
    void fill();

    int m_samples = 0;
    int m_side = 0;
    double m_box = 0;
    double m_cx = 0, m_cy = 0;
    double m_vx = 0, m_vy = 0;
    bool m_paperDirection = true;
    std::vector<double> m_x, m_y;
};

} // namespace hc
