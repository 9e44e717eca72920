#include "widgets/layertablemodel.h"

#include "widgets/numberformat.h"

#include <QBrush>
#include <QFont>
#include <QPalette>
#include <QGuiApplication>

#include <cmath>
#include <limits>

namespace hc {

namespace {

// Missing values sort before every real one, so sorting stays a strict weak order.
constexpr double kMissing = -std::numeric_limits<double>::max();

QString placeholder()
{
    return QStringLiteral("…");
}

QString percent(double share)
{
    return QStringLiteral("%1 %").arg(share * 100.0, 0, 'f', share < 0.001 && share > 0 ? 3 : (share < 0.1 ? 2 : 1));
}

} // namespace

LayerTableModel::LayerTableModel(QObject *parent) : QAbstractTableModel(parent) {}

int LayerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool LayerTableModel::sameParams(const CodecParams &a, const CodecParams &b)
{
    return a.samples == b.samples && a.box == b.box && a.classes == b.classes && a.autoClasses == b.autoClasses
        && a.lossThreshold == b.lossThreshold;
}

QString LayerTableModel::configText(const CodecParams &p)
{
    const QString k = p.autoClasses ? tr("K≤%1").arg(p.classes) : tr("K %1").arg(p.classes);
    return tr("U %1 · l %2 · %3").arg(p.samples).arg(QString::number(p.box, 'g', 4), k);
}

QString LayerTableModel::shapeText(const std::vector<std::int64_t> &shape)
{
    if (shape.empty())
        return tr("scalar");
    QStringList parts;
    for (std::int64_t d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral(" × "));
}

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LayerRecord &r = m_layers[std::size_t(index.row())];
    const int column = index.column();

    switch (role) {
    case LayerIndexRole:
        return index.row();
    case OverriddenRole:
        return r.overridden;
    case CompressibleRole:
        return r.compressible;
    case Qt::TextAlignmentRole:
        if (column == NameColumn || column == ShapeColumn || column == DTypeColumn || column == ConfigColumn)
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (column == ConfigColumn && r.overridden) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (!r.compressible)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::ToolTipRole:
        if (!r.compressible)
            return tr("%1 is stored raw: the codec takes float tensors of at least 10 elements.")
                .arg(QString::fromStdString(r.name));
        if (column == ConfigColumn)
            return r.overridden ? tr("This layer has its own settings (an override of the model defaults).")
                                : tr("This layer uses the model defaults.");
        if (!r.statisticsError.empty() && (column == SigmaColumn || column == KurtosisColumn))
            return QString::fromStdString(r.statisticsError);
        if (column == OuterShareColumn)
            return tr("Share of weight pairs outside the centre box of side l = %1.")
                .arg(QString::number(r.params.box, 'g', 4));
        return QString::fromStdString(r.name);
    case SortRole:
        switch (column) {
        case NameColumn:
            return QString::fromStdString(r.name);
        case ShapeColumn:
        case ParametersColumn:
            return double(r.numel);
        case DTypeColumn:
            return QString::fromStdString(r.dtypeName);
        case SigmaColumn:
            return r.statisticsReady ? r.sigma : kMissing;
        case KurtosisColumn:
            return r.statisticsReady ? r.kurtosis : kMissing;
        case OuterShareColumn:
            return r.outerShareReady ? r.outerShare : kMissing;
        case ConfigColumn:
            return r.compressible ? double(r.params.samples) * 1e6 + r.params.box : kMissing;
        case RatioColumn:
            return r.evaluated ? r.ratio : kMissing;
        case RelErrorColumn:
            return r.evaluated ? r.relError : kMissing;
        default:
            return {};
        }
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return QString::fromStdString(r.name);
        case ShapeColumn:
            return shapeText(r.shape);
        case DTypeColumn:
            return QString::fromStdString(r.dtypeName);
        case ParametersColumn:
            return groupedCount(r.numel);
        case SigmaColumn:
            if (!r.compressible || !r.statisticsError.empty())
                return QStringLiteral("—");
            return r.statisticsReady ? QString::number(r.sigma, 'g', 4) : placeholder();
        case KurtosisColumn:
            if (!r.compressible || !r.statisticsError.empty())
                return QStringLiteral("—");
            return r.statisticsReady ? QString::number(r.kurtosis, 'f', 2) : placeholder();
        case OuterShareColumn:
            if (!r.compressible || !r.statisticsError.empty())
                return QStringLiteral("—");
            return r.outerShareReady ? percent(r.outerShare) : placeholder();
        case ConfigColumn:
            if (!r.compressible)
                return tr("raw");
            return r.overridden ? configText(r.params) + QStringLiteral(" *") : configText(r.params);
        case RatioColumn:
            return r.evaluated ? QStringLiteral("%1×").arg(r.ratio, 0, 'f', 2) : QString();
        case RelErrorColumn:
            return r.evaluated ? percent(r.relError) : QString();
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn: return tr("Layer");
        case ShapeColumn: return tr("Shape");
        case DTypeColumn: return tr("Type");
        case ParametersColumn: return tr("Parameters");
        case SigmaColumn: return tr("σ");
        case KurtosisColumn: return tr("Kurtosis");
        case OuterShareColumn: return tr("Outer");
        case ConfigColumn: return tr("Config");
        case RatioColumn: return tr("Ratio");
        case RelErrorColumn: return tr("Rel. error");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case NameColumn: return tr("The tensor's name in the model file");
        case ShapeColumn: return tr("The tensor's shape");
        case DTypeColumn: return tr("Element type");
        case ParametersColumn: return tr("Number of elements");
        case SigmaColumn: return tr("Standard deviation of the weights");
        case KurtosisColumn: return tr("Excess kurtosis (0 for a Gaussian; large for heavy tails)");
        case OuterShareColumn: return tr("Share of weight pairs outside the centre box at the layer's l");
        case ConfigColumn: return tr("U, l and K for this layer; * marks a per-layer override");
        case RatioColumn: return tr("Compression ratio (original bytes / compressed bytes), once computed");
        case RelErrorColumn: return tr("Relative Frobenius error ||w − ŵ|| / ||w||, once computed");
        default: return {};
        }
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

void LayerTableModel::setLayers(std::vector<LayerRecord> layers, const CodecParams &defaults)
{
    beginResetModel();
    m_layers = std::move(layers);
    m_defaults = defaults;
    for (LayerRecord &r : m_layers) {
        r.params = defaults;
        r.overridden = false;
        r.evaluated = false;
    }
    endResetModel();
}

void LayerTableModel::clear()
{
    beginResetModel();
    m_layers.clear();
    endResetModel();
}

int LayerTableModel::rowOf(const QString &name) const
{
    const std::string n = name.toStdString();
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        if (m_layers[i].name == n)
            return int(i);
    return -1;
}

void LayerTableModel::emitRowChanged(int row, Column first, Column last)
{
    Q_EMIT dataChanged(index(row, first), index(row, last));
}

void LayerTableModel::applyParams(int row, const CodecParams &params, bool overridden)
{
    LayerRecord &r = m_layers[std::size_t(row)];
    const bool changed = !sameParams(r.params, params);
    if (!changed && r.overridden == overridden)
        return;
    if (changed) {
        if (r.params.box != params.box && r.outerShareBox != params.box)
            r.outerShareReady = false;
        r.evaluated = false;
    }
    r.params = params;
    r.overridden = overridden;
    emitRowChanged(row, OuterShareColumn, RelErrorColumn);
}

void LayerTableModel::setDefaults(const CodecParams &params)
{
    m_defaults = params;
    for (int row = 0; row < layerCount(); ++row)
        if (!m_layers[std::size_t(row)].overridden)
            applyParams(row, params, false);
}

void LayerTableModel::setOverride(int row, const CodecParams &params)
{
    if (row < 0 || row >= layerCount())
        return;
    applyParams(row, params, !sameParams(params, m_defaults));
}

void LayerTableModel::clearOverride(int row)
{
    if (row < 0 || row >= layerCount())
        return;
    applyParams(row, m_defaults, false);
}

void LayerTableModel::clearAllOverrides()
{
    for (int row = 0; row < layerCount(); ++row)
        applyParams(row, m_defaults, false);
}

int LayerTableModel::overrideCount() const
{
    int n = 0;
    for (const LayerRecord &r : m_layers)
        n += r.overridden ? 1 : 0;
    return n;
}

void LayerTableModel::setStatistics(int row, double sigma, double kurtosis, double centreX, double centreY)
{
    if (row < 0 || row >= layerCount())
        return;
    LayerRecord &r = m_layers[std::size_t(row)];
    r.statisticsReady = true;
    r.statisticsError.clear();
    r.sigma = sigma;
    r.kurtosis = kurtosis;
    r.centreX = centreX;
    r.centreY = centreY;
    emitRowChanged(row, SigmaColumn, KurtosisColumn);
}

void LayerTableModel::setStatisticsError(int row, const QString &message)
{
    if (row < 0 || row >= layerCount())
        return;
    m_layers[std::size_t(row)].statisticsError = message.toStdString();
    emitRowChanged(row, SigmaColumn, OuterShareColumn);
}

void LayerTableModel::setOuterShare(int row, double share, double box)
{
    if (row < 0 || row >= layerCount())
        return;
    LayerRecord &r = m_layers[std::size_t(row)];
    if (r.params.box != box)
        return;
    r.outerShareReady = true;
    r.outerShare = share;
    r.outerShareBox = box;
    emitRowChanged(row, OuterShareColumn, OuterShareColumn);
}

void LayerTableModel::setEvaluation(int row, const CodecParams &params, double ratio, double relError, int classesUsed)
{
    if (row < 0 || row >= layerCount())
        return;
    LayerRecord &r = m_layers[std::size_t(row)];
    if (!sameParams(r.params, params))
        return;
    r.evaluated = true;
    r.ratio = ratio;
    r.relError = relError;
    r.classesUsed = classesUsed;
    emitRowChanged(row, RatioColumn, RelErrorColumn);
}

} // namespace hc
