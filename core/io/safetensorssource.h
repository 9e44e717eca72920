#pragma once

#include "core/io/mappedfile.h"
#include "core/io/modelsource.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// A .safetensors file, memory-mapped. Opening reads only the JSON header (the tensors' bytes are
// touched when view() or read() asks for them), so a many-GB model opens in milliseconds.
// The header is validated strictly: every problem fails open() with one sentence naming the file.
// Tensors are listed in the order of their data in the file.
// Thread safety: after open(), every member is const and safe to call from several threads.
class SafetensorsSource : public ModelSource {
public:
    static Result<std::unique_ptr<ModelSource>> open(const std::string &path);
    // The same, keeping the concrete type (for metadata() and the sharded source).
    static Result<std::unique_ptr<SafetensorsSource>> openFile(const std::string &path);
    // Cheap content check: 8-byte little-endian header length that fits the file, then '{'.
    static bool isSafetensorsFile(const std::string &path);

    const std::string &path() const override { return m_path; }
    std::string formatName() const override { return "safetensors"; }
    const std::vector<TensorInfo> &tensors() const override { return m_tensors; }
    Result<TensorData> read(std::size_t i) const override;
    TensorView view(std::size_t i) const override;
    void release(std::size_t i) const override;

    // The header's "__metadata__" entry (string to string), empty when absent.
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }
    // Position of tensor i's bytes in the file (from its start).
    std::uint64_t fileOffset(std::size_t i) const { return m_offsets[i]; }
    std::uint64_t headerLength() const { return m_headerLength; }
    std::uint64_t fileSize() const { return m_file->size(); }
    const std::uint8_t *fileData() const { return m_file->data(); }

private:
    SafetensorsSource() = default;
    std::string m_path;
    std::shared_ptr<const MappedFile> m_file;
    std::vector<TensorInfo> m_tensors;
    std::vector<std::uint64_t> m_offsets;
    std::map<std::string, std::string> m_metadata;
    std::uint64_t m_headerLength = 0;
};

} // namespace hc
