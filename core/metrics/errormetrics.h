#pragma once

#include "core/tensor/tensorview.h"

namespace hc {

// The error measures of ALGORITHM.md §3 between an original tensor and its restored copy, over
// the N real elements. Reentrant; uses up to `threads` threads.
struct ErrorMetrics {
    double mae = 0;      // mean |w - ŵ| (the paper's measure)
    double maxAbs = 0;   // max |w - ŵ|
    double rmse = 0;     // sqrt(mean (w - ŵ)²)
    double relFro = 0;   // ||w - ŵ|| / ||w||
    double sqnrDb = 0;   // 20 log10(||w|| / ||w - ŵ||); +inf when exact
    double signalNorm = 0; // ||w||
    double errorNorm = 0;  // ||w - ŵ||

    static ErrorMetrics measure(const TensorView &original, const TensorView &restored, int threads = 0);
    // Combines per-tensor measures into a parameter-weighted whole (MAE and RMSE weighted by
    // element count, relative error from the summed squared norms).
    static ErrorMetrics combine(const ErrorMetrics &a, std::size_t na, const ErrorMetrics &b, std::size_t nb);
};

} // namespace hc
