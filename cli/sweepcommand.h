#pragma once

#include "cli/clicontext.h"

namespace hc {

// `hypercomp sweep MODEL [--layer NAME] --samples 64,225,1600 --box 0.05,0.1 --classes 1-4
// [--box-mode absolute|sigma] [--json]`: error against ratio over a U × l × K grid, the Pareto
// front marked, and the baseline quantizers at comparable bits per weight.
class SweepCommand {
public:
    static int run(const CliContext &ctx);
};

} // namespace hc
