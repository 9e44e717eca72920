#pragma once

#include "cli/cliarguments.h"

#include <ostream>
#include <string>

namespace hc {

// What every command gets: its parsed arguments, its streams, whether stderr is a terminal.
struct CliContext {
    std::string command;
    CliArguments args;
    std::ostream &out;
    std::ostream &err;
    bool terminal = false;

    // Prints "hypercomp: <message>" on stderr (one sentence, already naming the file) and returns 1.
    int fail(const std::string &message) const;
    // The value of an integer / real option, or an error naming the option.
    Result<long long> integer(const std::string &name, long long fallback) const;
    Result<double> real(const std::string &name, double fallback) const;
};

} // namespace hc
