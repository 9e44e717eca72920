#include "cli/hypercompcli.h"

#include "cli/compresscommand.h"
#include "cli/decompresscommand.h"
#include "cli/inspectcommand.h"
#include "cli/sweepcommand.h"
#include "cli/verifycommand.h"

#include <functional>
#include <map>
#include <set>

namespace hc {

namespace {

const char *kUsage =
    "usage:\n"
    "  hypercomp inspect MODEL [--json] [--box L]\n"
    "  hypercomp compress MODEL -o ARCHIVE [--config CONFIG.json] [--samples U] [--box L]\n"
    "                     [--classes K | --classes auto:KMAX] [--box-mode absolute|sigma]\n"
    "                     [--mode paper|density|lattice] [--entropy] [--target-bpw B]\n"
    "                     [--target-error E | --target-ratio R] [--export-config CONFIG.json]\n"
    "                     [--report REPORT.json] [--threads N]\n"
    "  hypercomp decompress ARCHIVE -o RESTORED.{safetensors|pt} [--like ORIGINAL_TORCHSCRIPT.pt]\n"
    "  hypercomp sweep MODEL [--layer NAME] [--samples 64,225,1600] [--box 0.05,0.1] [--classes 1-4]\n"
    "                  [--box-mode absolute|sigma] [--modes paper,density,lattice] [--error rel|mae]\n"
    "                  [--json] [--threads N]\n"
    "  hypercomp verify ARCHIVE MODEL [--json] [--threads N]\n"
    "\n"
    "Defaults are the paper's UNet setting: U = 225, l = 0.1, K = auto:3.\n"
    "Modes: paper (the default) codes pairs on the paper's trajectory with fixed-width indices;\n"
    "--entropy rANS-codes those indices (same values, fewer bytes). density companders each tensor\n"
    "and codes it at --target-bpw index bits per weight (1 to 12, default 5; +--entropy: rANS).\n"
    "lattice covers the whole range with a sheared lattice, always rANS-coded, tuned so that each\n"
    "tensor's whole share of the archive takes --target-bpw bits per weight (0.25 to 24, default\n"
    "4.25; tensors too small to reach it take the coarsest lattice).\n"
    "--target-bpw is refused in paper mode, and --target-error/--target-ratio tune the paper mode only.\n"
    "sweep --modes adds paper+rANS variants of the grid (paper), density at 4 and 5 b/w (density)\n"
    "and lattice at 3.5, 4 and 4.25 b/w (lattice) to the table, with a mode column.\n"
    "MODEL is a .safetensors file (or a sharded model.safetensors.index.json), a PyTorch state dict\n"
    "(.pt, .pth, .bin from torch.save) or a TorchScript module (torch.jit.save).\n";

struct CommandSpec {
    std::set<std::string> valued;
    std::set<std::string> switches;
    std::function<int(const CliContext &)> run;
};

const std::map<std::string, CommandSpec> &commands()
{
    static const std::map<std::string, CommandSpec> table{
        {"inspect", {{"--box", "--threads"}, {"--json"}, &InspectCommand::run}},
        {"compress",
         {{"-o", "--output", "--config", "--samples", "--box", "--classes", "--box-mode", "--report", "--threads",
           "--target-error", "--target-ratio", "--export-config", "--mode", "--target-bpw"},
          {"--entropy"},
          &CompressCommand::run}},
        {"decompress", {{"-o", "--output", "--like", "--threads"}, {}, &DecompressCommand::run}},
        {"sweep",
         {{"--layer", "--samples", "--box", "--classes", "--box-mode", "--error", "--threads", "--modes"},
          {"--json"},
          &SweepCommand::run}},
        {"verify", {{"--threads"}, {"--json"}, &VerifyCommand::run}},
    };
    return table;
}

} // namespace

int runHypercomp(const std::vector<std::string> &args, std::ostream &out, std::ostream &err, bool terminal)
{
    if (args.empty()) {
        err << kUsage;
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << kUsage;
        return 0;
    }
    if (args[0] == "--version") {
        out << "hypercomp " << HC_VERSION << "\n";
        return 0;
    }
    const auto it = commands().find(args[0]);
    if (it == commands().end()) {
        err << "hypercomp: unknown command \"" << args[0] << "\"\n" << kUsage;
        return 2;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto &a : rest)
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        }
    auto parsed = CliArguments::parse(args[0], rest, it->second.valued, it->second.switches);
    if (!parsed) {
        err << parsed.error() << "\n";
        return 2;
    }
    const CliContext ctx{args[0], std::move(parsed).value(), out, err, terminal};
    return it->second.run(ctx);
}

} // namespace hc
