#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hc {

// The `hypercomp` command line, callable in-process (tests) or from main(). Writes results to
// `out`, errors as one sentence to `err`; progress goes to `err` only when `terminal` is true.
// Returns the process exit status: 0 success, 1 a failure (bad file, bad value), 2 a usage error.
int runHypercomp(const std::vector<std::string> &args, std::ostream &out, std::ostream &err, bool terminal = false);

} // namespace hc
