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

// Lattice mode's geometry. Layout 2 (what the encoder writes): the hexagonal trajectory lattice,
// point (r, c) at ((c + (r mod 2)/2)·h, r·h·√3/2), i.e. rows h·√3/2 apart and every other row
// shifted by h/2 (the paper's sheared lattice with the shear of the densest 2-D packing, 0.17 dB
// better than a square one), anchored at 0. Its parameters live in the payload (binary, a dozen
// bytes), so the archive's JSON carries none; the fields below are filled from the payload when it
// is known. Layout 1 (archives from before): point (r, c) at (cx + (c + r/m)·h, cy + r·h), row r
// shifted right by r·h/m, all parameters in the JSON.
// Stored symbols: r - rowMin in [0, rows), c - colMin in [0, cols).
struct LatticeParams {
    int layout = 2;
    double centreX = 0, centreY = 0; // layout 1
    double spacing = 1;              // h
    std::uint32_t shear = 1;         // m, layout 1
    std::int64_t rowMin = 0, colMin = 0;
    std::uint32_t rows = 0, cols = 0;
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
