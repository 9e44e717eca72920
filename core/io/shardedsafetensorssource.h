#pragma once

#include "core/io/safetensorssource.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hc {

// A model split over several .safetensors shards, described by `model.safetensors.index.json`
// ({"metadata": {...}, "weight_map": {tensor name: shard file name}}). Each shard is opened and
// mapped as a SafetensorsSource; tensors are listed shard by shard (shards in name order), each
// shard's tensors in file order, only those that the weight map assigns to it.
// Thread safety: as SafetensorsSource.
class ShardedSafetensorsSource : public ModelSource {
public:
    static Result<std::unique_ptr<ModelSource>> open(const std::string &indexJsonPath);
    // True when the file name ends in ".safetensors.index.json".
    static bool isIndexFile(const std::string &path);

    const std::string &path() const override { return m_path; }
    std::string formatName() const override { return "safetensors"; }
    const std::vector<TensorInfo> &tensors() const override { return m_tensors; }
    Result<TensorData> read(std::size_t i) const override;
    TensorView view(std::size_t i) const override;
    void release(std::size_t i) const override;

    // The index's "metadata" entry, values turned into strings (numbers in their JSON form).
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }
    std::size_t shardCount() const { return m_shards.size(); }

private:
    ShardedSafetensorsSource() = default;
    std::string m_path;
    std::vector<std::unique_ptr<SafetensorsSource>> m_shards;
    std::vector<TensorInfo> m_tensors;
    std::vector<std::pair<std::size_t, std::size_t>> m_where; // (shard, index in shard)
    std::map<std::string, std::string> m_metadata;
};

} // namespace hc
