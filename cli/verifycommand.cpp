#include "cli/verifycommand.h"

#include "cli/terminalprogress.h"
#include "cli/textformat.h"
#include "core/archive/archivereader.h"
#include "core/metrics/errormetrics.h"
#include "core/torch/modelfiles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace hc {

int VerifyCommand::run(const CliContext &ctx)
{
    if (ctx.args.positionals().size() != 2)
        return ctx.fail("needs an ARCHIVE and the MODEL it was made from (hypercomp verify ARCHIVE MODEL)");
    const std::string archivePath = ctx.args.positionals()[0];
    const std::string modelPath = ctx.args.positionals()[1];
    const auto threads = ctx.integer("--threads", 0);
    if (!threads)
        return ctx.fail(threads.error());
    TerminalProgress progress(ctx.err, ctx.terminal);
    auto archive = ArchiveReader::open(archivePath, {true, int(*threads)}, &progress);
    if (!archive)
        return ctx.fail(archive.error());
    auto model = openModel(modelPath);
    if (!model)
        return ctx.fail(model.error());
    const ArchiveReader &reader = **archive;
    const ModelSource &original = **model;

    std::vector<std::string> problems;
    QJsonArray rows;
    TextTable table({"tensor", "status", "MAE", "max err", "rel.err", "SQNR dB", "check"});
    ErrorMetrics total;
    std::uint64_t totalNumel = 0;
    for (std::size_t i = 0; i < reader.tensors().size(); ++i) {
        const TensorInfo &t = reader.tensors()[i];
        const ArchiveEntry &entry = reader.entries()[i];
        progress.setStep(t.name);
        progress.setProgress(double(i) / double(reader.tensors().size()));
        std::string check = "ok";
        ErrorMetrics m;
        const long j = original.indexOf(t.name);
        if (j < 0) {
            check = "missing from the model";
        } else if (original.tensors()[std::size_t(j)].shape != t.shape || original.tensors()[std::size_t(j)].dtype != t.dtype) {
            check = "shape or dtype differs from the model";
        } else {
            auto restored = reader.read(i);
            auto source = original.read(std::size_t(j));
            if (!restored)
                check = restored.error();
            else if (!source)
                check = source.error();
            else if (!entry.compressed()) {
                if (restored->bytes != source->bytes)
                    check = "raw tensor differs from the model";
            } else {
                m = ErrorMetrics::measure(source->view(), restored->view(), int(*threads));
                total = totalNumel ? ErrorMetrics::combine(total, totalNumel, m, t.numel()) : m;
                totalNumel += t.numel();
            }
            original.release(std::size_t(j));
        }
        if (check != "ok")
            problems.push_back("tensor \"" + t.name + "\": " + check);
        const bool c = entry.compressed();
        table.addRow({t.name, c ? "compressed" : "raw", c ? formatNumber(m.mae, 4) : "", c ? formatNumber(m.maxAbs, 4) : "",
                      c ? formatNumber(m.relFro, 4) : "", c ? formatNumber(m.sqnrDb, 4) : "", check});
        QJsonObject row{{QStringLiteral("name"), QString::fromStdString(t.name)},
                        {QStringLiteral("status"), c ? QStringLiteral("compressed") : QStringLiteral("raw")},
                        {QStringLiteral("check"), QString::fromStdString(check)}};
        if (c) {
            row.insert(QStringLiteral("mae"), m.mae);
            row.insert(QStringLiteral("max_abs_err"), m.maxAbs);
            row.insert(QStringLiteral("rel_fro_err"), m.relFro);
            row.insert(QStringLiteral("sqnr_db"), std::isinf(m.sqnrDb) ? QJsonValue() : QJsonValue(m.sqnrDb));
        }
        rows.append(row);
    }
    for (const TensorInfo &t : original.tensors())
        if (reader.indexOf(t.name) < 0)
            problems.push_back("tensor \"" + t.name + "\" of the model is not in the archive");
    progress.finish();

    if (ctx.args.has("--json")) {
        QJsonArray problemList;
        for (const auto &p : problems)
            problemList.append(QString::fromStdString(p));
        const QJsonObject doc{{QStringLiteral("archive"), QString::fromStdString(archivePath)},
                              {QStringLiteral("model"), QString::fromStdString(modelPath)},
                              {QStringLiteral("ok"), problems.empty()},
                              {QStringLiteral("problems"), problemList},
                              {QStringLiteral("tensors"), rows},
                              {QStringLiteral("totals"), QJsonObject{{QStringLiteral("mae"), total.mae},
                                                                     {QStringLiteral("rel_fro_err"), total.relFro},
                                                                     {QStringLiteral("compressed_numel"), double(totalNumel)}}}};
        ctx.out << QJsonDocument(doc).toJson(QJsonDocument::Indented).toStdString();
    } else {
        table.print(ctx.out);
        ctx.out << "\n";
        if (problems.empty())
            ctx.out << archivePath << ": intact and matches " << modelPath << " (checksums verified; compressed tensors: MAE "
                    << formatNumber(total.mae, 4) << ", relative error " << formatNumber(total.relFro, 4) << ")\n";
    }
    if (!problems.empty())
        return ctx.fail(archivePath + " does not match " + modelPath + ": " + problems.front() +
                        (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : ""));
    return 0;
}

} // namespace hc
