#include "cli/cliarguments.h"

namespace hc {

Result<CliArguments> CliArguments::parse(const std::string &command, const std::vector<std::string> &args,
                                         const std::set<std::string> &valued, const std::set<std::string> &switches)
{
    CliArguments a;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg.size() < 2 || arg[0] != '-' || arg == "--") {
            a.m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg, value;
        bool inlineValue = false;
        if (const auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            inlineValue = true;
        }
        if (switches.count(name)) {
            if (inlineValue)
                return Result<CliArguments>::failure("hypercomp " + command + ": the option " + name + " takes no value");
            a.m_switches.insert(name);
        } else if (valued.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size())
                    return Result<CliArguments>::failure("hypercomp " + command + ": the option " + name + " needs a value");
                value = args[++i];
            }
            a.m_values[name] = value;
        } else {
            return Result<CliArguments>::failure("hypercomp " + command + ": unknown option " + name +
                                                 " (see hypercomp --help)");
        }
    }
    return a;
}

std::string CliArguments::value(const std::string &name, const std::string &fallback) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

} // namespace hc
