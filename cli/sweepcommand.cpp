#include "cli/sweepcommand.h"

#include "cli/terminalprogress.h"
#include "cli/textformat.h"
#include "core/baselines/normalfloatquantizer.h"
#include "core/baselines/roundtonearestquantizer.h"
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

    const std::vector<SweepPoint> &points = sweep->totals;
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
            QJsonObject row = metricsJson(p.metrics);
            row.insert(QStringLiteral("samples"), p.params.samples);
            row.insert(QStringLiteral("box"), p.params.box);
            row.insert(QStringLiteral("classes"), p.params.autoClasses ? QJsonValue(QStringLiteral("auto:%1").arg(p.params.classes))
                                                                       : QJsonValue(p.params.classes));
            row.insert(QStringLiteral("classes_used"), p.classesUsed);
            row.insert(QStringLiteral("index_bits"), p.bits);
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
    TextTable table({"", "U", boxMode == BoxMode::Sigma ? "l/sigma" : "l", "K", "bits", "b/w", "ratio", "MAE", "rel.err", "SQNR dB"});
    for (std::size_t i = 0; i < points.size(); ++i) {
        const SweepPoint &p = points[i];
        const std::string k = p.params.autoClasses ? "auto:" + std::to_string(p.params.classes) + "=" + std::to_string(p.classesUsed)
                                                   : std::to_string(p.params.classes);
        table.addRow({onFront.count(i) ? "*" : "", std::to_string(p.params.samples), formatNumber(p.params.box, 4), k,
                      std::to_string(p.bits), formatNumber(p.bitsPerWeight, 4), formatNumber(p.ratio, 4),
                      formatNumber(p.metrics.mae, 4), formatNumber(p.metrics.relFro, 4), formatNumber(p.metrics.sqnrDb, 4)});
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
