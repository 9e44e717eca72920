#include "core/codec/trajectorycodebook.h"

#include <cmath>

namespace hc {

int TrajectoryCodebook::sideFor(int samples)
{
    int m = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(samples))));
    while (m > 1 && (m - 1) * (m - 1) >= samples)
        --m;
    while (m * m < samples)
        ++m;
    return m < 1 ? 1 : m;
}

TrajectoryCodebook::TrajectoryCodebook(double centreX, double centreY, double box, int samples)
    : m_samples(samples), m_side(sideFor(samples)), m_box(box), m_cx(centreX), m_cy(centreY)
{
    // The authors' arithmetic, step by step: the order of operations decides the last bit.
    const double l = box;
    const double m = m_side;
    const double d = l / m;
    const double l1 = std::sqrt(l * l + d * d);
    const double sinAlpha = l / l1;
    const double step = (l / sinAlpha) / m;
    const double n = std::sqrt((l / m) * (l / m) + l * l);
    m_vx = (l / m) / n * step;
    m_vy = l / n * step;
    fill();
}

TrajectoryCodebook TrajectoryCodebook::withDirection(double centreX, double centreY, double box, int samples,
                                                     double directionX, double directionY)
{
    TrajectoryCodebook cb(centreX, centreY, box, samples);
    const double norm = std::hypot(directionX, directionY);
    if (norm > 0) {
        const double l = box;
        const double m = cb.m_side;
        const double step = std::sqrt(l * l + (l / m) * (l / m)) / m;
        cb.m_vx = std::fabs(directionX) / norm * step;
        cb.m_vy = std::fabs(directionY) / norm * step;
        cb.m_paperDirection = false;
        cb.fill();
    }
    return cb;
}

void TrajectoryCodebook::fill()
{
    const double l = m_box;
    const double x0 = m_cx - l / 2;
    const double y0 = m_cy - l / 2;
    m_x.resize(std::size_t(m_samples) + 1);
    m_y.resize(std::size_t(m_samples) + 1);
    m_x[0] = m_cx;
    m_y[0] = m_cy;
    for (int theta = 0; theta < m_samples; ++theta) {
        m_x[std::size_t(theta) + 1] = std::fmod(theta * m_vx, l) + x0;
        m_y[std::size_t(theta) + 1] = std::fmod(theta * m_vy, l) + y0;
    }
}

} // namespace hc
