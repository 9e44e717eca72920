#pragma once

#include "core/io/modelsource.h"
#include "core/util/progresssink.h"
#include "core/util/result.h"

#include <map>
#include <string>

namespace hc {

// Writes the tensors of any ModelSource, in order, to a .safetensors file through
// SafetensorsWriter, one tensor in memory at a time. With an ArchiveReader as the source this
// restores an archive (each tensor decoded as it is written); other output formats (.pt) live in
// core/torch. Nothing is left behind on failure or cancel.
// Thread safety: reentrant.
class ModelRestorer {
public:
    static Status writeSafetensors(const ModelSource &source, const std::string &outputPath,
                                   const std::map<std::string, std::string> &metadata = {},
                                   ProgressSink *progress = nullptr);
    // Opens the archive at `archivePath` (checksums verified) and restores it to `outputPath`.
    static Status restoreArchive(const std::string &archivePath, const std::string &outputPath,
                                 ProgressSink *progress = nullptr, int threads = 0);
};

} // namespace hc
