#pragma once

#include "core/codec/encodedtensor.h"
#include "core/tensor/dtype.h"
#include "core/util/result.h"

#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hc {

// The three ways a tensor can be coded (issue 9):
//   Paper   - ALGORITHM.md's codec (HyperCodec); indices fixed width, or rANS-coded with `entropy`;
//   Lattice - the sheared lattice over the whole range, row and column streams rANS-coded;
//   Density - a per-tensor compander G, the paper's lattice in u = G(w) space, fixed width
//             (or rANS-coded with `entropy`).
enum class CodecMode { Paper, Lattice, Density };
const char *codecModeName(CodecMode mode); // "paper", "lattice", "density"
bool codecModeFromName(const std::string &name, CodecMode &mode);

// Lattice point (r, c), r and c integers: (cx + (c + r/m)·h, cy + r·h). Row r is shifted right by
// r·h/m, as the paper's trajectory lattice shifts its rows; m = the row count the range needed.
// Stored symbols: r - rowMin in [0, rows), c - colMin in [0, cols).
struct LatticeParams {
    double centreX = 0, centreY = 0;
    double spacing = 1;      // h
    std::uint32_t shear = 1; // m
    std::int64_t rowMin = 0, colMin = 0;
    std::uint32_t rows = 1, cols = 1;
};

// The u-pairs are quantised on the paper's lattice with U = side² samples over the unit square,
// its cells centred (sample θ sits mid-cell); the index is θ in [0, U). The payload starts with
// `breakpoints` float32 values w_i (little-endian) with G(w_i) = i/(breakpoints - 1).
struct DensityParams {
    int side = 32;        // m: U = m² samples
    int breakpoints = 64; // B
};

// One coded tensor of any mode: parameters, payload and its honest size. The archive stores
// `payload` as the tensor's bytes and `toJson()` in its metadata; fromJson() + the payload give the
// same object back (doubles round-trip exactly). Immutable once made; decode() is reentrant.
struct ModeEncoded {
    CodecMode mode = CodecMode::Paper;
    bool entropy = false; // index streams rANS-coded (always true for Lattice)
    std::vector<std::int64_t> shape;
    DType dtype = DType::F32;
    std::uint64_t numel = 0;
    EncodedTensor paper;   // Paper: the header (its `indices` are empty: they live in the payload)
    LatticeParams lattice; // Lattice
    DensityParams density; // Density
    std::vector<std::uint8_t> payload;

    std::uint64_t pairCount() const { return (numel + 1) / 2; }
    // Bytes of the compact JSON of the mode's own parameters (toJson() without the mode, entropy,
    // dtype, shape and numel entries that every tensor of an archive carries, raw ones included,
    // and that no baseline's bits per weight counts either).
    std::size_t metadataBytes() const;
    std::uint64_t totalBytes() const { return payload.size() + metadataBytes(); }
    // 8 · (payload + metadata) / numel: every stored byte counted.
    double bitsPerWeight() const;
    // Bits per pair spent on the index streams alone (payload minus tables and breakpoints, where
    // these are known), for comparing with the order-0 entropy.
    double indexBitsPerPair() const;

    // Decodes into `out` (numel elements of dtype). Fails with one sentence when the payload does
    // not match the parameters or is corrupt.
    Status decode(void *out, int threads = 0) const;

    QJsonObject toJson() const;
    static Result<ModeEncoded> fromJson(const QJsonObject &json, std::vector<std::uint8_t> payload);
};

} // namespace hc
