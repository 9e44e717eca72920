#include "core/codec/classrings.h"

#include <cmath>

namespace hc {

ClassRings::ClassRings(double box, double farthest, int classes) : m_classes(classes), m_halfBox(box / 2)
{
    m_radius.assign(std::size_t(classes) + 1, box / 2);
    m_scale.assign(std::size_t(classes) + 1, 1.0);
    if (classes <= 0)
        return;
    m_width = (farthest - box / 2) / classes;
    for (int k = 1; k <= classes; ++k) {
        m_radius[std::size_t(k)] = k == classes ? farthest : box / 2 + k * m_width;
        m_scale[std::size_t(k)] = (box / 2) / m_radius[std::size_t(k)];
    }
}

int ClassRings::classify(double dist) const
{
    if (m_classes <= 0)
        return 0;
    // A first guess from the uniform ring width, then the exact comparison with the radii.
    int k = m_width > 0 ? int(std::ceil((dist - m_halfBox) / m_width)) : 1;
    if (k < 1)
        k = 1;
    if (k > m_classes)
        k = m_classes;
    while (k > 1 && dist <= m_radius[std::size_t(k) - 1])
        --k;
    while (k < m_classes && dist > m_radius[std::size_t(k)])
        ++k;
    return k;
}

} // namespace hc
