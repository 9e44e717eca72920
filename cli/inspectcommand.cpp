#include "cli/inspectcommand.h"

#include "cli/terminalprogress.h"
#include "cli/textformat.h"
#include "core/metrics/tensorstatistics.h"
#include "core/torch/modelfiles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace hc {

int InspectCommand::run(const CliContext &ctx)
{
    if (ctx.args.positionals().size() != 1)
        return ctx.fail("needs exactly one MODEL file (hypercomp inspect MODEL [--json])");
    const std::string path = ctx.args.positionals()[0];
    const auto box = ctx.real("--box", 0.1);
    if (!box)
        return ctx.fail(box.error());
    const auto threads = ctx.integer("--threads", 0);
    if (!threads)
        return ctx.fail(threads.error());
    auto model = openModel(path);
    if (!model)
        return ctx.fail(model.error());
    const ModelSource &src = **model;
    TerminalProgress progress(ctx.err, ctx.terminal);

    QJsonArray rows;
    TextTable table({"name", "shape", "dtype", "params", "sigma", "kurtosis", "outer"});
    std::uint64_t totalNumel = 0, totalBytes = 0;
    for (std::size_t i = 0; i < src.tensors().size(); ++i) {
        const TensorInfo &t = src.tensors()[i];
        progress.setStep(t.name);
        progress.setProgress(double(i) / double(src.tensors().size()));
        totalNumel += t.numel();
        totalBytes += t.byteSize;
        QJsonObject row{{QStringLiteral("name"), QString::fromStdString(t.name)},
                        {QStringLiteral("shape"), shapeJson(t.shape)},
                        {QStringLiteral("dtype"), QString::fromStdString(t.dtypeName)},
                        {QStringLiteral("numel"), double(t.numel())},
                        {QStringLiteral("bytes"), double(t.byteSize)}};
        std::vector<std::string> cells{t.name, shapeText(t.shape), t.dtypeName, std::to_string(t.numel()), "", "", ""};
        if (isCompressibleFloat(t.dtype) && t.numel() > 0) {
            TensorView view = src.view(i);
            Result<TensorData> owned = Result<TensorData>::failure({});
            if (!view.data) {
                owned = src.read(i);
                if (!owned)
                    return ctx.fail(owned.error());
                view = owned->view();
            }
            const TensorStatistics s = TensorStatistics::compute(view, int(*threads));
            const double outer = TensorStatistics::outerShare(view, *box, s.pairCentreX, s.pairCentreY, int(*threads));
            row.insert(QStringLiteral("mean"), s.mean);
            row.insert(QStringLiteral("std"), s.stddev);
            row.insert(QStringLiteral("kurtosis"), s.excessKurtosis);
            row.insert(QStringLiteral("min"), s.minimum);
            row.insert(QStringLiteral("max"), s.maximum);
            row.insert(QStringLiteral("finite"), s.finite);
            row.insert(QStringLiteral("outer_share"), outer);
            cells[4] = formatNumber(s.stddev, 4);
            cells[5] = formatNumber(s.excessKurtosis, 3);
            cells[6] = formatPercent(outer);
        }
        rows.append(row);
        table.addRow(cells);
    }
    progress.finish();

    if (ctx.args.has("--json")) {
        QJsonObject doc{{QStringLiteral("model"), QString::fromStdString(path)},
                        {QStringLiteral("format"), QString::fromStdString(src.formatName())},
                        {QStringLiteral("box"), *box},
                        {QStringLiteral("tensors"), rows},
                        {QStringLiteral("totals"), QJsonObject{{QStringLiteral("tensors"), double(src.tensors().size())},
                                                               {QStringLiteral("numel"), double(totalNumel)},
                                                               {QStringLiteral("bytes"), double(totalBytes)}}}};
        ctx.out << QJsonDocument(doc).toJson(QJsonDocument::Indented).toStdString();
        return 0;
    }
    ctx.out << path << ": " << src.formatName() << ", " << src.tensors().size() << " tensors, " << totalNumel
            << " parameters, " << formatBytes(totalBytes) << "\n"
            << "outer = share of pairs outside the centre box of side l = " << formatNumber(*box, 4) << "\n\n";
    table.print(ctx.out);
    return 0;
}

} // namespace hc
