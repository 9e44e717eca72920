#pragma once

#include "cli/clicontext.h"

namespace hc {

// `hypercomp inspect MODEL [--json] [--box L]`: every tensor with shape, dtype, parameters, σ,
// kurtosis and the share of pairs outside the centre box of side l.
class InspectCommand {
public:
    static int run(const CliContext &ctx);
};

} // namespace hc
