#pragma once

#include "cli/clicontext.h"

namespace hc {

// `hypercomp compress MODEL -o ARCHIVE [--config C] [--samples U] [--box L] [--classes K|auto:KMAX]
// [--target-error E | --target-ratio R] [--export-config C] [--report R] [--threads N]`.
// Flags override the config's defaults; a target runs a sweep per layer and the auto-tuner, whose
// per-layer choices become the config's layer overrides (and can be exported).
class CompressCommand {
public:
    static int run(const CliContext &ctx);
};

} // namespace hc
