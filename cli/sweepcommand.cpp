#include "cli/sweepcommand.h"

#include "cli/terminalprogress.h"
#include "cli/textformat.h"
#include "core/baselines/normalfloatquantizer.h"
#include "core/baselines/roundtonearestquantizer.h"
#include "core/archive/archiveformat.h"
#include "core/archive/modelcompressor.h"
#include "core/codec/bitpacker.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodec.h"
#include "core/sweep/paretofront.h"
#include "core/sweep/sweepgrid.h"
#include "core/sweep/sweeprunner.h"
#include "core/torch/modelfiles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

namespace hc {

namespace {

QJsonObject metricsJson(const ErrorMetrics &m)
{
    return {{QStringLiteral("mae"), m.mae},
            {QStringLiteral("max_abs_err"), m.maxAbs},
            {QStringLiteral("rmse"), m.rmse},
            {QStringLiteral("rel_fro_err"), m.relFro},
            {QStringLiteral("sqnr_db"), std::isinf(m.sqnrDb) ? QJsonValue(QStringLiteral("inf")) : QJsonValue(m.sqnrDb)}};
}

// A baseline evaluated on every compressible layer, totalled by parameter count.
struct BaselineTotal {
    std::string name;
    double bitsPerWeight = 0;
    ErrorMetrics metrics;
    std::uint64_t numel = 0;
    std::uint64_t bytesIn = 0;
    bool ok = true;
    double ratio() const { return bitsPerWeight > 0 ? 8.0 * double(bytesIn) / (bitsPerWeight * double(numel)) : 0; }
};

// One extra family of points that `--modes` adds: a coding other than the fixed-width paper grid.
struct ModeVariant {
    CodecMode mode = CodecMode::Paper;
    bool entropy = false;
    double target = 0;            // lattice / density: bits per weight
    std::size_t gridIndex = 0;    // paper + entropy: the grid point it re-codes
    std::vector<SweepPoint> perLayer; // one per compressible layer, in sweep order
    SweepPoint total;

    std::string label() const
    {
        return std::string(codecModeName(mode)) + (entropy && mode != CodecMode::Lattice ? "+rANS" : "");
    }
};

Result<std::vector<ModeVariant>> parseModes(const std::string &text, const SweepGrid &grid)
{
    using R = Result<std::vector<ModeVariant>>;
    std::set<std::string> names;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string name = text.substr(start, comma - start);
        CodecMode m;
        if (!codecModeFromName(name, m))
            return R::failure("the option --modes takes a comma-separated list of paper, density and lattice, not \"" +
                              text + "\" (\"" + name + "\" is not a mode)");
        names.insert(name);
        start = comma + 1;
    }
    std::vector<ModeVariant> out;
    if (names.count("paper"))
        for (std::size_t i = 0; i < grid.size(); ++i) {
            ModeVariant v;
            v.entropy = true;
            v.gridIndex = i;
            out.push_back(v);
        }
    if (names.count("density"))
        for (bool entropy : {false, true})
            for (double b : {4.0, 5.0}) {
                ModeVariant v;
                v.mode = CodecMode::Density;
                v.entropy = entropy;
                v.target = b;
                out.push_back(v);
            }
    if (names.count("lattice"))
        for (double b : {3.5, 4.0, 4.25}) {
            ModeVariant v;
            v.mode = CodecMode::Lattice;
            v.entropy = true;
            v.target = b;
            out.push_back(v);
        }
    return out;
}

// Evaluates every variant on one layer: encode, decode into the tensor's dtype, measure, and size
// it as the only tensor of an archive (as the paper grid's points are).
Status evaluateVariants(const std::string &name, const TensorView &w, const std::vector<std::int64_t> &shape,
                        const LayerSweep &layer, std::vector<ModeVariant> &variants, int threads,
                        ProgressSink *progress)
{
    std::vector<std::uint8_t> restored(w.byteSize());
    for (std::size_t v = 0; v < variants.size(); ++v) {
        ModeVariant &var = variants[v];
        if (progress) {
            if (progress->cancelRequested())
                return Status::failure("the sweep was cancelled");
            progress->setProgress(double(v) / double(variants.size()));
        }
        SweepPoint p;
        if (var.mode == CodecMode::Paper) {
            p = layer.points[var.gridIndex];
            CodecParams params = p.params;
            params.box = p.absoluteBox;
            EncodeOptions eo;
            eo.threads = threads;
            auto e = HyperCodec::encode(w, shape, params, eo);
            if (!e)
                return Status::failure("tensor '" + name + "': " + e.error());
            // Same indices as the fixed-width point: same errors, only the size changes.
            p.bytesOut = ArchiveFormat::standaloneBytes(name, ModeCodec::fromPaper(*e, true, threads));
        } else {
            ModeOptions o;
            o.mode = var.mode;
            o.entropy = var.entropy;
            o.targetBitsPerWeight = var.target;
            o.threads = threads;
            auto e = ModelCompressor::encodeMode(name, w, shape, o); // as `compress` would store it
            if (!e)
                return Status::failure("tensor '" + name + "': " + e.error());
            if (Status st = e->decode(restored.data(), threads); !st)
                return Status::failure("tensor '" + name + "': " + st.error());
            p.metrics = ErrorMetrics::measure(w, {restored.data(), w.dtype, w.numel}, threads);
            p.params.samples = 0; // no U unless the mode has one (density below)
            p.numel = w.numel;
            p.bytesIn = layer.bytesIn;
            p.bytesOut = ArchiveFormat::standaloneBytes(name, *e);
            if (var.mode == CodecMode::Density) {
                const std::uint32_t u = std::uint32_t(e->density.side) * std::uint32_t(e->density.side);
                p.params.samples = int(u);
                p.bits = BitPacker::bitLength(u - 1);
            }
        }
        p.bitsPerWeight = p.numel ? 8.0 * double(p.bytesOut) / double(p.numel) : 0;
        p.ratio = p.bytesOut ? double(p.bytesIn) / double(p.bytesOut) : 0;
        var.perLayer.push_back(p);
    }
    return {};
}

} // namespace

int SweepCommand::run(const CliContext &ctx)
{
    if (ctx.args.positionals().size() != 1)
        return ctx.fail("needs exactly one MODEL file (hypercomp sweep MODEL [--layer NAME] ...)");
    const std::string path = ctx.args.positionals()[0];
    BoxMode boxMode = BoxMode::Absolute;
    if (ctx.args.has("--box-mode")) {
        const auto mode = BoxResolver::modeFromName(ctx.args.value("--box-mode"));
        if (!mode)
            return ctx.fail("the option --box-mode takes \"absolute\" or \"sigma\", not \"" + ctx.args.value("--box-mode") + "\"");
        boxMode = *mode;
    }
    auto grid = SweepGrid::parse(ctx.args.value("--samples"), ctx.args.value("--box"), ctx.args.value("--classes"), boxMode);
    if (!grid)
        return ctx.fail(grid.error());
    const auto threads = ctx.integer("--threads", 0);
    if (!threads)
        return ctx.fail(threads.error());
    const std::string measureName = ctx.args.value("--error", "rel");
    if (measureName != "rel" && measureName != "mae")
        return ctx.fail("the option --error takes \"rel\" or \"mae\", not \"" + measureName + "\"");
    const ErrorMeasure measure = measureName == "mae" ? ErrorMeasure::Mae : ErrorMeasure::RelativeError;

    auto model = openModel(path);
    if (!model)
        return ctx.fail(model.error());
    const ModelSource &src = **model;
    std::vector<std::size_t> indices;
    if (ctx.args.has("--layer")) {
        const long i = src.indexOf(ctx.args.value("--layer"));
        if (i < 0)
            return ctx.fail(path + ": there is no tensor named \"" + ctx.args.value("--layer") + "\"");
        indices.push_back(std::size_t(i));
    }

    TerminalProgress progress(ctx.err, ctx.terminal);
    progress.setStep("sweep " + std::to_string(grid->size()) + " configs");
    SweepOptions options;
    options.threads = int(*threads);
    auto sweep = SweepRunner::runModel(src, *grid, options, &progress, indices);
    progress.finish();
    if (!sweep)
        return ctx.fail(path + ": " + sweep.error());
    if (indices.size() == 1 && sweep->layers.size() == 1 && sweep->layers[0].raw)
        return ctx.fail(path + ": the tensor \"" + sweep->layers[0].name + "\" is stored raw: " + sweep->layers[0].rawReason);

    std::vector<ModeVariant> variants;
    if (ctx.args.has("--modes")) {
        auto parsed = parseModes(ctx.args.value("--modes"), sweep->grid);
        if (!parsed)
            return ctx.fail(parsed.error());
        variants = std::move(parsed).value();
        std::uint64_t rawBytes = 0;
        std::size_t done = 0, compressible = 0;
        for (const LayerSweep &layer : sweep->layers)
            compressible += layer.raw ? 0 : 1;
        TerminalProgress modeProgress(ctx.err, ctx.terminal);
        for (const LayerSweep &layer : sweep->layers) {
            if (layer.raw) {
                rawBytes += layer.bytesIn;
                continue;
            }
            modeProgress.setStep("modes: " + layer.name + " (" + std::to_string(++done) + " of " +
                                 std::to_string(compressible) + ")");
            const std::size_t i = std::size_t(src.indexOf(layer.name));
            auto data = src.read(i);
            if (!data)
                return ctx.fail(data.error());
            const Status st = evaluateVariants(layer.name, data->view(), src.tensors()[i].shape, layer, variants,
                                               int(*threads), &modeProgress);
            src.release(i);
            if (!st)
                return ctx.fail(path + ": " + st.error());
        }
        modeProgress.finish();
        for (ModeVariant &v : variants) {
            std::vector<const SweepPoint *> chosen;
            for (const SweepPoint &p : v.perLayer)
                chosen.push_back(&p);
            v.total = SweepRunner::total(chosen, rawBytes);
            if (v.mode == CodecMode::Paper)
                v.total.params = sweep->grid.point(v.gridIndex);
            else if (v.mode == CodecMode::Density && !v.perLayer.empty())
                v.total.params.samples = v.perLayer.front().params.samples;
        }
    }
    // The paper grid first, then the variants: the front compares every mode.
    std::vector<SweepPoint> points = sweep->totals;
    for (const ModeVariant &v : variants)
        points.push_back(v.total);
    const std::size_t gridPoints = sweep->totals.size();
    const bool withModes = ctx.args.has("--modes");
    auto variantOf = [&](std::size_t i) -> const ModeVariant * { return i < gridPoints ? nullptr : &variants[i - gridPoints]; };
    const auto front = ParetoFront::compute(points, measure);
    const std::set<std::size_t> onFront(front.begin(), front.end());

    // Baselines at the bits per weight the sweep spans: what a user would pick instead.
    std::set<double> budgets;
    for (const auto &p : points)
        budgets.insert(std::round(p.bitsPerWeight * 2) / 2);
    std::vector<BaselineTotal> baselines;
    auto addBaseline = [&](const std::string &name, auto evaluate) {
        BaselineTotal total;
        total.name = name;
        double bits = 0;
        for (const LayerSweep &layer : sweep->layers) {
            if (layer.raw)
                continue;
            const long i = src.indexOf(layer.name);
            auto data = src.read(std::size_t(i));
            if (!data) {
                total.ok = false;
                break;
            }
            auto r = evaluate(data->view());
            if (!r) {
                total.ok = false;
                break;
            }
            total.metrics = total.numel ? ErrorMetrics::combine(total.metrics, total.numel, r->metrics, layer.numel) : r->metrics;
            bits += r->bitsPerWeight * double(layer.numel);
            total.numel += layer.numel;
            total.bytesIn += layer.bytesIn;
        }
        total.bitsPerWeight = total.numel ? bits / double(total.numel) : 0;
        if (total.ok && total.numel)
            baselines.push_back(total);
    };
    for (double b : budgets) {
        if (b < 2 || b > 16)
            continue;
        addBaseline("RTN per tensor", [&](const TensorView &v) { return RoundToNearestQuantizer::evaluate(v, b, 0, int(*threads)); });
        addBaseline("RTN group 128", [&](const TensorView &v) { return RoundToNearestQuantizer::evaluate(v, b, 128, int(*threads)); });
    }
    addBaseline("NF4 block 64", [&](const TensorView &v) { return NormalFloatQuantizer::evaluate(v, 64, int(*threads)); });

    const std::string scope = indices.empty() ? "whole model" : "layer " + src.tensors()[indices[0]].name;
    if (ctx.args.has("--json")) {
        QJsonArray rows;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const SweepPoint &p = points[i];
            const ModeVariant *v = variantOf(i);
            const bool paper = !v || v->mode == CodecMode::Paper;
            const QJsonValue null(QJsonValue::Null);
            QJsonObject row = metricsJson(p.metrics);
            if (withModes) {
                row.insert(QStringLiteral("mode"), QLatin1String(v ? codecModeName(v->mode) : "paper"));
                row.insert(QStringLiteral("entropy"), v ? v->entropy : false);
                row.insert(QStringLiteral("target_bpw"), v && !paper ? QJsonValue(v->target) : null);
            }
            row.insert(QStringLiteral("samples"), paper || p.params.samples ? QJsonValue(p.params.samples) : null);
            row.insert(QStringLiteral("box"), paper ? QJsonValue(p.params.box) : null);
            row.insert(QStringLiteral("classes"), !paper ? null
                                                  : p.params.autoClasses ? QJsonValue(QStringLiteral("auto:%1").arg(p.params.classes))
                                                                         : QJsonValue(p.params.classes));
            row.insert(QStringLiteral("classes_used"), paper ? QJsonValue(p.classesUsed) : null);
            row.insert(QStringLiteral("index_bits"), paper || p.bits ? QJsonValue(p.bits) : null);
            row.insert(QStringLiteral("bits_per_weight"), p.bitsPerWeight);
            row.insert(QStringLiteral("ratio"), p.ratio);
            row.insert(QStringLiteral("bytes_in"), double(p.bytesIn));
            row.insert(QStringLiteral("bytes_out"), double(p.bytesOut));
            row.insert(QStringLiteral("pareto"), onFront.count(i) > 0);
            rows.append(row);
        }
        QJsonArray base;
        for (const auto &b : baselines) {
            QJsonObject row = metricsJson(b.metrics);
            row.insert(QStringLiteral("name"), QString::fromStdString(b.name));
            row.insert(QStringLiteral("bits_per_weight"), b.bitsPerWeight);
            row.insert(QStringLiteral("ratio"), b.ratio());
            base.append(row);
        }
        QJsonObject doc{{QStringLiteral("model"), QString::fromStdString(path)},
                        {QStringLiteral("scope"), QString::fromStdString(scope)},
                        {QStringLiteral("box_mode"), QString::fromLatin1(BoxResolver::modeName(boxMode))},
                        {QStringLiteral("points"), rows},
                        {QStringLiteral("baselines"), base}};
        ctx.out << QJsonDocument(doc).toJson(QJsonDocument::Indented).toStdString();
        return 0;
    }

    ctx.out << path << ": sweep of " << points.size() << " configs over the " << scope << " (* = Pareto front, "
            << (measure == ErrorMeasure::Mae ? "MAE" : "relative error") << " against ratio)\n\n";
    std::vector<std::string> header{"", "U", boxMode == BoxMode::Sigma ? "l/sigma" : "l", "K", "bits", "b/w", "ratio", "MAE",
                                    "rel.err", "SQNR dB"};
    if (withModes)
        header.insert(header.begin() + 1, "mode");
    TextTable table(header);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const SweepPoint &p = points[i];
        const ModeVariant *v = variantOf(i);
        const bool paper = !v || v->mode == CodecMode::Paper;
        const std::string k = !paper ? ""
                              : p.params.autoClasses ? "auto:" + std::to_string(p.params.classes) + "=" + std::to_string(p.classesUsed)
                                                     : std::to_string(p.params.classes);
        std::vector<std::string> row{onFront.count(i) ? "*" : "", paper || p.params.samples ? std::to_string(p.params.samples) : "",
                                     paper ? formatNumber(p.params.box, 4) : "", k,
                                     paper || p.bits ? std::to_string(p.bits) : "", formatNumber(p.bitsPerWeight, 4),
                                     formatNumber(p.ratio, 4), formatNumber(p.metrics.mae, 4),
                                     formatNumber(p.metrics.relFro, 4), formatNumber(p.metrics.sqnrDb, 4)};
        if (withModes)
            row.insert(row.begin() + 1, v ? v->label() + (paper ? "" : " @" + formatNumber(v->target, 3)) : "paper");
        table.addRow(row);
    }
    table.print(ctx.out);
    if (!baselines.empty()) {
        ctx.out << "\nbaselines (what a user would pick instead):\n\n";
        TextTable base({"quantizer", "b/w", "ratio", "MAE", "rel.err", "SQNR dB"});
        for (const auto &b : baselines)
            base.addRow({b.name, formatNumber(b.bitsPerWeight, 4), formatNumber(b.ratio(), 4),
                         formatNumber(b.metrics.mae, 4), formatNumber(b.metrics.relFro, 4), formatNumber(b.metrics.sqnrDb, 4)});
        base.print(ctx.out);
    }
    return 0;
}

} // namespace hc
