#pragma once

#include "cli/clicontext.h"

namespace hc {

// `hypercomp verify ARCHIVE MODEL [--json]`: checks that the archive is intact and belongs to the
// model (every tensor present with its shape and dtype, raw tensors bit-exact) and reports the
// restored tensors' errors against the originals. Exit status 1 when anything does not match.
class VerifyCommand {
public:
    static int run(const CliContext &ctx);
};

} // namespace hc
