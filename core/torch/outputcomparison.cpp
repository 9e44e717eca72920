#include "core/torch/outputcomparison.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hc {

Result<OutputComparison> OutputComparison::compare(const TensorData &reference, const TensorData &other)
{
    using R = Result<OutputComparison>;
    if (!isCompressibleFloat(reference.dtype) || !isCompressibleFloat(other.dtype))
        return R::failure("the outputs cannot be compared: only floating-point outputs are supported");
    if (reference.shape != other.shape)
        return R::failure("the outputs cannot be compared: their shapes differ");
    const std::size_t n = reference.numel();
    if (reference.bytes.size() != n * dtypeSize(reference.dtype) || other.bytes.size() != n * dtypeSize(other.dtype))
        return R::failure("the outputs cannot be compared: a tensor holds fewer bytes than its shape needs");
    OutputComparison c;
    c.count = n;
    if (n == 0)
        return c;
    std::vector<double> a(n), b(n);
    toDouble(reference.view(), 0, n, a.data());
    toDouble(other.view(), 0, n, b.data());

    double sumAbs = 0, diff2 = 0, a2 = 0, b2 = 0, ab = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = std::abs(b[i] - a[i]);
        c.maxAbsError = std::max(c.maxAbsError, d);
        sumAbs += d;
        diff2 += d * d;
        a2 += a[i] * a[i];
        b2 += b[i] * b[i];
        ab += a[i] * b[i];
    }
    c.meanAbsError = sumAbs / double(n);
    c.relativeError = a2 > 0 ? std::sqrt(diff2 / a2) : (diff2 > 0 ? INFINITY : 0.0);
    c.cosine = a2 > 0 && b2 > 0 ? ab / std::sqrt(a2 * b2) : (a2 == 0 && b2 == 0 ? 1.0 : 0.0);

    const std::size_t last = reference.shape.empty() ? 1 : std::size_t(std::max<std::int64_t>(reference.shape.back(), 1));
    c.rows = n / last;
    std::size_t same = 0;
    for (std::size_t r = 0; r < c.rows; ++r) {
        const auto ra = a.begin() + long(r * last), rb = b.begin() + long(r * last);
        if (std::max_element(ra, ra + long(last)) - ra == std::max_element(rb, rb + long(last)) - rb)
            ++same;
    }
    c.argmaxAgreement = c.rows ? double(same) / double(c.rows) : 1.0;
    return c;
}

} // namespace hc
