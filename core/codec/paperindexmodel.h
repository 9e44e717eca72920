#pragma once

#include "core/codec/encodedtensor.h"
#include "core/util/result.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hc {

// Entropy coding of the paper mode's indices with no stored frequency table. A table of
// (U+1)(K+1) symbols costs 200-300 bytes, which on a 2 000-pair tensor eats half of what entropy
// coding gains. Instead both sides compute the table from the codec's own geometry and a
// MarginalDensity f of the weights (a few bytes): index j + (U+1)·k decodes to the pair
// p = c + (S_j - c)/s_k, so its probability is about f(p_x)·f(p_y) over the sample's cell (side
// (l/m)/s_k around p) times the share of that cell in class k's region (inside the box for k = 0,
// outside it and within r_1 for k = 1, between r_{k-1} and r_k beyond).
// Blob: byte kMarker (4, after RansCoder's methods 1-3 so that one payload byte tells them apart),
// byte P, the density (over [min(cx, cy) - D, max(cx, cy) + D]), a RansCoder::encodeModelled blob.
// Reentrant; the same header and blob give the same table on every IEEE-754 machine.
class PaperIndexModel {
public:
    static constexpr std::uint8_t kMarker = 4;

    // The blob for e.indices, or empty when this coding does not apply (no spread, an alphabet
    // over 32 768 symbols, or a direction other than the paper's).
    static std::vector<std::uint8_t> encode(const EncodedTensor &e);
    // Decodes pairCount indices from a blob encode() made for a tensor with header h.
    static Status decode(const EncodedTensor &h, const std::uint8_t *blob, std::size_t bytes,
                         std::vector<std::uint32_t> &indices, int threads = 0);
};

} // namespace hc
