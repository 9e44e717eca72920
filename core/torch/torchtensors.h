#pragma once

// Internal to core/torch: conversions between LibTorch tensors and our TensorData. Include it
// only from the few .cpp files that include LibTorch already; public headers never do.

#include "core/tensor/tensorview.h"
#include "core/util/result.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstring>
#include <exception>
#include <string>

namespace hc {

inline DType dtypeFromTorch(at::ScalarType t)
{
    switch (t) {
    case at::kDouble: return DType::F64;
    case at::kFloat: return DType::F32;
    case at::kHalf: return DType::F16;
    case at::kBFloat16: return DType::BF16;
    case at::kLong: return DType::I64;
    case at::kInt: return DType::I32;
    case at::kShort: return DType::I16;
    case at::kChar: return DType::I8;
    case at::kByte: return DType::U8;
    case at::kBool: return DType::Bool;
    default: return DType::Unknown;
    }
}

// False when LibTorch 1.13 has no such element type (U16/U32/U64, float8).
inline bool torchFromDType(DType d, at::ScalarType *out)
{
    switch (d) {
    case DType::F64: *out = at::kDouble; return true;
    case DType::F32: *out = at::kFloat; return true;
    case DType::F16: *out = at::kHalf; return true;
    case DType::BF16: *out = at::kBFloat16; return true;
    case DType::I64: *out = at::kLong; return true;
    case DType::I32: *out = at::kInt; return true;
    case DType::I16: *out = at::kShort; return true;
    case DType::I8: *out = at::kChar; return true;
    case DType::U8: *out = at::kByte; return true;
    case DType::Bool: *out = at::kBool; return true;
    default: return false;
    }
}

// The first line of an exception's message, without LibTorch's C++ backtrace.
inline std::string torchErrorText(const std::exception &e)
{
    std::string text;
    if (const auto *c10e = dynamic_cast<const c10::Error *>(&e))
        text = c10e->what_without_backtrace();
    else
        text = e.what();
    // "[enforce fail at inline_container.cc:129] . file in archive ..." -> "file in archive ..."
    if (text.rfind("[enforce fail", 0) == 0) {
        const auto close = text.find("] ");
        if (close != std::string::npos)
            text.erase(0, text.find_first_not_of(". ", close + 2));
    }
    const auto nl = text.find('\n');
    if (nl != std::string::npos)
        text.resize(nl);
    while (!text.empty() && (text.back() == ' ' || text.back() == '.' || text.back() == ':'))
        text.pop_back();
    return text.empty() ? std::string("unknown LibTorch error") : text;
}

// A tensor that owns a copy of `data` (LibTorch may outlive the TensorData).
inline Result<at::Tensor> tensorFromData(const TensorData &data)
{
    at::ScalarType type;
    if (!torchFromDType(data.dtype, &type))
        return Result<at::Tensor>::failure(std::string("element type ") + dtypeName(data.dtype) + " has no LibTorch equivalent");
    const std::size_t bytes = data.numel() * dtypeSize(data.dtype);
    if (data.bytes.size() != bytes)
        return Result<at::Tensor>::failure("the tensor holds " + std::to_string(data.bytes.size()) + " bytes where its shape needs "
                                           + std::to_string(bytes));
    at::Tensor t = at::empty(data.shape, at::TensorOptions().dtype(type));
    if (bytes)
        std::memcpy(t.data_ptr(), data.bytes.data(), bytes);
    return t;
}

// The contiguous little-endian bytes of a CPU tensor of a supported type.
inline Result<TensorData> dataFromTensor(const at::Tensor &tensor)
{
    const DType d = dtypeFromTorch(tensor.scalar_type());
    if (d == DType::Unknown)
        return Result<TensorData>::failure(std::string("LibTorch element type ") + c10::toString(tensor.scalar_type())
                                           + " is not supported");
    const at::Tensor t = tensor.detach().to(at::kCPU).contiguous();
    TensorData out;
    out.shape = t.sizes().vec();
    out.dtype = d;
    out.bytes.resize(std::size_t(t.numel()) * dtypeSize(d));
    if (!out.bytes.empty())
        std::memcpy(out.bytes.data(), t.data_ptr(), out.bytes.size());
    return out;
}

} // namespace hc
