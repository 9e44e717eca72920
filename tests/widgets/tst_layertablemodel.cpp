#include "core/tensor/tensorview.h"
#include "widgets/layertablemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace hc;

namespace {

LayerRecord record(const char *name, std::vector<std::int64_t> shape, DType dtype = DType::F32)
{
    LayerRecord r;
    r.name = name;
    r.shape = std::move(shape);
    r.dtype = dtype;
    r.dtypeName = dtypeName(dtype);
    r.numel = shapeNumel(r.shape);
    r.compressible = isCompressibleFloat(dtype) && r.numel >= 10;
    return r;
}

std::vector<LayerRecord> sampleLayers()
{
    return {record("encoder.weight", {100, 10}),      // 1000
            record("encoder.bias", {9}),              // 9: raw
            record("decoder.weight", {10, 10}),       // 100
            record("decoder.bias", {10}),             // 10
            record("step", {2}, DType::I64)};         // raw
}

QStringList column(const QAbstractItemModel &m, int col)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, col).data().toString();
    return out;
}

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *n : list)
        out << QString::fromUtf8(n);
    return out;
}

} // namespace

class TestLayerTableModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelTester()
    {
        LayerTableModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(LayerTableModel::SortRole);
        QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLayers(sampleLayers(), CodecParams{});
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(LayerTableModel::ColumnCount));
        model.setStatistics(0, 0.02, 3.5, 0.001, -0.002);
        model.setOuterShare(0, 0.25, 0.1);
        model.setOverride(2, CodecParams{400, 0.05, 2, false, 0.001});
        model.setEvaluation(0, CodecParams{}, 6.4, 0.12, 3);
        proxy.sort(LayerTableModel::SigmaColumn, Qt::DescendingOrder);
        proxy.setFilterFixedString(QStringLiteral("coder"));
        model.setDefaults(CodecParams{64, 0.2, 1, true, 0.001});
        model.clearAllOverrides();
        model.clear();
        QCOMPARE(proxy.rowCount(), 0);
    }

    void display()
    {
        LayerTableModel model;
        model.setLayers(sampleLayers(), CodecParams{});
        QCOMPARE(model.index(0, LayerTableModel::NameColumn).data().toString(), QStringLiteral("encoder.weight"));
        QCOMPARE(model.index(0, LayerTableModel::ShapeColumn).data().toString(), QStringLiteral("100 × 10"));
        QCOMPARE(model.index(0, LayerTableModel::ParametersColumn).data().toString(), QStringLiteral("1\u00A0000"));
        QCOMPARE(model.index(0, LayerTableModel::DTypeColumn).data().toString(), QStringLiteral("F32"));
        // Statistics still being computed, and raw layers that never get any.
        QCOMPARE(model.index(0, LayerTableModel::SigmaColumn).data().toString(), QStringLiteral("…"));
        QCOMPARE(model.index(1, LayerTableModel::SigmaColumn).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(1, LayerTableModel::ConfigColumn).data().toString(), QStringLiteral("raw"));
        QCOMPARE(model.index(4, LayerTableModel::CompressibleRole).data(LayerTableModel::CompressibleRole).toBool(), false);
        QVERIFY(model.index(0, LayerTableModel::RatioColumn).data().toString().isEmpty());

        model.setStatistics(0, 0.0213, 4.567, 0, 0);
        QCOMPARE(model.index(0, LayerTableModel::SigmaColumn).data().toString(), QStringLiteral("0.0213"));
        QCOMPARE(model.index(0, LayerTableModel::KurtosisColumn).data().toString(), QStringLiteral("4.57"));
        model.setOuterShare(0, 0.25, 0.1);
        QCOMPARE(model.index(0, LayerTableModel::OuterShareColumn).data().toString(), QStringLiteral("25.0 %"));
        model.setEvaluation(0, CodecParams{}, 6.4, 0.1234, 3);
        QCOMPARE(model.index(0, LayerTableModel::RatioColumn).data().toString(), QStringLiteral("6.40×"));
        QCOMPARE(model.index(0, LayerTableModel::RelErrorColumn).data().toString(), QStringLiteral("12.3 %"));
        QCOMPARE(model.index(0, LayerTableModel::ConfigColumn).data().toString(), QStringLiteral("U 225 · l 0.1 · K≤3"));
        QCOMPARE(model.headerData(LayerTableModel::SigmaColumn, Qt::Horizontal).toString(), QStringLiteral("σ"));
    }

    void staleResultsAreIgnored()
    {
        LayerTableModel model;
        model.setLayers(sampleLayers(), CodecParams{});
        CodecParams other;
        other.samples = 64;
        model.setEvaluation(0, other, 9.0, 0.3, 2); // for settings the layer no longer has
        QVERIFY(!model.layer(0).evaluated);
        model.setOuterShare(0, 0.5, 0.7); // for another l
        QVERIFY(!model.layer(0).outerShareReady);
        model.setEvaluation(0, CodecParams{}, 6.0, 0.1, 3);
        QVERIFY(model.layer(0).evaluated);
        // New settings invalidate the old result.
        model.setOverride(0, other);
        QVERIFY(!model.layer(0).evaluated);
        QVERIFY(model.index(0, LayerTableModel::RatioColumn).data().toString().isEmpty());
    }

    void sortingIsNumeric()
    {
        LayerTableModel model;
        model.setLayers(sampleLayers(), CodecParams{});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(LayerTableModel::SortRole);
        // As text "1 000" < "10" < "100" < "2" < "9"; as numbers 2 < 9 < 10 < 100 < 1000.
        proxy.sort(LayerTableModel::ParametersColumn, Qt::AscendingOrder);
        QCOMPARE(column(proxy, LayerTableModel::NameColumn),
                 names({"step", "encoder.bias", "decoder.bias", "decoder.weight", "encoder.weight"}));
        model.setStatistics(0, 0.5, 0, 0, 0);
        model.setStatistics(2, 0.05, 0, 0, 0);
        model.setStatistics(3, 2.0, 0, 0, 0);
        proxy.sort(LayerTableModel::SigmaColumn, Qt::DescendingOrder);
        QCOMPARE(column(proxy, LayerTableModel::NameColumn).mid(0, 3),
                 names({"decoder.bias", "encoder.weight", "decoder.weight"}));
        // The sort follows later changes.
        proxy.setDynamicSortFilter(true);
        model.setStatistics(2, 9.0, 0, 0, 0);
        QCOMPARE(proxy.index(0, LayerTableModel::NameColumn).data().toString(), QStringLiteral("decoder.weight"));
        QCOMPARE(proxy.index(0, 0).data(LayerTableModel::LayerIndexRole).toInt(), 2);
    }

    void filtering()
    {
        LayerTableModel model;
        model.setLayers(sampleLayers(), CodecParams{});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterKeyColumn(LayerTableModel::NameColumn);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy.setFilterFixedString(QStringLiteral("BIAS"));
        QCOMPARE(column(proxy, LayerTableModel::NameColumn), names({"encoder.bias", "decoder.bias"}));
        proxy.setFilterFixedString(QStringLiteral("decoder."));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setFilterFixedString(QStringLiteral("nothing like this"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterFixedString(QString());
        QCOMPARE(proxy.rowCount(), 5);
    }

    void overrides()
    {
        LayerTableModel model;
        model.setLayers(sampleLayers(), CodecParams{});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const CodecParams mine{400, 0.05, 2, false, 0.001};
        model.setOverride(2, mine);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.overrideCount(), 1);
        const QModelIndex config = model.index(2, LayerTableModel::ConfigColumn);
        QCOMPARE(config.data().toString(), QStringLiteral("U 400 · l 0.05 · K 2 *"));
        QVERIFY(config.data(LayerTableModel::OverriddenRole).toBool());
        QVERIFY(config.data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.index(0, LayerTableModel::ConfigColumn).data(Qt::FontRole).value<QFont>().bold());

        // New defaults reach every layer but the overridden one.
        const CodecParams defaults{64, 0.2, 1, true, 0.001};
        model.setDefaults(defaults);
        QCOMPARE(model.index(0, LayerTableModel::ConfigColumn).data().toString(), QStringLiteral("U 64 · l 0.2 · K≤1"));
        QVERIFY(LayerTableModel::sameParams(model.layer(2).params, mine));

        // An override equal to the defaults is no override.
        model.setOverride(3, defaults);
        QVERIFY(!model.layer(3).overridden);

        model.clearOverride(2);
        QCOMPARE(model.overrideCount(), 0);
        QCOMPARE(model.index(2, LayerTableModel::ConfigColumn).data().toString(), QStringLiteral("U 64 · l 0.2 · K≤1"));
        QVERIFY(!model.index(2, 0).data(LayerTableModel::OverriddenRole).toBool());
    }
};

QTEST_MAIN(TestLayerTableModel)
#include "tst_layertablemodel.moc"
