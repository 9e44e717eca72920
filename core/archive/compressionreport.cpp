#include "core/archive/compressionreport.h"

#include <QJsonArray>

#include <cmath>

namespace hc {

namespace {
QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject CompressionReport::toJson() const
{
    QJsonArray rows;
    for (const auto &t : tensors) {
        const bool compressed = t.status == TensorStatus::Compressed;
        QJsonObject r;
        r.insert(QStringLiteral("name"), QString::fromStdString(t.name));
        QJsonArray shape;
        for (auto d : t.shape)
            shape.append(double(d));
        r.insert(QStringLiteral("shape"), shape);
        r.insert(QStringLiteral("dtype"), QString::fromStdString(t.dtype));
        r.insert(QStringLiteral("numel"), double(t.numel));
        r.insert(QStringLiteral("status"), compressed ? QStringLiteral("compressed") : QStringLiteral("raw"));
        r.insert(QStringLiteral("reason"), QString::fromStdString(t.reason));
        const QJsonValue null(QJsonValue::Null);
        const bool paper = compressed && t.mode == CodecMode::Paper;
        r.insert(QStringLiteral("samples"), compressed && t.samples > 0 ? QJsonValue(t.samples) : null);
        r.insert(QStringLiteral("box"), paper ? QJsonValue(t.box) : null);
        r.insert(QStringLiteral("classes"), paper ? QJsonValue(t.classes) : null);
        r.insert(QStringLiteral("index_bits"), compressed && t.indexBits > 0 ? QJsonValue(t.indexBits) : null);
        r.insert(QStringLiteral("mode"), compressed ? QJsonValue(QLatin1String(codecModeName(t.mode))) : null);
        r.insert(QStringLiteral("entropy"), compressed ? QJsonValue(t.entropy) : null);
        r.insert(QStringLiteral("target_bpw"), compressed && !paper ? number(t.targetBitsPerWeight) : null);
        r.insert(QStringLiteral("bits_per_weight"),
                 t.numel ? number(8.0 * double(t.bytesOut) / double(t.numel)) : null);
        r.insert(QStringLiteral("index_bits_per_pair"), compressed ? number(t.indexBitsPerPair) : null);
        r.insert(QStringLiteral("order0_entropy_bits"), compressed ? number(t.order0BitsPerPair) : null);
        r.insert(QStringLiteral("mae"), number(t.errors.mae));
        r.insert(QStringLiteral("max_abs_err"), number(t.errors.maxAbs));
        r.insert(QStringLiteral("rmse"), number(t.errors.rmse));
        r.insert(QStringLiteral("rel_fro_err"), number(t.errors.relFro));
        r.insert(QStringLiteral("sqnr_db"), compressed ? number(t.errors.sqnrDb) : null);
        r.insert(QStringLiteral("bytes_in"), double(t.bytesIn));
        r.insert(QStringLiteral("bytes_out"), double(t.bytesOut));
        r.insert(QStringLiteral("seconds"), t.seconds);
        rows.append(r);
    }
    QJsonObject tot;
    tot.insert(QStringLiteral("numel"), double(totals.numel));
    tot.insert(QStringLiteral("bytes_in"), double(totals.bytesIn));
    tot.insert(QStringLiteral("bytes_out"), double(totals.bytesOut));
    tot.insert(QStringLiteral("ratio"), number(totals.ratio));
    tot.insert(QStringLiteral("bits_per_weight"),
               totals.numel ? number(8.0 * double(totals.bytesOut) / double(totals.numel)) : QJsonValue(QJsonValue::Null));
    tot.insert(QStringLiteral("mae"), number(totals.mae));
    tot.insert(QStringLiteral("rel_fro_err"), number(totals.relFro));
    tot.insert(QStringLiteral("seconds"), totals.seconds);
    tot.insert(QStringLiteral("params_per_second"), number(totals.paramsPerSecond));

    QJsonObject root;
    root.insert(QStringLiteral("model"), QString::fromStdString(model));
    root.insert(QStringLiteral("settings"), settings);
    root.insert(QStringLiteral("tensors"), rows);
    root.insert(QStringLiteral("totals"), tot);
    return root;
}

} // namespace hc
