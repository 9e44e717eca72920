#include "cli/clicontext.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace hc {

int CliContext::fail(const std::string &message) const
{
    err << "hypercomp " << command << ": " << message << "\n";
    return 1;
}

Result<long long> CliContext::integer(const std::string &name, long long fallback) const
{
    if (!args.has(name))
        return fallback;
    const std::string text = args.value(name);
    char *end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE)
        return Result<long long>::failure("the option " + name + " needs a whole number, not \"" + text + "\"");
    return v;
}

Result<double> CliContext::real(const std::string &name, double fallback) const
{
    if (!args.has(name))
        return fallback;
    const std::string text = args.value(name);
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v))
        return Result<double>::failure("the option " + name + " needs a number, not \"" + text + "\"");
    return v;
}

} // namespace hc
