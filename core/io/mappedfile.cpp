#include "core/io/mappedfile.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hc {

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::string &path)
{
    using R = Result<std::shared_ptr<const MappedFile>>;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return R::failure(path + ": the file does not exist");
        return R::failure(path + ": the file cannot be read (" + std::strerror(errno) + ")");
    }
    if (S_ISDIR(st.st_mode))
        return R::failure(path + ": is a folder, not a file");
    if (!S_ISREG(st.st_mode))
        return R::failure(path + ": is not a regular file");

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return R::failure(path + ": the file cannot be opened (" + std::strerror(errno) + ")");
    std::shared_ptr<MappedFile> file(new MappedFile);
    file->m_path = path;
    file->m_size = std::uint64_t(st.st_size);
    if (file->m_size > 0) {
        void *p = ::mmap(nullptr, std::size_t(file->m_size), PROT_READ, MAP_PRIVATE, fd, 0);
        const int mapErrno = errno;
        ::close(fd);
        if (p == MAP_FAILED)
            return R::failure(path + ": the file cannot be memory-mapped (" + std::strerror(mapErrno) + ")");
        file->m_data = static_cast<const std::uint8_t *>(p);
    } else {
        ::close(fd);
    }
    return R(std::shared_ptr<const MappedFile>(std::move(file)));
}

void MappedFile::releaseRange(std::uint64_t offset, std::uint64_t length) const
{
    if (!m_data || offset >= m_size)
        return;
    const std::uint64_t page = std::uint64_t(::sysconf(_SC_PAGESIZE));
    // Only whole pages inside the range: a page shared with a neighbouring tensor stays.
    const std::uint64_t begin = (offset + page - 1) / page * page;
    const std::uint64_t end = std::min(offset + length, m_size) / page * page;
    if (end > begin)
        ::madvise(const_cast<std::uint8_t *>(m_data) + begin, std::size_t(end - begin), MADV_DONTNEED);
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(const_cast<std::uint8_t *>(m_data), std::size_t(m_size));
}

} // namespace hc
