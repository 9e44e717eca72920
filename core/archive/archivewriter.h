#pragma once

#include "core/archive/archiveentry.h"
#include "core/codec/encodedtensor.h"
#include "core/codec/modeencoded.h"
#include "core/io/modelsource.h"
#include "core/tensor/tensorview.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <memory>
#include <string>
#include <vector>

class QTemporaryFile;

namespace hc {

// Writes a HyperComp archive (see ArchiveFormat) with bounded memory: each tensor added is packed
// and appended at once to a spool file next to the output, so only one tensor is held at a time;
// commit() then writes the header (which needs every payload's size and checksum) and copies the
// payloads behind it, through a temporary file renamed into place. On failure, cancel() or
// destruction without commit, neither the output nor the spool is left behind.
// The same entries in the same order give the same file, byte for byte.
// Thread safety: one writer is used by one thread at a time.
class ArchiveWriter {
public:
    explicit ArchiveWriter(std::string path);
    ~ArchiveWriter();
    ArchiveWriter(const ArchiveWriter &) = delete;
    ArchiveWriter &operator=(const ArchiveWriter &) = delete;

    const std::string &path() const { return m_path; }
    // A compressed tensor under `name`: its packed index bit-stream and decoder parameters.
    Status addCompressed(const std::string &name, const EncodedTensor &encoded);
    // A tensor coded in any mode: its payload as the stored bytes, its parameters in the metadata.
    // A fixed-width paper-mode encoding gives the same entry and bytes as addCompressed().
    Status addEncoded(const std::string &name, const ModeEncoded &encoded);
    // A tensor stored as itself (`data` holds info.byteSize bytes), with the reason it is raw.
    Status addRaw(const TensorInfo &info, const TensorView &data, const std::string &reason);
    // Writes the archive and renames it into place; fills every entry's archiveBytes.
    Status commit(ProgressSink *progress = nullptr);
    void cancel();

    const std::vector<ArchiveEntry> &entries() const { return m_entries; }
    std::uint64_t fileSize() const { return m_fileSize; } // after commit

private:
    Status openSpool();
    Status spool(ArchiveEntry entry, const void *data, std::uint64_t bytes);
    Status fail(std::string message);

    std::string m_path;
    std::unique_ptr<QTemporaryFile> m_spool;
    std::vector<ArchiveEntry> m_entries;
    std::uint64_t m_fileSize = 0;
    bool m_committed = false, m_failed = false;
    std::string m_error;
};

} // namespace hc
