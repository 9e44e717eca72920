#pragma once

#include "cli/clicontext.h"

namespace hc {

// `hypercomp decompress ARCHIVE -o RESTORED.{safetensors|pt} [--like ORIGINAL_TORCHSCRIPT.pt]`:
// checks the archive (format, version, checksums) and writes the restored model.
class DecompressCommand {
public:
    static int run(const CliContext &ctx);
};

} // namespace hc
