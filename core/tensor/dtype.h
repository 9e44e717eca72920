#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hc {

// Element types as safetensors names them. Float types are compressed; the others are carried raw.
enum class DType : std::uint8_t { F64, F32, F16, BF16, I64, I32, I16, I8, U8, U16, U32, U64, Bool, F8E4M3, F8E5M2, Unknown };

std::size_t dtypeSize(DType t);                  // bytes per element; 0 for Unknown
const char *dtypeName(DType t);                  // "F32", "BF16", ...
DType dtypeFromName(const std::string &name);    // Unknown when not recognised
bool isCompressibleFloat(DType t);               // F64, F32, F16, BF16

} // namespace hc
