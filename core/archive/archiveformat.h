#pragma once

#include "core/archive/archiveentry.h"
#include "core/codec/modeencoded.h"
#include "core/util/result.h"

#include <QJsonObject>

#include <map>
#include <string>
#include <vector>

namespace hc {

// The HyperComp archive layout (PRODUCT.md, "The archive"): a valid safetensors file in which each
// compressed tensor is a U8 tensor of the same name holding its packed index bit-stream, each raw
// tensor is stored as itself, and `__metadata__` holds
//   "format": "hypercomp-archive", "version": "1",
//   "hypercomp": '{"tensors":[{...one object per tensor, in file order...}]}'
// Each tensor object holds name, status ("compressed" | "raw"), shape, dtype, numel, payload_bytes,
// crc32 (8 lower-case hex digits), reason (raw), and for compressed tensors samples, box, classes,
// centre [x, y], farthest, bits. Doubles are written in the shortest form that reads back to the
// same double. Keys are sorted, so the same entries always give the same bytes.
// Coding modes (issue 9): a paper-mode tensor with fixed-width indices is exactly the above (no
// new key, so older archives and readers are unaffected). Any other coding adds "mode" ("paper" |
// "lattice" | "density") and "entropy" (bool); paper + entropy keeps the paper keys above (its
// payload is a RansCoder blob); lattice and density carry ModeEncoded::toJson()'s parameters
// (lattice: cx, cy, h, shear, row_min, col_min, rows, cols; density: side, breakpoints).
class ArchiveFormat {
public:
    static constexpr const char *kFormatName = "hypercomp-archive";
    static constexpr int kVersion = 1;

    static QJsonObject entryToJson(const ArchiveEntry &e);
    // Parses and checks one entry; the error is a phrase about the entry ("tensor 'x' has ...").
    static Result<ArchiveEntry> entryFromJson(const QJsonObject &o);
    // The safetensors metadata of an archive holding `entries`.
    static std::map<std::string, std::string> metadata(const std::vector<ArchiveEntry> &entries);
    // The dtype name and shape under which an entry's payload is stored.
    static std::string storedDtypeName(const ArchiveEntry &e);
    static std::vector<std::int64_t> storedShape(const ArchiveEntry &e);
    // The bytes a compressed tensor takes as the only tensor of an archive: its payload, its header
    // entries and the header's fixed part. For sweeps and readouts that have no archive yet; in a
    // model's archive the fixed part is shared, so a tensor takes a little less.
    static std::uint64_t standaloneBytes(const std::string &name, const EncodedTensor &encoded);
    // The same for a tensor of any mode (payload = encoded.payload).
    static std::uint64_t standaloneBytes(const std::string &name, const ModeEncoded &encoded);
    // A compressed entry for `encoded` under `name`, with payloadBytes set (crc32 is not).
    static ArchiveEntry compressedEntry(const std::string &name, const ModeEncoded &encoded);
    // A compressed entry's parameters as a ModeEncoded around `payload`, ready to decode.
    static ModeEncoded modeEncoded(const ArchiveEntry &e, std::vector<std::uint8_t> payload = {});
    // Fills every entry's archiveBytes (see ArchiveEntry) and returns the archive's file size.
    static std::uint64_t computeArchiveBytes(std::vector<ArchiveEntry> &entries);
};

} // namespace hc
