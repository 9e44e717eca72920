#pragma once

#include "core/util/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hc {

// A whole file mapped read-only into memory. Pages are brought in by the kernel only when touched,
// so mapping a many-GB model costs next to nothing until its tensors are read.
// Thread safety: the mapping is immutable; data() may be read from any thread.
class MappedFile {
public:
    // Fails with one sentence naming `path` when it is missing, a directory, or cannot be mapped.
    static Result<std::shared_ptr<const MappedFile>> open(const std::string &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const std::string &path() const { return m_path; }
    const std::uint8_t *data() const { return m_data; }
    std::uint64_t size() const { return m_size; }
    // Drops the pages of [offset, offset + length) from this process (MADV_DONTNEED): the
    // resident size shrinks, the page cache keeps them, and reading them again brings them back.
    void releaseRange(std::uint64_t offset, std::uint64_t length) const;

private:
    MappedFile() = default;
    std::string m_path;
    const std::uint8_t *m_data = nullptr;
    std::uint64_t m_size = 0;
};

} // namespace hc
