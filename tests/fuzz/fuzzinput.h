#pragma once

// Helpers shared by the libFuzzer targets. Not part of any library.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace hc::fuzz {

// The parsers take paths, so each input becomes an in-memory file (memfd) reached through
// /proc/self/fd: no disk traffic, nothing left behind, and the normal open/stat/mmap path runs.
class MemoryFile {
public:
    MemoryFile(const std::uint8_t *data, std::size_t size)
    {
        m_fd = ::memfd_create("hc-fuzz-input", MFD_CLOEXEC);
        if (m_fd < 0) {
            std::perror("memfd_create");
            std::abort();
        }
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::write(m_fd, data + done, size - done);
            if (n <= 0) {
                std::perror("write");
                std::abort();
            }
            done += std::size_t(n);
        }
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemoryFile() { ::close(m_fd); }
    MemoryFile(const MemoryFile &) = delete;
    MemoryFile &operator=(const MemoryFile &) = delete;

    const std::string &path() const { return m_path; }

private:
    int m_fd = -1;
    std::string m_path;
};

// Every error must be one sentence naming the file: a crash-free but empty or unnamed message is a
// bug too, and aborting makes libFuzzer keep the input.
inline void expectNamedError(const std::string &error, const std::string &path)
{
    if (error.empty() || error.find(path) == std::string::npos) {
        std::fprintf(stderr, "error message does not name the file %s: \"%s\"\n", path.c_str(), error.c_str());
        std::abort();
    }
}

} // namespace hc::fuzz
