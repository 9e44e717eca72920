#include "widgets/companderview.h"

#include "widgets/chartstyle.h"

#include "core/util/cancelflagsink.h"

#include "core/codec/densitymode.h"
#include "core/codec/hypercodec.h"
#include "core/codec/modecodec.h"
#include "core/sweep/boxresolver.h"
#include "widgets/cloudpointsitem.h"
#include "widgets/numberformat.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace hc {

namespace {

const char *const kCancelled = "cancelled";

QChart *newChart()
{
    return newStyledChart(Qt::AlignBottom, QMargins(6, 6, 6, 6), true);
}

QValueAxis *newAxis()
{
    auto *axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.3g"));
    QFont f = axis->labelsFont();
    f.setPointSizeF(8.5);
    axis->setLabelsFont(f);
    QFont t = axis->titleFont();
    t.setPointSizeF(9);
    t.setBold(false);
    axis->setTitleFont(t);
    return axis;
}

QString num(double v, int digits = 4)
{
    return QString::number(v, 'g', digits);
}

} // namespace

Result<CompanderView::Data> CompanderView::compute(const TensorView &w, int bitsPerWeight, const QString &name,
                                                   const std::atomic<bool> *cancelled, int threads)
{
    using R = Result<Data>;
    CancelFlagSink sink(cancelled);
    const std::string label = name.isEmpty() ? std::string("the tensor") : "\"" + name.toStdString() + "\"";
    if (DensityMode::sideFor(bitsPerWeight) == 0)
        return R::failure("the density mode takes 1 to 12 index bits per weight, not " + std::to_string(bitsPerWeight));
    if (w.numel < 2)
        return R::failure(label + " has fewer than two elements: there is no pair to show");

    DensityMode::Options options;
    options.bitsPerWeight = bitsPerWeight;
    options.threads = threads;
    auto encoded = DensityMode::encode(w, {std::int64_t(w.numel)}, options, &sink);
    if (sink.cancelRequested())
        return R::failure(kCancelled);
    if (!encoded)
        return R::failure(label + ": " + encoded.error());
    auto g = DensityMode::compander(*encoded);
    if (!g)
        return R::failure(label + ": " + g.error());

    Data d;
    d.name = name;
    d.numel = w.numel;
    d.pairCount = w.numel / 2;
    d.bitsPerWeight = bitsPerWeight;
    d.side = encoded->density.side;
    d.densityBitsPerWeight = encoded->bitsPerWeight();
    {
        std::vector<unsigned char> restored(w.byteSize());
        if (Status s = encoded->decode(restored.data(), threads); !s)
            return R::failure(label + ": " + s.error());
        d.density = ErrorMetrics::measure(w, {restored.data(), w.dtype, w.numel}, threads);
    }
    if (sink.cancelRequested())
        return R::failure(kCancelled);

    // G exactly as stored: linear between the breakpoints, G(w_i) = i / (B - 1).
    const auto &bp = g->breakpoints();
    for (std::size_t i = 0; i < bp.size(); ++i)
        d.curve.append(QPointF(double(bp[i]), double(i) / double(bp.size() - 1)));

    // Range and histogram over every element.
    std::vector<double> buf;
    constexpr std::size_t kChunk = std::size_t(1) << 16;
    d.minValue = std::numeric_limits<double>::infinity();
    d.maxValue = -d.minValue;
    for (std::size_t first = 0; first < w.numel; first += kChunk) {
        const std::size_t n = std::min(kChunk, w.numel - first);
        buf.resize(n);
        toDouble(w, first, n, buf.data());
        for (double v : buf) {
            d.minValue = std::min(d.minValue, v);
            d.maxValue = std::max(d.maxValue, v);
        }
    }
    std::vector<std::uint64_t> counts(kHistogramBins, 0);
    const double span = d.maxValue - d.minValue;
    for (std::size_t first = 0; first < w.numel; first += kChunk) {
        if (sink.cancelRequested())
            return R::failure(kCancelled);
        const std::size_t n = std::min(kChunk, w.numel - first);
        buf.resize(n);
        toDouble(w, first, n, buf.data());
        for (double v : buf) {
            const int bin = span > 0 ? std::min(kHistogramBins - 1, int((v - d.minValue) / span * kHistogramBins)) : 0;
            ++counts[std::size_t(bin)];
        }
    }
    const double width = span > 0 ? span / kHistogramBins : 1.0;
    for (int b = 0; b < kHistogramBins; ++b) {
        const double share = double(counts[std::size_t(b)]) / double(w.numel);
        const double left = d.minValue + b * width;
        d.histogram.append(QPointF(left, share));
        d.histogram.append(QPointF(left + width, share));
        d.histogramPeak = std::max(d.histogramPeak, share);
    }

    // An even, deterministic subsample of the pairs, in u-space.
    const std::size_t stride = std::max<std::size_t>(1, (d.pairCount + kMaxPairsShown - 1) / kMaxPairsShown);
    for (std::size_t p = 0; p < d.pairCount; p += stride)
        d.pairs.append(QPointF(g->forward(w.at(2 * p)), g->forward(w.at(2 * p + 1))));

    d.latticeCount = std::uint64_t(d.side) * std::uint64_t(d.side);
    const std::uint64_t latticeStride = std::max<std::uint64_t>(1, (d.latticeCount + kMaxLatticeShown - 1) / kMaxLatticeShown);
    for (std::uint64_t t = 0; t < d.latticeCount; t += latticeStride) {
        double u, v;
        DensityMode::latticePoint(d.side, std::uint32_t(t), u, v);
        d.lattice.append(QPointF(u, v));
    }
    if (sink.cancelRequested())
        return R::failure(kCancelled);

    // The paper mode with the same index width: (U + 1)(K + 1) <= 4^b, K auto up to 3, best l of 1..4 σ.
    const int classes = bitsPerWeight >= 2 ? 3 : 1;
    const double codes = std::ldexp(1.0, 2 * bitsPerWeight);
    CodecParams paper;
    paper.samples = int(codes / (classes + 1)) - 1;
    paper.classes = classes;
    paper.autoClasses = true;
    auto sigma = BoxResolver::standardDeviation(w, threads);
    if (!sigma) {
        d.paperError = QString::fromStdString(sigma.error());
        return d;
    }
    std::vector<unsigned char> restored(w.byteSize());
    for (double multiple : {1.0, 2.0, 3.0, 4.0}) {
        CodecParams p = paper;
        p.box = BoxResolver::resolve(multiple, BoxMode::Sigma, *sigma);
        EncodeOptions eo;
        eo.threads = threads;
        auto e = HyperCodec::encode(w, {std::int64_t(w.numel)}, p, eo, &sink);
        if (sink.cancelRequested())
            return R::failure(kCancelled);
        if (!e) {
            d.paperError = QString::fromStdString(e.error());
            continue;
        }
        HyperCodec::decode(*e, restored.data(), threads);
        const ErrorMetrics m = ErrorMetrics::measure(w, {restored.data(), w.dtype, w.numel}, threads);
        if (!d.paperOk || m.relFro < d.paperMetrics.relFro) {
            d.paperOk = true;
            d.paper = p;
            d.paperMetrics = m;
            d.paperBitsPerWeight = ModeCodec::fromPaper(*e, false, threads).bitsPerWeight();
        }
    }
    return d;
}

CompanderView::CompanderView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    QFont tf = m_title->font();
    tf.setBold(true);
    m_title->setFont(tf);
    m_bitsLabel = new QLabel(this);
    m_bits = new QSpinBox(this);
    m_bits->setRange(1, 12);
    m_bits->setValue(5);
    m_bitsLabel->setBuddy(m_bits);
    m_busy = new QLabel(this);
    m_busy->setStyleSheet(QStringLiteral("color: #555;"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_busy);
    top->addSpacing(12);
    top->addWidget(m_bitsLabel);
    top->addWidget(m_bits);

    // Left: G over the histogram.
    QChart *curveChart = newChart();
    m_curveX = newAxis();
    m_curveY = newAxis();
    m_histY = newAxis();
    m_curveY->setRange(0, 1);
    m_curveY->setTickCount(6);
    m_curveX->setTickCount(5);
    m_curveX->setLabelFormat(QStringLiteral("%.2g"));
    m_histY->setTickCount(6);
    m_histY->setLabelFormat(QStringLiteral("%.2g"));
    m_histY->setLabelsColor(QColor(0x6a, 0x86, 0xa8));
    m_histY->setGridLineVisible(false);
    curveChart->addAxis(m_curveX, Qt::AlignBottom);
    curveChart->addAxis(m_curveY, Qt::AlignLeft);
    curveChart->addAxis(m_histY, Qt::AlignRight);
    m_histUpper = new QLineSeries(this);
    m_histogram = new QAreaSeries(m_histUpper);
    QColor fill(0x4e, 0x79, 0xa7);
    fill.setAlpha(70);
    m_histogram->setBrush(fill);
    QPen histPen(QColor(0x4e, 0x79, 0xa7, 160));
    histPen.setWidthF(0.8);
    m_histogram->setPen(histPen);
    curveChart->addSeries(m_histogram);
    m_histogram->attachAxis(m_curveX);
    m_histogram->attachAxis(m_histY);
    m_curve = new QLineSeries;
    QPen curvePen(QColor(0xc0, 0x39, 0x2b));
    curvePen.setWidthF(2.2);
    m_curve->setPen(curvePen);
    curveChart->addSeries(m_curve);
    m_curve->attachAxis(m_curveX);
    m_curve->attachAxis(m_curveY);
    m_curveView = new QChartView(curveChart, this);
    m_curveView->setRenderHint(QPainter::Antialiasing);
    m_curveView->setMinimumSize(270, 280);

    // Right: the pairs in u-space and the lattice.
    QChart *cloudChart = newChart();
    m_cloudX = newAxis();
    m_cloudY = newAxis();
    for (QValueAxis *a : {m_cloudX, m_cloudY}) {
        a->setRange(-0.02, 1.02);
        a->setTickType(QValueAxis::TicksDynamic);
        a->setTickAnchor(0);
        a->setTickInterval(0.2);
        a->setLabelFormat(QStringLiteral("%.1f"));
    }
    cloudChart->addAxis(m_cloudX, Qt::AlignBottom);
    cloudChart->addAxis(m_cloudY, Qt::AlignLeft);
    m_pairsLegend = new QScatterSeries;
    QColor pairColour(0x4e, 0x79, 0xa7, 170);
    m_pairsLegend->setColor(pairColour);
    m_pairsLegend->setBorderColor(Qt::transparent);
    m_pairsLegend->setMarkerSize(6);
    m_latticeLegend = new QScatterSeries;
    m_latticeLegend->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
    m_latticeLegend->setColor(QColor(0x3a, 0x3a, 0x3a, 190));
    m_latticeLegend->setBorderColor(Qt::transparent);
    m_latticeLegend->setMarkerSize(6);
    m_square = new QLineSeries;
    QPen squarePen(QColor(0x20, 0x20, 0x20));
    squarePen.setWidthF(1.2);
    m_square->setPen(squarePen);
    m_square->replace(QList<QPointF>{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}});
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(m_pairsLegend), static_cast<QAbstractSeries *>(m_latticeLegend),
                               static_cast<QAbstractSeries *>(m_square)}) {
        cloudChart->addSeries(s);
        s->attachAxis(m_cloudX);
        s->attachAxis(m_cloudY);
    }
    m_points = new CloudPointsItem(cloudChart);
    m_cloudView = new QChartView(cloudChart, this);
    m_cloudView->setRenderHint(QPainter::Antialiasing);
    m_cloudView->setMinimumSize(270, 280);
    auto rangeChanged = [this] {
        m_points->setRange(QRectF(QPointF(m_cloudX->min(), m_cloudY->min()), QPointF(m_cloudX->max(), m_cloudY->max())));
    };
    connect(m_cloudX, &QValueAxis::rangeChanged, this, rangeChanged);
    connect(m_cloudY, &QValueAxis::rangeChanged, this, rangeChanged);
    rangeChanged();
    connect(cloudChart, &QChart::plotAreaChanged, this, [this] {
        m_points->plotAreaChanged();
        QTimer::singleShot(0, this, &CompanderView::squareCloud);
    });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_curveView);
    splitter->addWidget(m_cloudView);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    m_note = new QLabel(this);
    m_note->setStyleSheet(QStringLiteral("color: #555;"));
    m_note->setAlignment(Qt::AlignRight);

    m_readout = new QLabel(this);
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setWordWrap(true);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_note);
    layout->addWidget(m_readout);

    connect(m_bits, &QSpinBox::valueChanged, this, [this](int bits) {
        if (m_hasTensor && bits != m_current.bits) {
            Request r = m_current;
            r.bits = bits;
            request(r);
        }
    });
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &CompanderView::onJobFinished);
    retranslateUi();
    clear();
}

CompanderView::~CompanderView()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_watcher.waitForFinished();
}

void CompanderView::retranslateUi()
{
    m_bitsLabel->setText(tr("Index &bits per weight:"));
    m_bits->setToolTip(tr("The density mode's index bits per weight (2·b bits per pair: U = m² lattice samples)"));
    m_curveView->chart()->setTitle(tr("Compander G (density-matched)"));
    m_curveView->setToolTip(tr("G maps each weight w to u in [0, 1], steep where weights are dense; the histogram of w "
                               "is drawn behind it"));
    m_cloudView->chart()->setTitle(tr("Pairs in u-space with the lattice"));
    m_cloudView->setToolTip(tr("Each pair (w[2i], w[2i+1]) mapped through G, and the U lattice samples it is "
                               "quantised to"));
    m_curveX->setTitleText(tr("Weight value w"));
    m_curveY->setTitleText(tr("u = G(w)"));
    m_histY->setTitleText(tr("Share of weights per bin"));
    m_curve->setName(tr("G(w)"));
    m_histogram->setName(tr("Histogram of w"));
    m_cloudX->setTitleText(tr("u = G(w[2i])"));
    m_cloudY->setTitleText(tr("v = G(w[2i+1])"));
    m_pairsLegend->setName(tr("Pairs"));
    m_latticeLegend->setName(tr("Lattice samples"));
    m_square->setName(tr("Unit square"));
    if (m_data)
        showData();
    else
        showReadouts();
}

void CompanderView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CompanderView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    QTimer::singleShot(0, this, &CompanderView::squareCloud);
}

void CompanderView::squareCloud()
{
    // Same scale on both axes, so that the lattice's cells look as they are.
    const QRectF area = m_cloudView->chart()->plotArea();
    if (area.width() < 10 || area.height() < 10)
        return;
    const double pad = 0.02;
    const double unitsPerPixel = (1 + 2 * pad) / std::min(area.width(), area.height());
    const double w = unitsPerPixel * area.width(), h = unitsPerPixel * area.height();
    m_cloudX->setRange(0.5 - w / 2, 0.5 + w / 2);
    m_cloudY->setRange(0.5 - h / 2, 0.5 + h / 2);
}

const QList<QPointF> &CompanderView::shownPairs() const
{
    static const QList<QPointF> none;
    return m_points->layers().size() >= 2 ? m_points->layers()[1].points : none;
}

const QList<QPointF> &CompanderView::shownLattice() const
{
    static const QList<QPointF> none;
    return m_points->layers().size() >= 1 ? m_points->layers()[0].points : none;
}

void CompanderView::clear()
{
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_hasPending = false;
    m_hasTensor = false;
    m_current = Request();
    m_data.reset();
    m_error.clear();
    m_curve->clear();
    m_histUpper->clear();
    m_points->setLayers({});
    m_noteText.clear();
    m_note->clear();
    m_title->setText(tr("No tensor selected"));
    showReadouts();
}

void CompanderView::setTensor(std::shared_ptr<const void> owner, const TensorView &w, int bitsPerWeight, const QString &name)
{
    Request r;
    r.owner = std::move(owner);
    r.view = w;
    r.name = name;
    r.bits = bitsPerWeight;
    request(r);
}

void CompanderView::setLayer(std::shared_ptr<const ModelSource> source, int tensorIndex, int bitsPerWeight)
{
    if (!source || tensorIndex < 0 || tensorIndex >= int(source->tensors().size())) {
        clear();
        return;
    }
    Request r;
    r.source = std::move(source);
    r.tensorIndex = tensorIndex;
    r.name = QString::fromStdString(r.source->tensors()[std::size_t(tensorIndex)].name);
    r.bits = bitsPerWeight;
    request(r);
}

void CompanderView::setBitsPerWeight(int bits)
{
    m_bits->setValue(bits); // re-runs through valueChanged when a tensor is shown
}

int CompanderView::bitsPerWeight() const
{
    return m_bits->value();
}

void CompanderView::request(Request r)
{
    r.bits = std::clamp(r.bits, 1, 12);
    m_current = r;
    m_hasTensor = true;
    {
        const QSignalBlocker block(m_bits);
        m_bits->setValue(r.bits);
    }
    m_title->setText(r.name.isEmpty() ? tr("Density mode") : tr("Density mode of %1").arg(r.name));
    if (m_running) {
        // The newer request wins: stop the running job, start this one when it has stopped.
        m_cancelFlag->store(true);
        m_pending = r;
        m_hasPending = true;
        return;
    }
    start(r);
    Q_EMIT busyChanged(true);
}

void CompanderView::start(const Request &r)
{
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    m_busy->setText(tr("Computing…"));
    auto flag = m_cancelFlag;
    m_watcher.setFuture(QtConcurrent::run([r, flag]() -> Outcome {
        TensorData owned;
        TensorView w = r.view;
        if (r.source) {
            w = r.source->view(std::size_t(r.tensorIndex));
            if (!w.data) {
                auto data = r.source->read(std::size_t(r.tensorIndex));
                if (!data)
                    return std::make_shared<const Result<Data>>(Result<Data>::failure(data.error()));
                owned = std::move(data).value();
                w = owned.view();
            }
        }
        return std::make_shared<const Result<Data>>(compute(w, r.bits, r.name, flag.get()));
    }));
}

void CompanderView::onJobFinished()
{
    const auto future = m_watcher.future();
    const Outcome outcome = future.resultCount() > 0 ? future.result() : Outcome();
    const bool stale = m_cancelFlag && m_cancelFlag->load();
    m_running = false;
    if (m_hasPending) {
        m_hasPending = false;
        start(m_pending);
        return;
    }
    m_busy->clear();
    if (!stale && outcome) {
        if (outcome->ok()) {
            m_data = std::make_shared<const Data>(outcome->value());
            m_error.clear();
            showData();
            Q_EMIT finished();
        } else if (outcome->error() != kCancelled) {
            m_data.reset();
            m_curve->clear();
            m_histUpper->clear();
            m_points->setLayers({});
            m_error = tr("The density mode cannot show this tensor: %1.").arg(QString::fromStdString(outcome->error()));
            showReadouts();
            Q_EMIT failed(m_error);
        }
    }
    Q_EMIT busyChanged(false);
}

void CompanderView::showData()
{
    const Data &d = *m_data;
    m_curve->replace(d.curve);
    m_histUpper->replace(d.histogram);
    const double span = d.maxValue - d.minValue;
    const double pad = span > 0 ? 0.02 * span : 1e-3;
    m_curveX->setRange(d.minValue - pad, d.maxValue + pad);
    // Ticks on round numbers (1, 2 or 5 times a power of ten), anchored at 0.
    const double raw = (span + 2 * pad) / 5.0;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power : 10 * power;
    m_curveX->setTickType(QValueAxis::TicksDynamic);
    m_curveX->setTickAnchor(0.0);
    m_curveX->setTickInterval(step);
    m_histY->setRange(0, d.histogramPeak > 0 ? d.histogramPeak * 1.1 : 1);
    m_histY->applyNiceNumbers();
    m_curveY->setRange(0, 1);

    std::vector<CloudPointsItem::Layer> layers;
    // The lattice under the pairs, small, so that the pairs' density still reads.
    layers.push_back({d.lattice, CloudPointsItem::marker(m_latticeLegend->color(), Qt::transparent,
                                                         d.lattice.size() > 1500 ? 3.0 : 5.0, true)});
    layers.push_back({d.pairs, CloudPointsItem::marker(m_pairsLegend->color(), Qt::transparent, 4.5, false)});
    m_points->setLayers(std::move(layers));
    const QString squared = QString::number(d.side) + QChar(0x00B2);
    const QString lattice = d.latticeCount > std::uint64_t(d.lattice.size())
                                ? tr("%1 of U = %2 = %3 lattice samples")
                                      .arg(groupedCount(std::uint64_t(d.lattice.size())), squared, groupedCount(d.latticeCount))
                                : tr("U = %1 = %2 lattice samples").arg(squared, groupedCount(d.latticeCount));
    m_noteText = std::uint64_t(d.pairs.size()) < d.pairCount
                     ? tr("Showing %1 of %2 pairs (an even subsample) · %3")
                           .arg(groupedCount(std::uint64_t(d.pairs.size())), groupedCount(d.pairCount), lattice)
                     : tr("%1 pairs · %2").arg(groupedCount(d.pairCount), lattice);
    m_note->setText(m_noteText);
    showReadouts();
}

void CompanderView::showReadouts()
{
    if (!m_error.isEmpty()) {
        m_readout->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(m_error.toHtmlEscaped()));
        return;
    }
    if (!m_data) {
        m_readout->setText(tr("Select a layer to see its density-matched compander."));
        return;
    }
    const Data &d = *m_data;
    QString text = tr("<b>Density mode</b> (%1 index bits per weight, %2 breakpoints): relative error <b>%3</b> · "
                      "MAE %4 · <b>%5 b/w</b> stored")
                       .arg(d.bitsPerWeight)
                       .arg(d.curve.size())
                       .arg(num(d.density.relFro), num(d.density.mae), num(d.densityBitsPerWeight));
    if (d.paperOk) {
        text += QStringLiteral("<br>") +
                tr("<b>Paper mode</b> at the same index width (U %1, l %2, K auto up to %3): relative error <b>%4</b> · "
                   "MAE %5 · <b>%6 b/w</b> stored")
                    .arg(d.paper.samples)
                    .arg(num(d.paper.box))
                    .arg(d.paper.classes)
                    .arg(num(d.paperMetrics.relFro), num(d.paperMetrics.mae), num(d.paperBitsPerWeight));
        if (d.paperMetrics.relFro > 0)
            text += QStringLiteral("<br>") + tr("Density / paper error: <b>%1×</b>").arg(num(d.density.relFro / d.paperMetrics.relFro, 3));
    } else if (!d.paperError.isEmpty()) {
        text += QStringLiteral("<br>") + tr("Paper mode: %1").arg(d.paperError.toHtmlEscaped());
    }
    m_readout->setText(text);
}

} // namespace hc
