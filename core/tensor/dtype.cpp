#include "core/tensor/dtype.h"

namespace hc {

namespace {
struct DTypeInfo {
    DType type;
    const char *name;
    std::size_t size;
};
constexpr DTypeInfo kTypes[] = {
    {DType::F64, "F64", 8},  {DType::F32, "F32", 4},      {DType::F16, "F16", 2},       {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8},  {DType::I32, "I32", 4},      {DType::I16, "I16", 2},       {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},    {DType::U16, "U16", 2},      {DType::U32, "U32", 4},       {DType::U64, "U64", 8},
    {DType::Bool, "BOOL", 1}, {DType::F8E4M3, "F8_E4M3", 1}, {DType::F8E5M2, "F8_E5M2", 1},
};
} // namespace

std::size_t dtypeSize(DType t)
{
    for (const auto &i : kTypes)
        if (i.type == t)
            return i.size;
    return 0;
}

const char *dtypeName(DType t)
{
    for (const auto &i : kTypes)
        if (i.type == t)
            return i.name;
    return "UNKNOWN";
}

DType dtypeFromName(const std::string &name)
{
    for (const auto &i : kTypes)
        if (name == i.name)
            return i.type;
    return DType::Unknown;
}

bool isCompressibleFloat(DType t)
{
    return t == DType::F64 || t == DType::F32 || t == DType::F16 || t == DType::BF16;
}

} // namespace hc
