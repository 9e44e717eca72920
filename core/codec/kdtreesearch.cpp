#include "core/codec/kdtreesearch.h"

#include <nanoflann.hpp>

#include <cmath>
#include <limits>

namespace hc {

namespace {

// nanoflann reads the codebook through this adaptor; nothing is copied.
struct CodebookAdaptor {
    const TrajectoryCodebook *codebook;
    std::size_t kdtree_get_point_count() const { return codebook->size(); }
    double kdtree_get_pt(std::size_t i, std::size_t dim) const { return dim == 0 ? codebook->x(i) : codebook->y(i); }
    template <class BBox>
    bool kdtree_get_bbox(BBox &) const { return false; }
};

// nanoflann only offers a point whose distance is strictly below worstDist(); reporting a worst
// distance one ulp above the best lets equal distances through so the lowest index can win.
class LowestIndexNearest {
public:
    using DistanceType = double;
    using IndexType = std::uint32_t;
    bool full() const { return m_index != std::numeric_limits<IndexType>::max(); }
    std::size_t size() const { return full() ? 1 : 0; }
    bool addPoint(double dist, IndexType index)
    {
        if (dist < m_best || (dist == m_best && index < m_index)) {
            m_best = dist;
            m_index = index;
        }
        return true;
    }
    double worstDist() const { return std::nextafter(m_best, std::numeric_limits<double>::infinity()); }
    IndexType index() const { return m_index; }

private:
    double m_best = std::numeric_limits<double>::infinity();
    IndexType m_index = std::numeric_limits<IndexType>::max();
};

using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, CodebookAdaptor>,
                                                 CodebookAdaptor, 2, std::uint32_t>;

} // namespace

struct KdTreeSearch::Index {
    TrajectoryCodebook codebook;
    CodebookAdaptor adaptor;
    Tree tree;
    explicit Index(const TrajectoryCodebook &cb)
        : codebook(cb), adaptor{&codebook}, tree(2, adaptor, nanoflann::KDTreeSingleIndexAdaptorParams(10))
    {
        tree.buildIndex();
    }
};

KdTreeSearch::KdTreeSearch(const TrajectoryCodebook &codebook) : m_index(std::make_unique<Index>(codebook)) {}
KdTreeSearch::~KdTreeSearch() = default;
KdTreeSearch::KdTreeSearch(KdTreeSearch &&) noexcept = default;

std::uint32_t KdTreeSearch::nearest(double qx, double qy) const
{
    LowestIndexNearest result;
    const double query[2] = {qx, qy};
    m_index->tree.findNeighbors(result, query, nanoflann::SearchParams());
    return result.index();
}

} // namespace hc
