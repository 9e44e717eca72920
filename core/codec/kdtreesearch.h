#pragma once

#include "core/codec/trajectorycodebook.h"

#include <cstdint>
#include <memory>

namespace hc {

// Nearest sample by a nanoflann k-d tree over the codebook: the general engine, valid for any
// direction or codebook. Ties go to the lowest index, as in the lattice engine.
// Immutable after construction; nearest() is safe to call from many threads at once.
class KdTreeSearch {
public:
    explicit KdTreeSearch(const TrajectoryCodebook &codebook);
    ~KdTreeSearch();
    KdTreeSearch(KdTreeSearch &&) noexcept;
    std::uint32_t nearest(double qx, double qy) const;

private:
    struct Index;
    std::unique_ptr<Index> m_index;
};

} // namespace hc
