#include "cli/compresscommand.h"

#include "cli/terminalprogress.h"
#include "cli/textformat.h"
#include "core/archive/modelcompressor.h"
#include "core/codec/densitymode.h"
#include "core/config/compressionconfig.h"
#include "core/sweep/autotuner.h"
#include "core/sweep/sweepgrid.h"
#include "core/sweep/sweeprunner.h"
#include "core/torch/modelfiles.h"
#include "core/util/atomicfile.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hc {

namespace {

bool samePath(const std::string &a, const std::string &b)
{
    const QFileInfo fa(QString::fromStdString(a)), fb(QString::fromStdString(b));
    return fa.exists() && fb.exists() ? fa.canonicalFilePath() == fb.canonicalFilePath()
                                      : fa.absoluteFilePath() == fb.absoluteFilePath();
}

// Flags on the command line override the config's defaults.
Status applyFlags(const CliContext &ctx, CompressionConfig &config)
{
    if (const auto u = ctx.integer("--samples", config.defaults.samples); !u)
        return Status::failure(u.error());
    else
        config.defaults.samples = int(*u);
    if (const auto l = ctx.real("--box", config.defaults.box); !l)
        return Status::failure(l.error());
    else
        config.defaults.box = *l;
    if (ctx.args.has("--classes")) {
        bool automatic = false;
        const auto k = SweepGrid::parseClasses(ctx.args.value("--classes"), &automatic);
        if (!k || k->size() != 1)
            return Status::failure("the option --classes takes K or auto:KMAX, not \"" + ctx.args.value("--classes") + "\"");
        config.defaults.classes = k->front();
        config.defaults.autoClasses = automatic;
    }
    if (ctx.args.has("--box-mode")) {
        const auto mode = BoxResolver::modeFromName(ctx.args.value("--box-mode"));
        if (!mode)
            return Status::failure("the option --box-mode takes \"absolute\" or \"sigma\", not \"" +
                                   ctx.args.value("--box-mode") + "\"");
        config.boxMode = *mode;
    }
    CompressionConfig::ModeChoice &mode = config.defaultMode;
    if (ctx.args.has("--mode")) {
        CodecMode m = CodecMode::Paper;
        if (!codecModeFromName(ctx.args.value("--mode"), m))
            return Status::failure("the option --mode takes \"paper\", \"density\" or \"lattice\", not \"" +
                                   ctx.args.value("--mode") + "\"");
        if (m != mode.mode)
            mode.targetBitsPerWeight.reset(); // a config's target was meant for its own mode
        mode.mode = m;
    }
    if (ctx.args.has("--entropy"))
        mode.entropy = true;
    if (ctx.args.has("--target-bpw")) {
        if (mode.mode == CodecMode::Paper)
            return Status::failure("the option --target-bpw applies to --mode lattice or density, not to the paper mode "
                                   "(whose size follows from U, l and K)");
        const auto b = ctx.real("--target-bpw", 0);
        if (!b)
            return Status::failure(b.error());
        if (mode.mode == CodecMode::Lattice && !(*b >= 0.25 && *b <= 24))
            return Status::failure("the option --target-bpw takes 0.25 to 24 bits per weight for lattice mode, not \"" +
                                   ctx.args.value("--target-bpw") + "\"");
        if (mode.mode == CodecMode::Density && DensityMode::sideFor(*b) == 0)
            return Status::failure("the option --target-bpw takes 1 to 12 bits per weight for density mode, not \"" +
                                   ctx.args.value("--target-bpw") + "\"");
        mode.targetBitsPerWeight = *b;
    }
    // Recorded explicitly, so that an exported config says what was used.
    if (mode.mode != CodecMode::Paper && !mode.targetBitsPerWeight)
        mode.targetBitsPerWeight = CompressionConfig::defaultTargetBitsPerWeight(mode.mode);
    return config.validate("the command line");
}

// Sweeps every layer over the default grid (around the config's own setting) and lets the
// auto-tuner pick per layer; the picks become layer overrides.
Status autoTune(const CliContext &ctx, const ModelSource &model, CompressionConfig &config, int threads)
{
    const bool byError = ctx.args.has("--target-error");
    const auto target = byError ? ctx.real("--target-error", 0) : ctx.real("--target-ratio", 0);
    if (!target)
        return Status::failure(target.error());
    SweepGrid grid;
    grid.boxMode = config.boxMode;
    if (config.boxMode == BoxMode::Sigma)
        grid.boxes = {1.0, 2.0, 3.0, 4.0};
    TerminalProgress progress(ctx.err, ctx.terminal);
    progress.setStep("auto-tune: sweeping " + std::to_string(grid.size()) + " configs per layer");
    SweepOptions options;
    options.threads = threads;
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < model.tensors().size(); ++i)
        if (!config.skipped(model.tensors()[i].name))
            indices.push_back(i);
    auto sweep = SweepRunner::runModel(model, grid, options, &progress, indices);
    progress.finish();
    if (!sweep)
        return Status::failure(model.path() + ": " + sweep.error());
    auto tuned = byError ? AutoTuner::forMaxError(sweep->layers, *target) : AutoTuner::forTargetRatio(sweep->layers, *target);
    if (!tuned)
        return Status::failure(tuned.error());
    for (const LayerChoice &c : tuned->layers) {
        if (c.raw)
            continue;
        CompressionConfig::LayerOverride o;
        o.samples = c.point.params.samples;
        o.box = c.point.params.box;
        o.classes = c.point.params.classes;
        o.autoClasses = c.point.params.autoClasses;
        config.layers[c.name] = o;
    }
    ctx.err << "auto-tune: " << (byError ? "maximum relative error per layer " : "target ratio ")
            << formatNumber(*target, 4) << (tuned->targetMet ? " met" : " NOT met (the closest configs were chosen)")
            << "; expected ratio " << formatNumber(tuned->totals.ratio, 4) << ", relative error "
            << formatNumber(tuned->totals.metrics.relFro, 4) << "\n";
    return {};
}

} // namespace

int CompressCommand::run(const CliContext &ctx)
{
    if (ctx.args.positionals().size() != 1)
        return ctx.fail("needs exactly one MODEL file (hypercomp compress MODEL -o ARCHIVE)");
    const std::string modelPath = ctx.args.positionals()[0];
    const std::string archivePath = ctx.args.has("-o") ? ctx.args.value("-o") : ctx.args.value("--output");
    if (archivePath.empty())
        return ctx.fail("needs an output archive: -o ARCHIVE");
    if (samePath(modelPath, archivePath))
        return ctx.fail(archivePath + ": the archive would overwrite the model it is made from");
    if (ctx.args.has("--target-error") && ctx.args.has("--target-ratio"))
        return ctx.fail("give either --target-error or --target-ratio, not both");
    const auto threads = ctx.integer("--threads", 0);
    if (!threads)
        return ctx.fail(threads.error());

    CompressionConfig config;
    if (ctx.args.has("--config")) {
        auto loaded = CompressionConfig::load(ctx.args.value("--config"));
        if (!loaded)
            return ctx.fail(loaded.error());
        config = std::move(loaded).value();
    }
    if (Status s = applyFlags(ctx, config); !s)
        return ctx.fail(s.error());

    const bool tune = ctx.args.has("--target-error") || ctx.args.has("--target-ratio");
    if (tune && config.defaultMode.mode != CodecMode::Paper)
        return ctx.fail(std::string("--target-error and --target-ratio tune the paper mode's U, l and K; they cannot be "
                                    "combined with the ") + codecModeName(config.defaultMode.mode) + " mode");

    auto model = openModel(modelPath);
    if (!model)
        return ctx.fail(model.error());
    if (tune) {
        if (Status s = autoTune(ctx, **model, config, int(*threads)); !s)
            return ctx.fail(s.error());
    }
    if (ctx.args.has("--export-config")) {
        if (Status s = config.save(ctx.args.value("--export-config")); !s)
            return ctx.fail(s.error());
    }

    EncodeOptions options;
    options.threads = int(*threads);
    TerminalProgress progress(ctx.err, ctx.terminal);
    const ModelCompressor compressor(config, options);
    auto report = compressor.compress(**model, archivePath, &progress);
    progress.finish();
    if (!report)
        return ctx.fail(report.error());

    if (ctx.args.has("--report")) {
        const QByteArray json = QJsonDocument(report->toJson()).toJson(QJsonDocument::Indented);
        if (Status s = writeFileAtomically(ctx.args.value("--report"), json, "the report could not be saved"); !s)
            return ctx.fail(s.error());
    }

    TextTable table({"tensor", "shape", "status", "mode", "U", "l", "K", "bits", "b/w", "rel.err", "SQNR dB", "bytes in",
                     "bytes out"});
    for (const TensorReport &t : report->tensors) {
        const bool c = t.status == TensorStatus::Compressed;
        const bool paper = c && t.mode == CodecMode::Paper;
        const std::string mode = c ? std::string(codecModeName(t.mode)) +
                                         (t.entropy && t.mode != CodecMode::Lattice ? "+rANS" : "")
                                   : "";
        const double bpw = t.numel ? 8.0 * double(t.bytesOut) / double(t.numel) : 0;
        table.addRow({t.name, shapeText(t.shape), c ? "compressed" : "raw: " + t.reason, mode,
                      c && t.samples > 0 ? std::to_string(t.samples) : "", paper ? formatNumber(t.box, 4) : "",
                      paper ? std::to_string(t.classes) : "", c && t.indexBits > 0 ? std::to_string(t.indexBits) : "",
                      formatNumber(bpw, 4), c ? formatNumber(t.errors.relFro, 4) : "",
                      c ? formatNumber(t.errors.sqnrDb, 4) : "", std::to_string(t.bytesIn), std::to_string(t.bytesOut)});
    }
    table.print(ctx.out);
    const auto &tot = report->totals;
    ctx.out << "\n" << archivePath << ": " << formatBytes(tot.bytesIn) << " -> " << formatBytes(tot.bytesOut) << ", ratio "
            << formatNumber(tot.ratio, 4) << " ("
            << formatNumber(tot.numel ? 8.0 * double(tot.bytesOut) / double(tot.numel) : 0, 4) << " bits per weight), MAE " << formatNumber(tot.mae, 4) << ", relative error "
            << formatNumber(tot.relFro, 4) << ", " << formatNumber(tot.paramsPerSecond / 1e6, 4) << " M params/s\n";
    return 0;
}

} // namespace hc
