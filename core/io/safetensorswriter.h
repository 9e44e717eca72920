#pragma once

#include "core/util/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

class QSaveFile;

namespace hc {

// Writes a .safetensors file as a stream, so that a model of many GB goes out with bounded memory:
// declare every tensor (and the metadata), begin(), then hand over each tensor's bytes in the
// declared order (in one call or in several chunks), then commit().
// The file is written to a temporary file in the same folder, flushed to disk and renamed into place
// only by commit(); after any failure, cancel() or destruction without commit, nothing is left.
// The header is padded with spaces so the data starts at a multiple of 8 bytes; tensors are stored
// in the declared order without gaps. The same calls give the same bytes.
// Thread safety: one writer is used by one thread at a time.
class SafetensorsWriter {
public:
    explicit SafetensorsWriter(std::string path);
    ~SafetensorsWriter();
    SafetensorsWriter(const SafetensorsWriter &) = delete;
    SafetensorsWriter &operator=(const SafetensorsWriter &) = delete;

    const std::string &path() const { return m_path; }
    void setMetadata(std::map<std::string, std::string> metadata);
    // Declares the next tensor; `dtypeName` is a safetensors name ("F32", "U8", ...).
    Status declareTensor(const std::string &name, const std::string &dtypeName, const std::vector<std::int64_t> &shape,
                         std::uint64_t byteSize);
    std::size_t tensorCount() const { return m_tensors.size(); }

    // Opens the temporary file and writes the header; called by the first writeTensor() when not
    // called before. Fails when the folder does not exist or cannot be written.
    Status begin();
    // Appends `bytes` bytes of tensor i. i must be the tensor being written, or the next one once
    // the current one is complete. More bytes than declared is an error.
    Status writeTensor(std::size_t i, const void *data, std::uint64_t bytes);
    // Checks that every tensor is complete, flushes, syncs and renames into place.
    Status commit();
    // Drops everything written so far (also done by the destructor when not committed).
    void cancel();
    bool committed() const { return m_committed; }

    // The header exactly as begin() writes it, with the 8-byte length prefix excluded and the
    // padding included; valid once every tensor is declared.
    std::string headerText() const;
    // One tensor's entry in the header, as headerText() writes it (no separating comma).
    static std::string tensorEntryText(const std::string &name, const std::string &dtypeName,
                                       const std::vector<std::int64_t> &shape, std::uint64_t begin, std::uint64_t end);
    // The metadata entry ("__metadata__":{...}), empty when there is no metadata.
    static std::string metadataEntryText(const std::map<std::string, std::string> &metadata);
    // `s` as a JSON string literal, quotes included (UTF-8 passed through, controls escaped).
    static std::string jsonQuote(const std::string &s);

private:
    Status fail(std::string message);

    struct Declared {
        std::string name, dtypeName;
        std::vector<std::int64_t> shape;
        std::uint64_t byteSize = 0;
    };
    std::string m_path;
    std::map<std::string, std::string> m_metadata;
    std::vector<Declared> m_tensors;
    std::unique_ptr<QSaveFile> m_file;
    std::size_t m_current = 0;       // tensor being written
    std::uint64_t m_currentDone = 0; // its bytes written so far
    bool m_begun = false, m_committed = false, m_failed = false;
    std::string m_error;
};

} // namespace hc
