#pragma once

#include "core/codec/encodedtensor.h"
#include "core/codec/modeencoded.h"
#include "core/tensor/dtype.h"
#include "core/tensor/tensorview.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hc {

enum class TensorStatus { Compressed, Raw };

// One tensor of a HyperComp archive, as its metadata describes it.
struct ArchiveEntry {
    std::string name;                 // the original tensor's name (and its name in the archive)
    std::vector<std::int64_t> shape;  // the original shape
    DType dtype = DType::F32;         // the original dtype
    std::string dtypeName;            // its safetensors name
    TensorStatus status = TensorStatus::Raw;
    std::string reason;               // why it is stored raw (empty when compressed)
    // Compressed tensors: every decoder parameter (shape, dtype, N, U, l, K, centre, D, bits);
    // `indices` stays empty: the bit-stream is the payload.
    EncodedTensor header;
    // How the payload is coded (issue 9). Paper mode without entropy is the original format: its
    // entries carry no "mode" or "entropy" key. `lattice` / `density` hold the other modes'
    // parameters (ModeEncoded::toJson); the paper parameters stay in `header`.
    CodecMode mode = CodecMode::Paper;
    bool entropy = false;
    LatticeParams lattice;
    DensityParams density;
    std::uint64_t payloadBytes = 0;   // bytes of the stored tensor (the packed bit-stream, or the raw bytes)
    std::uint32_t crc32 = 0;          // CRC-32 of those bytes
    // The bytes this tensor takes in the archive file: its payload, its own header text (its
    // safetensors entry and its codec-parameter entry) and an even share of the header's fixed
    // part, so that the entries of an archive add up to its file size exactly.
    std::uint64_t archiveBytes = 0;

    std::uint64_t numel() const { return shapeNumel(shape); }
    bool compressed() const { return status == TensorStatus::Compressed; }
    // Paper mode with fixed-width indices: the payload is HyperCodec's packed bit-stream.
    bool packedPaper() const { return mode == CodecMode::Paper && !entropy; }
};

} // namespace hc
