#include "cli/decompresscommand.h"

#include "cli/terminalprogress.h"
#include "cli/textformat.h"
#include "core/archive/archivereader.h"
#include "core/torch/modelfiles.h"

#include <QFileInfo>

#include <chrono>

namespace hc {

int DecompressCommand::run(const CliContext &ctx)
{
    if (ctx.args.positionals().size() != 1)
        return ctx.fail("needs exactly one ARCHIVE (hypercomp decompress ARCHIVE -o RESTORED)");
    const std::string archivePath = ctx.args.positionals()[0];
    const std::string outPath = ctx.args.has("-o") ? ctx.args.value("-o") : ctx.args.value("--output");
    if (outPath.empty())
        return ctx.fail("needs an output model: -o RESTORED.safetensors or -o RESTORED.pt");
    const std::string like = ctx.args.value("--like");
    for (const std::string &input : {archivePath, like})
        if (!input.empty() && QFileInfo(QString::fromStdString(outPath)).absoluteFilePath() ==
                                  QFileInfo(QString::fromStdString(input)).absoluteFilePath())
            return ctx.fail(outPath + ": the restored model would overwrite its own input");
    const auto threads = ctx.integer("--threads", 0);
    if (!threads)
        return ctx.fail(threads.error());
    auto format = outputFormatFor(outPath, like);
    if (!format)
        return ctx.fail(format.error());

    const auto t0 = std::chrono::steady_clock::now();
    TerminalProgress progress(ctx.err, ctx.terminal);
    ArchiveReader::Options options;
    options.threads = int(*threads);
    auto archive = ArchiveReader::open(archivePath, options, &progress);
    if (!archive)
        return ctx.fail(archive.error());
    const ArchiveReader &reader = **archive;
    std::uint64_t numel = 0;
    for (const auto &t : reader.tensors())
        numel += t.numel();
    progress.setStep("restoring " + outPath);
    const Status s = writeModel(
        outPath, *format, reader.tensors(),
        [&reader](std::size_t i) {
            auto data = reader.read(i);
            return data;
        },
        like, &progress);
    progress.finish();
    if (!s)
        return ctx.fail(s.error());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ctx.out << outPath << ": " << reader.tensors().size() << " tensors, " << numel << " parameters restored as "
            << modelFormatName(*format) << " in " << formatNumber(seconds, 3) << " s ("
            << formatNumber(double(numel) / std::max(seconds, 1e-9) / 1e6, 4) << " M params/s)\n";
    return 0;
}

} // namespace hc
