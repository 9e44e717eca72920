#pragma once

#include "core/util/result.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace hc {

// A small parser for `hypercomp COMMAND [ARGS]`: positionals, `--name value`, `--name=value`,
// `-o value` and boolean switches. Each command declares what it accepts, so a typo gets a clear
// error instead of being ignored.
class CliArguments {
public:
    // `valued`: options that take a value (e.g. "--samples", "-o"); `switches`: options without one.
    static Result<CliArguments> parse(const std::string &command, const std::vector<std::string> &args,
                                      const std::set<std::string> &valued, const std::set<std::string> &switches);

    const std::vector<std::string> &positionals() const { return m_positionals; }
    bool has(const std::string &name) const { return m_values.count(name) || m_switches.count(name); }
    std::string value(const std::string &name, const std::string &fallback = {}) const;

private:
    std::vector<std::string> m_positionals;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_switches;
};

} // namespace hc
