#pragma once

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <cstddef>

namespace hc {

// How far a restored model's output is from the original's, on the same input.
struct OutputComparison {
    std::size_t count = 0;       // elements compared
    double maxAbsError = 0;
    double meanAbsError = 0;
    double relativeError = 0;    // ||b - a|| / ||a|| (Frobenius); 0 when both are zero
    double cosine = 1;           // cosine similarity of the flattened outputs
    double argmaxAgreement = 1;  // share of rows (last dimension) whose arg-max is unchanged
    std::size_t rows = 0;        // rows behind argmaxAgreement

    // `reference` is the original model's output, `other` the restored one's; both of a float
    // dtype and the same shape, or one sentence saying why not.
    static Result<OutputComparison> compare(const TensorData &reference, const TensorData &other);
};

} // namespace hc
