#pragma once

#include "widgets/layerrecord.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace hc {

// The layer table: one row per tensor of the open model, over a snapshot of LayerRecords.
// Every change to a layer's settings, statistics or result goes through this model, so the
// table and the controls stay in step. Display text is formatted here; SortRole gives the raw
// value (numbers as numbers) for QSortFilterProxyModel. GUI thread only.
class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ShapeColumn,
        DTypeColumn,
        ParametersColumn,
        SigmaColumn,
        KurtosisColumn,
        OuterShareColumn,
        ConfigColumn,
        RatioColumn,
        RelErrorColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numeric value of numeric columns, the text otherwise
        LayerIndexRole,              // row in this model (survives sorting and filtering)
        OverriddenRole,              // bool: the layer has its own settings
        CompressibleRole,            // bool: a float tensor the codec can take
    };

    explicit LayerTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the snapshot; every layer takes `defaults` (overrides are dropped).
    void setLayers(std::vector<LayerRecord> layers, const CodecParams &defaults);
    void clear();
    int layerCount() const { return int(m_layers.size()); }
    const LayerRecord &layer(int row) const { return m_layers[std::size_t(row)]; }
    const std::vector<LayerRecord> &layers() const { return m_layers; }
    int rowOf(const QString &name) const; // -1 when absent

    // Settings. The defaults apply to every layer without an override.
    const CodecParams &defaults() const { return m_defaults; }
    void setDefaults(const CodecParams &params);
    void setOverride(int row, const CodecParams &params);
    void clearOverride(int row);
    void clearAllOverrides();
    int overrideCount() const;

    // Statistics and results, as the background jobs deliver them.
    void setStatistics(int row, double sigma, double kurtosis, double centreX, double centreY);
    void setStatisticsError(int row, const QString &message);
    // Ignored when `box` is no longer the layer's l (a stale job).
    void setOuterShare(int row, double share, double box);
    // Ignored when `params` are no longer the layer's settings (a stale job).
    void setEvaluation(int row, const CodecParams &params, double ratio, double relError, int classesUsed);

    static bool sameParams(const CodecParams &a, const CodecParams &b);
    static QString configText(const CodecParams &params);
    static QString shapeText(const std::vector<std::int64_t> &shape);

private:
    void applyParams(int row, const CodecParams &params, bool overridden);
    void emitRowChanged(int row, Column first, Column last);

    std::vector<LayerRecord> m_layers;
    CodecParams m_defaults;
};

} // namespace hc
