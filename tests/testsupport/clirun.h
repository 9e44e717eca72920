#pragma once

// Runs the `hypercomp` command line in-process and keeps what it printed, for the CLI tests.

#include "cli/hypercompcli.h"

#include <sstream>
#include <string>
#include <vector>

namespace hc::testsupport {

struct CliRun {
    int status = 0;
    std::string out, err;
};

inline CliRun hypercomp(const std::vector<std::string> &args)
{
    std::ostringstream out, err;
    CliRun r;
    r.status = runHypercomp(args, out, err, false);
    r.out = out.str();
    r.err = err.str();
    return r;
}

} // namespace hc::testsupport
