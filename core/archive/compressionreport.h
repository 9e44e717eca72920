#pragma once

#include "core/archive/archiveentry.h"
#include "core/codec/modeencoded.h"
#include "core/metrics/errormetrics.h"

#include <QJsonObject>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hc {

// One row of a compression report: what happened to one tensor.
struct TensorReport {
    std::string name;
    std::vector<std::int64_t> shape;
    std::string dtype;
    std::uint64_t numel = 0;
    TensorStatus status = TensorStatus::Raw;
    std::string reason;        // why raw; empty when compressed
    int samples = 0;           // U (compressed only)
    double box = 0;            // l
    int classes = 0;           // K actually used
    int indexBits = 0;         // b: the fixed index width (paper; density: bits of U = side²; 0 lattice)
    CodecMode mode = CodecMode::Paper; // compressed only
    bool entropy = false;               // index streams rANS-coded
    double targetBitsPerWeight = 0;     // lattice / density: the requested bits per weight (0 paper)
    // Achieved bits per pair of the index payload (ModeEncoded::indexBitsPerPair) and, where the
    // indices are at hand (paper mode), their order-0 entropy in bits per pair: what an ideal
    // order-0 coder would spend, next to what the archive does. NaN when not known.
    double indexBitsPerPair = std::numeric_limits<double>::quiet_NaN();
    double order0BitsPerPair = std::numeric_limits<double>::quiet_NaN();
    ErrorMetrics errors;       // all zero for raw tensors (they are exact)
    std::uint64_t bytesIn = 0;  // the tensor's bytes in the model
    std::uint64_t bytesOut = 0; // the bytes it takes in the archive (ArchiveEntry::archiveBytes)
    double seconds = 0;         // encode + measure time
};

// The report of compressing a whole model, as `hypercomp compress --report` writes it.
struct CompressionReport {
    std::string model;
    QJsonObject settings;
    std::vector<TensorReport> tensors;
    struct Totals {
        std::uint64_t numel = 0, bytesIn = 0, bytesOut = 0; // bytesOut = the archive's file size
        double ratio = 0;                                     // bytesIn / bytesOut
        double mae = 0, relFro = 0;                           // over every element of the model
        double seconds = 0, paramsPerSecond = 0;
    } totals;

    // PRODUCT.md's fields: {"model", "settings", "tensors": [...], "totals": {...}}, and per tensor
    // also "mode", "entropy", "target_bpw", "bits_per_weight" (8 · bytes_out / numel: every byte
    // the tensor takes in the archive), "index_bits_per_pair" and "order0_entropy_bits" (bits per
    // pair); totals also "bits_per_weight". Values that JSON cannot hold (an infinite SQNR for an
    // exact tensor), fields a mode does not have, and codec fields of raw tensors are null.
    QJsonObject toJson() const;
};

} // namespace hc
