#include "widgets/helpdialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace hc {

namespace {

// Diagram geometry in logical pixels. The numbers follow ALGORITHM.md with K = 3 and U = 49
// (a 7 x 7 sheared lattice), scaled so the farthest pair lies at D = 170.
constexpr int kWidth = 640;
constexpr int kHeight = 400;
const QPointF kCentre(190, 200);
constexpr double kHalfBox = 48;
constexpr double kFarthest = 170;
constexpr int kClasses = 3;
constexpr int kSamples = 49;

const QColor kInk(0x1d, 0x35, 0x57);
const QColor kBoxFill(0xdc, 0xec, 0xfb);
const QColor kTrajectory(0x62, 0xc4, 0xf0);
const QColor kRing(0x5c, 0x6f, 0x8a);
const QColor kInscribed(0xf0, 0x8c, 0x00);
const QColor kOutlier(0xd6, 0x28, 0x28);
const QColor kWeight(0x8d, 0x99, 0xae);

const QUrl kDiagramUrl(QStringLiteral("hc-help:box-and-rings.png"));

// "r" with the subscript digits of k, as the paper writes the ring radii.
QString ringName(int k)
{
    QString name = QStringLiteral("r");
    for (const QChar digit : QString::number(k))
        name += QChar(0x2080 + digit.digitValue());
    return name;
}

double ringRadius(int k)
{
    const double width = (kFarthest - kHalfBox) / kClasses;
    return k == kClasses ? kFarthest : kHalfBox + k * width;
}

// Box coordinates (origin at the box's lower-left corner, y up) to diagram pixels.
QPointF fromBox(double x, double y)
{
    return {kCentre.x() - kHalfBox + x, kCentre.y() + kHalfBox - y};
}

// The codebook of ALGORITHM.md step 6: S_0 = c, then theta * (l/m^2, l/m) mod l.
QList<QPointF> trajectorySamples()
{
    const double l = 2 * kHalfBox;
    const int m = int(std::ceil(std::sqrt(double(kSamples))));
    QList<QPointF> samples{kCentre};
    for (int theta = 0; theta < kSamples; ++theta)
        samples.append(fromBox(std::fmod(theta * l / (m * m), l), std::fmod(theta * l / m, l)));
    return samples;
}

void drawArrow(QPainter &p, QPointF from, QPointF to, const QColor &colour)
{
    p.setPen(QPen(colour, 1.8, Qt::DashLine, Qt::RoundCap));
    p.drawLine(from, to);
    const QPointF d = (to - from) / std::hypot(to.x() - from.x(), to.y() - from.y());
    const QPointF n(-d.y(), d.x());
    QPainterPath head;
    head.moveTo(to);
    head.lineTo(to - 9 * d + 4.5 * n);
    head.lineTo(to - 9 * d - 4.5 * n);
    head.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPath(head);
}

void drawLegendItem(QPainter &p, double y, const QString &text, const std::function<void(QPointF)> &symbol)
{
    symbol(QPointF(412, y + 8));
    p.setPen(kInk);
    p.setBrush(Qt::NoBrush);
    p.drawText(QRectF(430, y, kWidth - 440, 50), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
}

} // namespace

QSize HelpDialog::diagramSize()
{
    return {kWidth, kHeight};
}

QRectF HelpDialog::diagramBoxRect()
{
    return {kCentre.x() - kHalfBox, kCentre.y() - kHalfBox, 2 * kHalfBox, 2 * kHalfBox};
}

QImage HelpDialog::renderDiagram(qreal devicePixelRatio)
{
    const qreal dpr = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    QImage image(QSize(int(std::ceil(kWidth * dpr)), int(std::ceil(kHeight * dpr))),
                 QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    // A fixed light background keeps the colours readable under dark themes too.
    image.fill(Qt::white);

    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(12);
    p.setFont(font);

    // Class rings r_1 .. r_K (r_K = D); the disc of radius D holds every pair.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xf4, 0xf7, 0xfb));
    p.drawEllipse(kCentre, kFarthest, kFarthest);
    for (int k = 1; k <= kClasses; ++k) {
        const double r = ringRadius(k);
        p.setPen(QPen(kRing, 1.2, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(kCentre, r, r);
        const double angle = -2.45; // label the rings along the upper left, away from the outlier
        const QPointF at = kCentre + QPointF(std::cos(angle), std::sin(angle)) * r;
        const QString label = k == kClasses ? tr("%1 = D").arg(ringName(k)) : ringName(k);
        p.setPen(kRing);
        p.drawText(QRectF(at.x() - 46, at.y() - 18, 44, 16), Qt::AlignRight | Qt::AlignVCenter, label);
    }

    // The centre box of side l with the winding trajectory theta * a mod l inside it: with
    // a = (l/m^2, l/m) it climbs one column per m steps, so it is m parallel segments.
    const QRectF box = diagramBoxRect();
    p.setPen(Qt::NoPen);
    p.setBrush(kBoxFill);
    p.drawRect(box);
    const double l = 2 * kHalfBox;
    const int m = int(std::ceil(std::sqrt(double(kSamples))));
    p.save();
    p.setClipRect(box);
    p.setPen(QPen(kTrajectory, 1.4));
    for (int column = 0; column < m; ++column)
        p.drawLine(fromBox(column * l / m, 0), fromBox((column + 1) * l / m, l));
    p.restore();
    p.setPen(QPen(kInk, 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(box);

    // The inscribed circle: every pulled-in outlier lands inside it.
    p.setPen(QPen(kInscribed, 1.4, Qt::DotLine));
    p.drawEllipse(kCentre, kHalfBox, kHalfBox);

    // The samples S_theta on the sheared lattice.
    const QList<QPointF> samples = trajectorySamples();
    p.setPen(Qt::NoPen);
    p.setBrush(kInk);
    for (const QPointF &s : samples)
        p.drawEllipse(s, 2.6, 2.6);

    // A few weight pairs outside the box, one per ring, drawn hollow.
    p.setPen(QPen(kWeight, 1.5));
    p.setBrush(Qt::white);
    const QPointF weights[] = {{265, 234}, {120, 272}, {100, 150}, {214, 335}, {330, 180}};
    for (const QPointF &w : weights)
        p.drawEllipse(w, 4, 4);

    // An outlier p of class 2 pulled to q = c + s_2 (p - c), then snapped to its nearest sample.
    const double angle = -0.62;
    const QPointF direction(std::cos(angle), std::sin(angle));
    const double distance = 0.5 * (ringRadius(1) + ringRadius(2)) + 6;
    const QPointF outlier = kCentre + direction * distance;
    const QPointF pulled = kCentre + direction * distance * (kHalfBox / ringRadius(2));
    QPointF nearest = samples.constFirst();
    for (const QPointF &s : samples) {
        if (std::hypot(s.x() - pulled.x(), s.y() - pulled.y())
            < std::hypot(nearest.x() - pulled.x(), nearest.y() - pulled.y()))
            nearest = s;
    }
    drawArrow(p, outlier, pulled, kOutlier);
    p.setPen(QPen(kOutlier, 2));
    p.setBrush(Qt::white);
    p.drawEllipse(outlier, 5, 5);
    p.setBrush(kOutlier);
    p.setPen(Qt::NoPen);
    p.drawEllipse(pulled, 3.5, 3.5);
    p.setPen(QPen(kInk, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(nearest, 6, 6);
    p.setPen(kOutlier);
    p.drawText(QRectF(outlier.x() + 8, outlier.y() - 22, 120, 16), Qt::AlignLeft | Qt::AlignVCenter, tr("p (class 2)"));

    // Centre mark and the box side.
    // The label sits on a white patch: the lattice around c is dense.
    const QRectF centreLabel(kCentre.x() - 15, kCentre.y() + 3, 11, 14);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 230));
    p.drawRoundedRect(centreLabel, 3, 3);
    p.setPen(kInk);
    p.drawText(centreLabel, Qt::AlignCenter, tr("c"));
    const double y = box.bottom() + 12;
    p.setPen(QPen(kInk, 1.2));
    p.drawLine(QPointF(box.left(), y), QPointF(box.right(), y));
    p.drawLine(QPointF(box.left(), y - 4), QPointF(box.left(), y + 4));
    p.drawLine(QPointF(box.right(), y - 4), QPointF(box.right(), y + 4));
    p.drawText(QRectF(box.left(), y + 2, box.width(), 16), Qt::AlignHCenter | Qt::AlignTop, tr("l"));

    // Legend.
    QFont bold = font;
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(kInk);
    p.drawText(QRectF(404, 18, kWidth - 414, 18), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Example: U = %1, K = %2").arg(kSamples).arg(kClasses));
    p.setFont(font);
    double row = 50;
    const double step = 54;
    drawLegendItem(p, row, tr("Centre box of side l around the centroid c"), [&](QPointF at) {
        p.setPen(QPen(kInk, 1.5));
        p.setBrush(kBoxFill);
        p.drawRect(QRectF(at.x() - 7, at.y() - 7, 14, 14));
    });
    drawLegendItem(p, row += step, tr("Trajectory θ·a mod l winding through the box"), [&](QPointF at) {
        p.setPen(QPen(kTrajectory, 2));
        p.drawLine(at + QPointF(-8, 7), at + QPointF(8, -7));
    });
    drawLegendItem(p, row += step, tr("Its U samples S(θ), the codebook"), [&](QPointF at) {
        p.setPen(Qt::NoPen);
        p.setBrush(kInk);
        p.drawEllipse(at, 3, 3);
    });
    drawLegendItem(p, row += step,
                   tr("Class rings %1 … %2 (K = %3) sort the outliers by distance")
                       .arg(ringName(1), ringName(kClasses))
                       .arg(kClasses),
                   [&](QPointF at) {
                       p.setPen(QPen(kRing, 1.2, Qt::DashLine));
                       p.setBrush(Qt::NoBrush);
                       p.drawEllipse(at, 7, 7);
                   });
    drawLegendItem(p, row += step, tr("Inscribed circle of radius l/2"), [&](QPointF at) {
        p.setPen(QPen(kInscribed, 1.5, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(at, 7, 7);
    });
    drawLegendItem(p, row += step,
                   tr("An outlier p is scaled towards c into the circle, then stored as its nearest sample"),
                   [&](QPointF at) {
                       p.setPen(QPen(kOutlier, 2));
                       p.setBrush(Qt::white);
                       p.drawEllipse(at, 5, 5);
                   });
    p.end();
    return image;
}

QList<HelpDialog::Shortcut> HelpDialog::shortcuts()
{
    return {
        {QKeySequence(Qt::CTRL | Qt::Key_O), QT_TR_NOOP("Open a model")},
        {QKeySequence(Qt::CTRL | Qt::Key_E), QT_TR_NOOP("Export the configuration and the archive")},
        {QKeySequence(Qt::CTRL | Qt::Key_R), QT_TR_NOOP("Compress the whole model")},
        {QKeySequence(Qt::CTRL | Qt::Key_T), QT_TR_NOOP("Auto-tune U, l and K per layer")},
        {QKeySequence(Qt::CTRL | Qt::Key_S), QT_TR_NOOP("Save the settings as a config")},
        {QKeySequence(Qt::CTRL | Qt::Key_L), QT_TR_NOOP("Load a config")},
        {QKeySequence(Qt::CTRL | Qt::Key_Z), QT_TR_NOOP("Undo the last change of the settings")},
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QT_TR_NOOP("Redo")},
        {QKeySequence(Qt::CTRL | Qt::Key_0), QT_TR_NOOP("Zoom the cloud to the centre box")},
        {QKeySequence(Qt::CTRL | Qt::Key_9), QT_TR_NOOP("Zoom the cloud to all pairs")},
        {QKeySequence(Qt::Key_F1), QT_TR_NOOP("Show this help")},
        {QKeySequence(Qt::CTRL | Qt::Key_Comma), QT_TR_NOOP("Preferences")},
        {QKeySequence(Qt::CTRL | Qt::Key_Q), QT_TR_NOOP("Quit")},
    };
}

HelpDialog::HelpDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("HelpDialog"));
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("helpBrowser"));
    m_browser->setOpenExternalLinks(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser, 1);
    layout->addWidget(buttons);

    resize(760, 680);
    retranslateUi();
}

void HelpDialog::showSection(const QString &anchor)
{
    m_browser->scrollToAnchor(anchor);
}

void HelpDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void HelpDialog::retranslateUi()
{
    setWindowTitle(tr("HyperComp Workbench Help"));
    // The diagram's labels are translated too, so it is drawn again with the text.
    m_browser->document()->addResource(QTextDocument::ImageResource, kDiagramUrl,
                                       renderDiagram(std::max<qreal>(1.0, devicePixelRatioF())));
    m_browser->setHtml(html());
}

QString HelpDialog::html() const
{
    const auto row = [](const QString &name, const QString &text) {
        return QStringLiteral(
                   "<tr><td style=\"padding:3px 12px 3px 0\"><b>%1</b></td><td style=\"padding:3px 0\">%2</td></tr>")
            .arg(name, text);
    };

    QString h;
    h += QStringLiteral("<h2>%1</h2>").arg(tr("HyperComp Workbench"));
    h += QStringLiteral("<p>%1</p>")
             .arg(tr("Hyper-compression stores a neural network's weights two at a time. Each pair of weights is a "
                     "point in the plane; instead of the two numbers, the archive keeps the index of the nearest "
                     "point on a trajectory that winds through a small box. Three settings decide how well this "
                     "works for a layer."));

    h += QStringLiteral("<h3><a name=\"parameters\"></a>%1</h3>").arg(tr("What U, l and K mean"));
    h += QStringLiteral("<p align=\"center\"><img src=\"%1\" width=\"%2\" height=\"%3\"></p>")
             .arg(kDiagramUrl.toString())
             .arg(kWidth)
             .arg(kHeight);
    h += QStringLiteral("<table>");
    h += row(tr("l, the box side"),
             tr("A square of side l is centred on the centroid c of the layer's pairs. Pairs inside it are "
                "stored directly; pairs outside are outliers. A small box gives fine steps but many outliers."));
    h += row(tr("U, the samples"),
             tr("The line θ·a mod l winds through the box without ever closing. U points on it, a sheared "
                "lattice, form the codebook; each pair is stored as the number of its nearest sample. More "
                "samples mean a smaller error and longer indices: the error inside the box is about l / (2√U)."));
    h += row(tr("K, the classes"),
             tr("Outliers are sorted by their distance from c into K rings. An outlier in ring k is scaled "
                "towards c until it lies in the circle of radius l/2, encoded there, and scaled back when "
                "restored, so its error grows with its ring. Auto K tries 1 … K and keeps the best."));
    h += QStringLiteral("</table>");

    h += QStringLiteral("<h3><a name=\"readouts\"></a>%1</h3>").arg(tr("Reading the readouts"));
    h += QStringLiteral("<p>%1</p>")
             .arg(tr("Every figure is computed on all of the layer's weights, even when the plot shows a sample "
                     "of them."));
    h += QStringLiteral("<table>");
    h += row(tr("MAE"), tr("Mean absolute error between the original and the restored weights, the paper's measure."));
    h += row(tr("Max error"), tr("The largest error of any single weight; outliers in the outer rings set it."));
    h += row(tr("Relative error"),
             tr("‖w − ŵ‖ / ‖w‖: the size of the error against the size of the layer, independent of its scale."));
    h += row(tr("SQNR"),
             tr("Signal to quantization noise ratio in dB, 20·log10(‖w‖ / ‖w − ŵ‖). Higher is better; each "
                "extra bit per weight is worth about 6 dB to a uniform quantizer."));
    h += row(tr("Bits per weight"), tr("Index bits per pair divided by two, plus the layer's share of the metadata."));
    h += row(tr("Ratio"), tr("Original bytes divided by compressed bytes, metadata included."));
    h += row(tr("RTN baseline"),
             tr("The same figures for plain round-to-nearest quantization at the same bits per weight, side by "
                "side, so you can see whether hyper-compression wins for this layer."));
    h += QStringLiteral("</table>");

    h += QStringLiteral("<h3><a name=\"shortcuts\"></a>%1</h3>").arg(tr("Keyboard shortcuts"));
    h += QStringLiteral("<table>");
    for (const Shortcut &s : shortcuts())
        h += row(s.keys.toString(QKeySequence::NativeText).toHtmlEscaped(), tr(s.action));
    h += QStringLiteral("</table>");
    return h;
}

} // namespace hc
