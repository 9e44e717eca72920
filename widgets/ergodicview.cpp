#include "widgets/ergodicview.h"

#include "core/codec/classrings.h"
#include "core/codec/hypercodec.h"
#include "core/codec/kdtreesearch.h"
#include "core/codec/latticesearch.h"
#include "core/codec/trajectorycodebook.h"
#include "core/tensor/halffloat.h"
#include "widgets/ergodiccanvas.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace hc {

namespace {

constexpr int kThetaSteps = 2000;       // resolution of the θ slider
constexpr int kTickMs = 30;             // animation frame interval
constexpr std::size_t kMaxSegments = 50000;
constexpr std::size_t kMaxCloud = 6000; // pairs drawn behind the trajectory (thinned)
constexpr std::size_t kChunkPairs = std::size_t(1) << 15; // the codec's summation order

QString num(double v) { return QString::number(v, 'g', 6); }
QString pairText(double x, double y) { return QStringLiteral("(%1, %2)").arg(num(x), num(y)); }

} // namespace

ErgodicView::ErgodicView(QWidget *parent) : QWidget(parent)
{
    m_timer = new QTimer(this);
    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, &ErgodicView::onTick);
    buildUi();
    retranslate();
    rebuildCodebook();
    m_theta = m_samples;
    rebuildTrajectory();
    updateThetaControls();
    updateScene();
    updateReadout();
}

ErgodicView::~ErgodicView() = default;

void ErgodicView::buildUi()
{
    m_canvas = new ErgodicCanvas(this);
    m_canvas->setObjectName(QStringLiteral("ergodicCanvas"));
    connect(m_canvas, &ErgodicCanvas::pointClicked, this, [this](double x, double y) { selectPoint(x, y); });

    auto *panel = new QWidget(this);
    panel->setMinimumWidth(280);
    panel->setMaximumWidth(380);
    auto *side = new QVBoxLayout(panel);
    side->setContentsMargins(0, 0, 0, 0);
    side->setSpacing(10);

    m_intro = new QLabel(panel);
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::RichText);
    side->addWidget(m_intro);

    // Trajectory: direction, animation, θ.
    m_trajectoryGroup = new QGroupBox(panel);
    auto *tg = new QGridLayout(m_trajectoryGroup);
    m_directionLabel = new QLabel(m_trajectoryGroup);
    m_directionCombo = new QComboBox(m_trajectoryGroup);
    m_directionCombo->setObjectName(QStringLiteral("directionCombo"));
    for (int i = 0; i < 4; ++i)
        m_directionCombo->addItem(QString());
    m_directionLabel->setBuddy(m_directionCombo);
    tg->addWidget(m_directionLabel, 0, 0);
    tg->addWidget(m_directionCombo, 0, 1, 1, 3);

    m_customLabel = new QLabel(m_trajectoryGroup);
    m_dxSpin = new QDoubleSpinBox(m_trajectoryGroup);
    m_dySpin = new QDoubleSpinBox(m_trajectoryGroup);
    m_dxSpin->setObjectName(QStringLiteral("directionX"));
    m_dySpin->setObjectName(QStringLiteral("directionY"));
    for (QDoubleSpinBox *s : {m_dxSpin, m_dySpin}) {
        s->setRange(0.0, 1000.0);
        s->setDecimals(4);
        s->setSingleStep(0.05);
    }
    m_dxSpin->setValue(m_customDx);
    m_dySpin->setValue(m_customDy);
    auto *colon = new QLabel(QStringLiteral(":"), m_trajectoryGroup);
    colon->setAlignment(Qt::AlignCenter);
    tg->addWidget(m_customLabel, 1, 0);
    tg->addWidget(m_dxSpin, 1, 1);
    tg->addWidget(colon, 1, 2);
    tg->addWidget(m_dySpin, 1, 3);

    m_playButton = new QPushButton(m_trajectoryGroup);
    m_playButton->setObjectName(QStringLiteral("playButton"));
    m_restartButton = new QToolButton(m_trajectoryGroup);
    m_restartButton->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    m_speedLabel = new QLabel(m_trajectoryGroup);
    m_speedCombo = new QComboBox(m_trajectoryGroup);
    m_speedCombo->setObjectName(QStringLiteral("speedCombo"));
    for (double s : {0.25, 0.5, 1.0, 2.0, 4.0})
        m_speedCombo->addItem(QStringLiteral("%1×").arg(s), s);
    m_speedCombo->setCurrentIndex(2);
    m_speedLabel->setBuddy(m_speedCombo);
    auto *playRow = new QHBoxLayout;
    playRow->addWidget(m_restartButton);
    playRow->addWidget(m_playButton, 1);
    playRow->addSpacing(8);
    playRow->addWidget(m_speedLabel);
    playRow->addWidget(m_speedCombo);
    tg->addLayout(playRow, 2, 0, 1, 4);

    m_thetaCaption = new QLabel(m_trajectoryGroup);
    m_thetaSlider = new QSlider(Qt::Horizontal, m_trajectoryGroup);
    m_thetaSlider->setObjectName(QStringLiteral("thetaSlider"));
    m_thetaSlider->setRange(0, kThetaSteps);
    m_thetaValue = new QLabel(m_trajectoryGroup);
    m_thetaValue->setMinimumWidth(96);
    m_thetaValue->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_thetaCaption->setBuddy(m_thetaSlider);
    tg->addWidget(m_thetaCaption, 3, 0);
    tg->addWidget(m_thetaSlider, 3, 1, 1, 2);
    tg->addWidget(m_thetaValue, 3, 3);
    m_coverage = new QLabel(m_trajectoryGroup);
    m_coverage->setObjectName(QStringLiteral("coverage"));
    m_coverage->setWordWrap(true);
    tg->addWidget(m_coverage, 4, 0, 1, 4);
    tg->setColumnStretch(1, 1);
    tg->setColumnStretch(3, 1);
    side->addWidget(m_trajectoryGroup);

    // Codebook: U, l, K.
    m_codecGroup = new QGroupBox(panel);
    auto *cf = new QFormLayout(m_codecGroup);
    m_samplesSpin = new QSpinBox(m_codecGroup);
    m_samplesSpin->setObjectName(QStringLiteral("samplesSpin"));
    m_samplesSpin->setRange(4, 4096);
    m_samplesSpin->setValue(m_samples);
    m_boxSpin = new QDoubleSpinBox(m_codecGroup);
    m_boxSpin->setObjectName(QStringLiteral("boxSpin"));
    m_boxSpin->setDecimals(5);
    m_boxSpin->setRange(1e-5, 1000.0);
    m_boxSpin->setSingleStep(0.01);
    m_boxSpin->setValue(m_box);
    m_classesSpin = new QSpinBox(m_codecGroup);
    m_classesSpin->setObjectName(QStringLiteral("classesSpin"));
    m_classesSpin->setRange(0, 16);
    m_classesSpin->setValue(m_classes);
    m_samplesLabel = new QLabel(m_codecGroup);
    m_boxLabel = new QLabel(m_codecGroup);
    m_classesLabel = new QLabel(m_codecGroup);
    m_samplesLabel->setBuddy(m_samplesSpin);
    m_boxLabel->setBuddy(m_boxSpin);
    m_classesLabel->setBuddy(m_classesSpin);
    cf->addRow(m_samplesLabel, m_samplesSpin);
    cf->addRow(m_boxLabel, m_boxSpin);
    cf->addRow(m_classesLabel, m_classesSpin);
    side->addWidget(m_codecGroup);

    // Which pair to follow.
    m_pairGroup = new QGroupBox(panel);
    auto *pg = new QGridLayout(m_pairGroup);
    m_pairLabel = new QLabel(m_pairGroup);
    m_pairSpin = new QSpinBox(m_pairGroup);
    m_pairSpin->setObjectName(QStringLiteral("pairSpin"));
    m_pairSpin->setRange(0, 0);
    m_pairSpin->setEnabled(false);
    m_pairLabel->setBuddy(m_pairSpin);
    m_randomButton = new QPushButton(m_pairGroup);
    m_randomButton->setObjectName(QStringLiteral("randomButton"));
    m_pairHint = new QLabel(m_pairGroup);
    m_pairHint->setWordWrap(true);
    pg->addWidget(m_pairLabel, 0, 0);
    pg->addWidget(m_pairSpin, 0, 1);
    pg->addWidget(m_randomButton, 0, 2);
    pg->addWidget(m_pairHint, 1, 0, 1, 3);
    pg->setColumnStretch(1, 1);
    side->addWidget(m_pairGroup);

    m_readoutGroup = new QGroupBox(panel);
    auto *rl = new QVBoxLayout(m_readoutGroup);
    m_readout = new QLabel(m_readoutGroup);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setWordWrap(true);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    rl->addWidget(m_readout);
    side->addWidget(m_readoutGroup, 1);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(12);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(panel);

    connect(m_directionCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        if (!m_updatingControls)
            setDirection(Direction(i));
    });
    auto customChanged = [this] {
        if (!m_updatingControls)
            setCustomDirection(m_dxSpin->value(), m_dySpin->value());
    };
    connect(m_dxSpin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, customChanged);
    connect(m_dySpin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, customChanged);
    connect(m_playButton, &QPushButton::clicked, this, [this] { isPlaying() ? pause() : play(); });
    connect(m_restartButton, &QToolButton::clicked, this, [this] { setTheta(0); });
    connect(m_thetaSlider, &QSlider::valueChanged, this, [this](int v) {
        if (!m_updatingControls)
            setTheta(double(v) / kThetaSteps * m_samples);
    });
    connect(m_samplesSpin, qOverload<int>(&QSpinBox::valueChanged), this, [this] { onCodecControlsChanged(); });
    connect(m_boxSpin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this] { onCodecControlsChanged(); });
    connect(m_classesSpin, qOverload<int>(&QSpinBox::valueChanged), this, [this] { onCodecControlsChanged(); });
    connect(m_pairSpin, qOverload<int>(&QSpinBox::valueChanged), this, [this](int i) {
        if (!m_updatingControls)
            selectPair(i);
    });
    connect(m_randomButton, &QPushButton::clicked, this, [this] {
        auto *rng = QRandomGenerator::global();
        if (pairCount() > 0) {
            selectPair(int(rng->bounded(quint32(pairCount()))));
        } else {
            // No layer: a point somewhere in the rings, mostly inside the box.
            const double reach = std::max(m_farthest, 0.6 * m_box);
            selectPoint(m_cx + (rng->generateDouble() * 2 - 1) * reach * 0.8,
                        m_cy + (rng->generateDouble() * 2 - 1) * reach * 0.8);
        }
    });
}

void ErgodicView::retranslate()
{
    m_intro->setText(tr("<b>One number for two weights.</b> A line θ·a wrapped around the box (mod l) passes "
                        "close to every point of it when its direction a is irrational. The codec keeps the U "
                        "points it reaches at θ = 0 … U−1 and stores, for each pair of weights, the θ of the "
                        "nearest one. Pairs outside the box are first pulled in by their class ring."));
    m_trajectoryGroup->setTitle(tr("Trajectory"));
    m_directionLabel->setText(tr("&Direction"));
    m_directionCombo->setItemText(0, tr("Paper's optimum (1 : m)"));
    m_directionCombo->setItemText(1, tr("Rational 1 : 2 (closes, leaves gaps)"));
    m_directionCombo->setItemText(2, tr("Irrational 1 : √2"));
    m_directionCombo->setItemText(3, tr("Custom a_x : a_y"));
    m_directionCombo->setToolTip(tr("The direction a of the line θ·a. The paper's choice makes the U samples a "
                                    "sheared lattice; a rational direction closes on itself and leaves gaps; an "
                                    "irrational one never repeats and fills the box."));
    m_customLabel->setText(tr("a_x : a_y"));
    m_dxSpin->setToolTip(tr("Horizontal part of a custom direction (switches to the custom direction)."));
    m_dySpin->setToolTip(tr("Vertical part of a custom direction (switches to the custom direction)."));
    m_restartButton->setToolTip(tr("Back to θ = 0"));
    m_speedLabel->setText(tr("&Speed"));
    m_speedCombo->setToolTip(tr("How fast θ grows while playing: at 1× the whole trajectory takes 8 seconds."));
    m_thetaCaption->setText(tr("&θ"));
    m_thetaSlider->setToolTip(tr("How far the trajectory is drawn: from θ = 0 to θ = U. Samples appear at "
                                 "every whole θ."));
    m_coverage->setToolTip(tr("The farthest any point of the box lies from its nearest sample: the worst "
                              "error an inner pair of weights can get with this codebook."));
    m_codecGroup->setTitle(tr("Codebook"));
    m_samplesLabel->setText(tr("Samples &U"));
    m_boxLabel->setText(tr("Box &l"));
    m_classesLabel->setText(tr("Classes &K"));
    m_samplesSpin->setToolTip(tr("U: how many points of the trajectory are kept (θ = 0 … U−1)."));
    m_boxSpin->setToolTip(tr("l: side of the box around the centre of the layer's pairs."));
    m_classesSpin->setToolTip(tr("K: rings for the pairs outside the box; each ring pulls its pairs into the "
                                 "inscribed circle by its own factor."));
    m_pairGroup->setTitle(tr("Pair of weights"));
    m_pairLabel->setText(tr("&Pair"));
    m_pairSpin->setToolTip(tr("Follow one pair of the current layer (weights 2i and 2i + 1)."));
    m_randomButton->setText(tr("&Random"));
    m_randomButton->setToolTip(tr("Pick a pair at random."));
    m_pairHint->setText(tr("Or click anywhere in the plot to encode that point."));
    m_readoutGroup->setTitle(tr("How it is encoded"));
    updateThetaControls();
    updateReadout();
    updateScene();
}

void ErgodicView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

// ---- State changes ---------------------------------------------------------------------------

void ErgodicView::setCodec(int samples, double box, int classes, QPointF centre, double farthest, DType dtype)
{
    // A header the codec could never have written is ignored rather than drawn.
    if (samples < 1 || samples > m_samplesSpin->maximum() || !(box > 0) || !std::isfinite(box) ||
        !std::isfinite(centre.x()) || !std::isfinite(centre.y()) || !(farthest >= 0) || !std::isfinite(farthest))
        return;
    m_updatingControls = true;
    m_samplesSpin->setValue(std::clamp(samples, m_samplesSpin->minimum(), m_samplesSpin->maximum()));
    m_boxSpin->setValue(box);
    m_classesSpin->setValue(std::clamp(classes, 0, m_classesSpin->maximum()));
    m_updatingControls = false;
    m_samples = samples;
    m_box = box;
    m_classes = std::max(0, classes);
    m_cx = centre.x();
    m_cy = centre.y();
    m_farthest = farthest;
    m_dtype = dtype;
    // The codec's K is taken as given (0 when it found every pair inside the box).
    m_anyOuter = true;
    rebuildCodebook();
    m_theta = std::min(m_theta, double(m_samples));
    rebuildTrajectory();
    recomputeSelection();
    updateThetaControls();
    updateScene();
    updateReadout();
}

void ErgodicView::setCodec(const EncodedTensor &h)
{
    setCodec(h.samples, h.box, h.classes, QPointF(h.centreX, h.centreY), h.farthest, h.dtype);
}

void ErgodicView::setPairs(const std::vector<double> &xy)
{
    m_pairs.assign(xy.begin(), xy.begin() + std::ptrdiff_t(xy.size() / 2 * 2));
    const std::size_t n = m_pairs.size() / 2;
    if (n > 0) {
        // Summed chunk by chunk in the codec's order, so the centre agrees to the last bit.
        double totalX = 0, totalY = 0;
        for (std::size_t first = 0; first < n; first += kChunkPairs) {
            double sx = 0, sy = 0;
            const std::size_t last = std::min(n, first + kChunkPairs);
            for (std::size_t i = first; i < last; ++i) {
                sx += m_pairs[2 * i];
                sy += m_pairs[2 * i + 1];
            }
            totalX += sx;
            totalY += sy;
        }
        m_cx = totalX / double(n);
        m_cy = totalY / double(n);
        double d2 = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double dx = m_pairs[2 * i] - m_cx, dy = m_pairs[2 * i + 1] - m_cy;
            d2 = std::max(d2, dx * dx + dy * dy);
        }
        m_farthest = std::sqrt(d2);
    }
    m_updatingControls = true;
    m_pairSpin->setEnabled(n > 0);
    m_pairSpin->setRange(0, n > 0 ? int(std::min<std::size_t>(n - 1, std::size_t(std::numeric_limits<int>::max()))) : 0);
    m_updatingControls = false;
    m_chosen = Chosen::None;
    m_selection = {};
    onCodecControlsChanged();
}

void ErgodicView::onCodecControlsChanged()
{
    if (m_updatingControls)
        return;
    m_samples = m_samplesSpin->value();
    m_box = m_boxSpin->value();
    m_classes = m_classesSpin->value();
    if (!m_pairs.empty()) {
        const double half = m_box / 2;
        m_anyOuter = false;
        for (std::size_t i = 0; i + 1 < m_pairs.size() && !m_anyOuter; i += 2)
            m_anyOuter = std::fabs(m_pairs[i] - m_cx) > half || std::fabs(m_pairs[i + 1] - m_cy) > half;
    } else {
        m_anyOuter = true;
    }
    rebuildCodebook();
    m_theta = std::min(m_theta, double(m_samples));
    rebuildTrajectory();
    recomputeSelection();
    updateThetaControls();
    updateScene();
    updateReadout();
}

int ErgodicView::effectiveClasses() const
{
    return m_anyOuter ? m_classes : 0;
}

void ErgodicView::setDirection(Direction d)
{
    m_direction = d;
    m_updatingControls = true;
    m_directionCombo->setCurrentIndex(int(d));
    m_updatingControls = false;
    rebuildCodebook();
    rebuildTrajectory();
    recomputeSelection();
    updateThetaControls();
    updateScene();
    updateReadout();
}

void ErgodicView::setCustomDirection(double dx, double dy)
{
    m_customDx = std::fabs(dx);
    m_customDy = std::fabs(dy);
    m_updatingControls = true;
    m_dxSpin->setValue(m_customDx);
    m_dySpin->setValue(m_customDy);
    m_updatingControls = false;
    setDirection(Direction::Custom);
}

void ErgodicView::setTheta(double theta)
{
    m_theta = std::clamp(theta, 0.0, double(m_samples));
    rebuildTrajectory();
    updateThetaControls();
    updateScene();
}

double ErgodicView::speedPerSecond() const
{
    return m_samples / 8.0 * m_speedCombo->currentData().toDouble();
}

void ErgodicView::play()
{
    if (m_theta >= m_samples)
        setTheta(0);
    m_timer->start();
    updateThetaControls();
}

void ErgodicView::pause()
{
    m_timer->stop();
    updateThetaControls();
}

bool ErgodicView::isPlaying() const
{
    return m_timer->isActive();
}

void ErgodicView::onTick()
{
    const double next = m_theta + speedPerSecond() * kTickMs / 1000.0;
    setTheta(next);
    if (next >= m_samples)
        pause();
}

void ErgodicView::selectPair(int index)
{
    if (index < 0 || std::size_t(index) >= pairCount())
        return;
    m_chosen = Chosen::Pair;
    m_chosenPair = index;
    m_updatingControls = true;
    m_pairSpin->setValue(index);
    m_updatingControls = false;
    recomputeSelection();
    updateScene();
    updateReadout();
}

void ErgodicView::selectPoint(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    m_chosen = Chosen::Point;
    m_chosenX = x;
    m_chosenY = y;
    recomputeSelection();
    updateScene();
    updateReadout();
}

void ErgodicView::clearSelection()
{
    m_chosen = Chosen::None;
    recomputeSelection();
    updateScene();
    updateReadout();
}

// ---- Geometry --------------------------------------------------------------------------------

void ErgodicView::rebuildCodebook()
{
    switch (m_direction) {
    case Direction::Paper:
        m_codebook = std::make_unique<TrajectoryCodebook>(m_cx, m_cy, m_box, m_samples);
        break;
    case Direction::Rational:
        m_codebook = std::make_unique<TrajectoryCodebook>(
            TrajectoryCodebook::withDirection(m_cx, m_cy, m_box, m_samples, 1.0, 2.0));
        break;
    case Direction::Irrational:
        m_codebook = std::make_unique<TrajectoryCodebook>(
            TrajectoryCodebook::withDirection(m_cx, m_cy, m_box, m_samples, 1.0, std::sqrt(2.0)));
        break;
    case Direction::Custom:
        m_codebook = std::make_unique<TrajectoryCodebook>(
            TrajectoryCodebook::withDirection(m_cx, m_cy, m_box, m_samples, m_customDx, m_customDy));
        break;
    }
    // The lattice engine serves only the paper's codebook; any other direction needs the tree.
    m_lattice.reset();
    m_kdtree.reset();
    if (m_codebook->isPaperLattice())
        m_lattice = std::make_unique<LatticeSearch>(*m_codebook);
    else
        m_kdtree = std::make_unique<KdTreeSearch>(*m_codebook);

    // How well the U samples cover the box: the largest distance from a grid point to its sample.
    constexpr int grid = 48;
    double worst = 0;
    const double x0 = m_cx - m_box / 2, y0 = m_cy - m_box / 2;
    for (int i = 0; i <= grid; ++i) {
        for (int j = 0; j <= grid; ++j) {
            const double qx = x0 + m_box * i / grid, qy = y0 + m_box * j / grid;
            const std::uint32_t s = m_lattice ? m_lattice->nearest(qx, qy) : m_kdtree->nearest(qx, qy);
            worst = std::max(worst, std::hypot(qx - m_codebook->x(s), qy - m_codebook->y(s)));
        }
    }
    m_coveringRadius = worst;
}

void ErgodicView::rebuildTrajectory()
{
    m_segments.clear();
    const double l = m_box;
    const double vx = m_codebook->stepX(), vy = m_codebook->stepY();
    const double x0 = m_cx - l / 2, y0 = m_cy - l / 2;
    const double inf = std::numeric_limits<double>::infinity();
    double t = 0, fx = 0, fy = 0;
    // Walk the line piece by piece: each piece ends where the line leaves the box and wraps.
    while (t < m_theta && m_segments.size() < kMaxSegments && (vx > 0 || vy > 0)) {
        const double tx = vx > 0 ? (l - fx) / vx : inf;
        const double ty = vy > 0 ? (l - fy) / vy : inf;
        const double dt = std::min({tx, ty, m_theta - t});
        const double ex = fx + vx * dt, ey = fy + vy * dt;
        m_segments.emplace_back(QPointF(x0 + fx, y0 + fy), QPointF(x0 + ex, y0 + ey));
        const double eps = 1e-12 * (1 + t + dt);
        const bool wrapX = std::fabs(dt - tx) <= eps;
        const bool wrapY = std::fabs(dt - ty) <= eps;
        t += dt;
        fx = wrapX ? 0.0 : ex;
        fy = wrapY ? 0.0 : ey;
        if (!wrapX && !wrapY)
            break; // reached θ
    }
    m_head = QPointF(x0 + fx, y0 + fy);
    m_visibleSamples = std::min<std::size_t>(std::size_t(m_samples), std::size_t(std::floor(m_theta)) + 1);
}

void ErgodicView::recomputeSelection()
{
    Selection s;
    if (m_chosen == Chosen::Pair && m_chosenPair >= 0 && std::size_t(m_chosenPair) < pairCount()) {
        s.valid = true;
        s.isPair = true;
        s.pairIndex = m_chosenPair;
        s.x = m_pairs[2 * std::size_t(m_chosenPair)];
        s.y = m_pairs[2 * std::size_t(m_chosenPair) + 1];
    } else if (m_chosen == Chosen::Point) {
        s.valid = true;
        s.x = m_chosenX;
        s.y = m_chosenY;
    }
    if (s.valid) {
        // ALGORITHM.md §1 steps 7–9, exactly as HyperCodec does them.
        const int classes = effectiveClasses();
        const ClassRings rings(m_box, m_farthest, classes);
        const double dx = s.x - m_cx, dy = s.y - m_cy;
        const bool inner = std::fabs(dx) <= m_box / 2 && std::fabs(dy) <= m_box / 2;
        s.classIndex = (inner || classes == 0) ? 0 : rings.classify(std::sqrt(dx * dx + dy * dy));
        s.scale = rings.scale(s.classIndex);
        s.radius = rings.radius(s.classIndex);
        s.pulledX = s.classIndex == 0 ? s.x : m_cx + s.scale * dx;
        s.pulledY = s.classIndex == 0 ? s.y : m_cy + s.scale * dy;
        s.sample = m_lattice ? m_lattice->nearest(s.pulledX, s.pulledY) : m_kdtree->nearest(s.pulledX, s.pulledY);
        s.index = s.sample + (std::uint32_t(m_samples) + 1) * std::uint32_t(s.classIndex);
        if (m_codebook->isPaperLattice()) {
            EncodedTensor header;
            header.dtype = m_dtype;
            header.samples = m_samples;
            header.box = m_box;
            header.classes = classes;
            header.centreX = m_cx;
            header.centreY = m_cy;
            header.farthest = m_farthest;
            HyperCodec::decodeIndex(header, s.index, s.decodedX, s.decodedY);
        } else {
            s.decodedX = roundThrough(m_cx + (m_codebook->x(s.sample) - m_cx) / s.scale, m_dtype);
            s.decodedY = roundThrough(m_cy + (m_codebook->y(s.sample) - m_cy) / s.scale, m_dtype);
        }
    }
    m_selection = s;
    Q_EMIT selectionChanged();
}

// ---- Presentation ----------------------------------------------------------------------------

void ErgodicView::updateThetaControls()
{
    if (!m_thetaSlider)
        return;
    m_updatingControls = true;
    m_thetaSlider->setValue(m_samples > 0 ? int(std::lround(m_theta / m_samples * kThetaSteps)) : 0);
    m_updatingControls = false;
    m_thetaValue->setText(tr("%1 of %2").arg(QString::number(m_theta, 'f', 1)).arg(m_samples));
    m_playButton->setText(isPlaying() ? tr("Pause") : tr("Play"));
    m_playButton->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playButton->setToolTip(isPlaying() ? tr("Stop the animation here") : tr("Let θ grow and watch the line fill the box"));
    if (m_coverage && m_codebook)
        m_coverage->setText(tr("Farthest any point of the box lies from a sample: %1 (%2 % of l)")
                                .arg(num(m_coveringRadius))
                                .arg(QString::number(100.0 * m_coveringRadius / m_box, 'f', 1)));
}

void ErgodicView::updateScene()
{
    if (!m_codebook || !m_canvas)
        return;
    ErgodicScene sc;
    sc.centreX = m_cx;
    sc.centreY = m_cy;
    sc.box = m_box;
    sc.trajectory = m_segments;
    sc.hasHead = m_theta > 0 && m_theta < m_samples;
    sc.head = m_head;
    sc.samples.reserve(m_visibleSamples);
    for (std::size_t i = 0; i < m_visibleSamples; ++i)
        sc.samples.emplace_back(m_codebook->x(i + 1), m_codebook->y(i + 1));
    const int classes = effectiveClasses();
    if (classes > 0 && m_farthest > m_box / 2) {
        const ClassRings rings(m_box, m_farthest, classes);
        for (int k = 0; k <= classes; ++k)
            sc.rings.push_back(rings.radius(k));
    } else {
        sc.rings.push_back(m_box / 2);
    }
    const std::size_t n = pairCount();
    const std::size_t stride = std::max<std::size_t>(1, (n + kMaxCloud - 1) / kMaxCloud);
    for (std::size_t i = 0; i < n; i += stride)
        sc.cloud.emplace_back(m_pairs[2 * i], m_pairs[2 * i + 1]);
    if (m_selection.valid) {
        sc.selection.valid = true;
        sc.selection.classIndex = m_selection.classIndex;
        sc.selection.point = QPointF(m_selection.x, m_selection.y);
        sc.selection.pulled = QPointF(m_selection.pulledX, m_selection.pulledY);
        sc.selection.sample = QPointF(m_codebook->x(m_selection.sample), m_codebook->y(m_selection.sample));
        sc.selection.decoded = QPointF(m_selection.decodedX, m_selection.decodedY);
    }
    QString dir;
    switch (m_direction) {
    case Direction::Paper: dir = tr("paper's direction 1 : %1").arg(m_codebook->side()); break;
    case Direction::Rational: dir = tr("rational direction 1 : 2"); break;
    case Direction::Irrational: dir = tr("irrational direction 1 : √2"); break;
    case Direction::Custom: dir = tr("direction %1 : %2").arg(num(m_customDx), num(m_customDy)); break;
    }
    sc.title = tr("θ·a mod l, %1, θ = %2, U = %3, l = %4")
                   .arg(dir, QString::number(m_theta, 'f', 1))
                   .arg(m_samples)
                   .arg(num(m_box));
    m_canvas->setScene(std::move(sc));
}

void ErgodicView::updateReadout()
{
    if (!m_readout)
        return;
    const Selection &s = m_selection;
    if (!s.valid) {
        m_readout->setText(tr("<span style='color:#5a606a'>Choose a pair or click in the plot: the readout "
                              "shows its class, the sample it is snapped to, the number stored and the pair "
                              "that comes back.</span>"));
        return;
    }
    const int classes = effectiveClasses();
    const double dist = std::hypot(s.x - m_cx, s.y - m_cy);
    auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td style='color:#4a505a; padding-right:10px'>%1</td><td>%2</td></tr>").arg(label, value);
    };
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    html += row(s.isPair ? tr("Pair %1").arg(s.pairIndex) : tr("Clicked point"), QStringLiteral("p = ") + pairText(s.x, s.y));
    html += row(tr("Distance"), tr("|p − c| = %1").arg(num(dist)));
    QString cls;
    if (s.classIndex == 0)
        cls = std::fabs(s.x - m_cx) <= m_box / 2 && std::fabs(s.y - m_cy) <= m_box / 2
            ? tr("0, inside the box")
            : tr("0, outside the box but K = 0");
    else
        cls = tr("%1 of %2, ring r = %3").arg(s.classIndex).arg(classes).arg(num(s.radius));
    html += row(tr("Class k"), QStringLiteral("<span style='color:%1'>■</span> ").arg(ErgodicCanvas::classColour(s.classIndex).name()) + cls);
    if (s.classIndex > 0) {
        html += row(tr("Scale s_k"), num(s.scale));
        html += row(tr("Pulled in"), QStringLiteral("q = ") + pairText(s.pulledX, s.pulledY));
    }
    const QString sampleText = s.sample == 0
        ? tr("S₀, the centre")
        : tr("S<sub>%1</sub>, reached at θ = %2").arg(s.sample).arg(s.sample - 1);
    html += row(tr("Nearest sample"), sampleText);
    html += row(tr("Stored index"), tr("%1 + %2 × %3 = <b>%4</b>").arg(s.sample).arg(m_samples + 1).arg(s.classIndex).arg(s.index));
    html += row(tr("Decoded"), QStringLiteral("p′ = ") + pairText(s.decodedX, s.decodedY));
    html += row(tr("Error"), tr("|p − p′| = %1").arg(num(std::hypot(s.x - s.decodedX, s.y - s.decodedY))));
    html += QStringLiteral("</table>");
    m_readout->setText(html);
}

} // namespace hc
