#include "core/sweep/paretofront.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hc {

double ParetoFront::errorOf(const SweepPoint &p, ErrorMeasure measure)
{
    return measure == ErrorMeasure::Mae ? p.metrics.mae : p.metrics.relFro;
}

std::vector<std::size_t> ParetoFront::compute(const std::vector<SweepPoint> &points, ErrorMeasure measure)
{
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (!std::isnan(points[i].ratio) && !std::isnan(errorOf(points[i], measure)))
            order.push_back(i);
    // Highest ratio first; on equal ratio the lowest error, then the lowest index.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (points[a].ratio != points[b].ratio)
            return points[a].ratio > points[b].ratio;
        const double ea = errorOf(points[a], measure), eb = errorOf(points[b], measure);
        if (ea != eb)
            return ea < eb;
        return a < b;
    });
    // Walking down the ratio, a point is on the front when it beats every error seen so far.
    std::vector<std::size_t> front;
    double best = std::numeric_limits<double>::infinity();
    bool any = false;
    for (std::size_t i : order) {
        const double e = errorOf(points[i], measure);
        if (!any || e < best) {
            front.push_back(i);
            best = e;
            any = true;
        }
    }
    std::reverse(front.begin(), front.end());
    return front;
}

} // namespace hc
