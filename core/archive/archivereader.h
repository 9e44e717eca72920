#pragma once

#include "core/archive/archiveentry.h"
#include "core/io/modelsource.h"
#include "core/io/safetensorssource.h"
#include "core/util/progresssink.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// Opens a HyperComp archive and restores its tensors. open() checks the format name and version,
// every entry's parameters, that each stored tensor matches its entry (dtype, shape, payload size)
// and, unless told not to, every payload's checksum; any problem is one sentence naming the file.
// As a ModelSource it lists the original tensors (names, shapes, dtypes) and read(i) restores one.
// Thread safety: after open(), every member is const; restore() may run on several threads at once.
class ArchiveReader : public ModelSource {
public:
    struct Options {
        bool verifyChecksums = true; // when false, restore() checks each tensor's checksum instead
        int threads = 0;             // decoder threads for read() (0 = all cores)
    };
    static Result<std::unique_ptr<ArchiveReader>> open(const std::string &path, const Options &options,
                                                       ProgressSink *progress = nullptr);
    static Result<std::unique_ptr<ArchiveReader>> open(const std::string &path) { return open(path, Options{}); }
    // True when `path` is a safetensors file whose metadata names the HyperComp archive format.
    static bool isArchive(const std::string &path);

    const std::string &path() const override { return m_path; }
    std::string formatName() const override { return "HyperComp archive"; }
    const std::vector<TensorInfo> &tensors() const override { return m_tensors; }
    Result<TensorData> read(std::size_t i) const override { return restore(i, m_options.threads); }
    void release(std::size_t i) const override;

    const std::vector<ArchiveEntry> &entries() const { return m_entries; }
    std::uint64_t fileSize() const { return m_file->fileSize(); }
    // The archive's safetensors metadata (format, version, hypercomp).
    const std::map<std::string, std::string> &metadata() const { return m_file->metadata(); }
    // The original tensor i: decoded (HyperCodec::decodePacked for fixed-width paper mode,
    // ModeEncoded::decode for the other codings), or its raw bytes.
    Result<TensorData> restore(std::size_t i, int threads = 0) const;
    // The same into `out`, which holds entries()[i].numel() elements of its dtype.
    Status restoreInto(std::size_t i, void *out, int threads = 0) const;
    // The stored bytes of tensor i (the packed bit-stream, or the raw tensor), zero-copy.
    const std::uint8_t *payload(std::size_t i) const;

private:
    ArchiveReader() = default;
    std::string m_path;
    Options m_options;
    std::unique_ptr<SafetensorsSource> m_file;
    std::vector<ArchiveEntry> m_entries;
    std::vector<std::size_t> m_stored; // index of each entry's tensor in m_file
    std::vector<TensorInfo> m_tensors;
};

} // namespace hc
