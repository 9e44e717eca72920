#pragma once

#include "core/codec/encodedtensor.h"
#include "core/tensor/dtype.h"

#include <QLineF>
#include <QPointF>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;
class QToolButton;

namespace hc {

class ErgodicCanvas;
class KdTreeSearch;
class LatticeSearch;
class TrajectoryCodebook;

// The teaching tab: the trajectory θ·a mod l drawn as θ grows until it fills the box, the U samples
// it leaves, rational against irrational directions, and how one pair is encoded: its class ring,
// the pull into the inscribed circle, the nearest sample (its θ), the stored index and the decoded
// pair. The main window drives it with setCodec() and setPairs() for the current layer; on its own
// it shows the paper's default codebook around 0. GUI thread only.
class ErgodicView : public QWidget {
    Q_OBJECT
public:
    enum class Direction { Paper, Rational, Irrational, Custom };

    // What the readout shows for the chosen pair or clicked point.
    struct Selection {
        bool valid = false;
        bool isPair = false;      // a pair of the layer (pairIndex), or a clicked point
        int pairIndex = -1;
        double x = 0, y = 0;      // p
        int classIndex = 0;       // k
        double radius = 0;        // r_k (l/2 for class 0)
        double scale = 1;         // s_k
        double pulledX = 0, pulledY = 0; // q = c + s_k (p - c)
        std::uint32_t sample = 0; // j: nearest codebook entry (0 = the centre)
        std::uint32_t index = 0;  // j + (U + 1) k, what the codec stores
        double decodedX = 0, decodedY = 0;
    };

    explicit ErgodicView(QWidget *parent = nullptr);
    ~ErgodicView() override;

    // The codec of the current layer: U, l, K actually used, centre c and farthest distance D
    // (as in an EncodedTensor). Overrides what setPairs() computed. Invalid values (U outside
    // 1 … 4096, l not positive, non-finite numbers) leave the view as it was.
    void setCodec(int samples, double box, int classes, QPointF centre, double farthest, DType dtype = DType::F32);
    void setCodec(const EncodedTensor &header);
    // The layer's pairs, interleaved (x0, y0, x1, y1, …). Centre and D are computed from them as
    // the codec does; K is the one set in the view (0 when every pair lies in the box).
    void setPairs(const std::vector<double> &xy);
    std::size_t pairCount() const { return m_pairs.size() / 2; }

    void setDirection(Direction d);
    Direction direction() const { return m_direction; }
    void setCustomDirection(double dx, double dy); // also switches to Direction::Custom

    void setTheta(double theta);   // how far the trajectory is drawn, 0 … U
    double theta() const { return m_theta; }
    void play();
    void pause();
    bool isPlaying() const;

    void selectPair(int index);
    void selectPoint(double x, double y);
    void clearSelection();
    const Selection &selection() const { return m_selection; }

    // What is drawn, for the main window's screenshots and for tests.
    const std::vector<QLineF> &trajectorySegments() const { return m_segments; }
    std::size_t visibleSamples() const { return m_visibleSamples; }
    const TrajectoryCodebook &codebook() const { return *m_codebook; }
    double coveringRadius() const { return m_coveringRadius; } // farthest any point of the box is from a sample
    int samples() const { return m_samples; }
    double box() const { return m_box; }
    int effectiveClasses() const;
    QPointF centre() const { return {m_cx, m_cy}; }
    double farthest() const { return m_farthest; }
    ErgodicCanvas *canvas() const { return m_canvas; }

Q_SIGNALS:
    void selectionChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslate();
    void rebuildCodebook();
    void rebuildTrajectory();
    void recomputeSelection();
    void updateScene();
    void updateReadout();
    void updateThetaControls();
    void onTick();
    void onCodecControlsChanged();
    double speedPerSecond() const;

    // State
    int m_samples = 225;
    double m_box = 0.1;
    int m_classes = 3;
    double m_cx = 0, m_cy = 0;
    double m_farthest = 0.15;
    DType m_dtype = DType::F32;
    std::vector<double> m_pairs;
    bool m_anyOuter = true;
    Direction m_direction = Direction::Paper;
    double m_customDx = 1, m_customDy = 1.618033988749895;
    double m_theta = 0;
    enum class Chosen { None, Pair, Point } m_chosen = Chosen::None;
    int m_chosenPair = -1;
    double m_chosenX = 0, m_chosenY = 0;

    std::unique_ptr<TrajectoryCodebook> m_codebook;
    std::unique_ptr<LatticeSearch> m_lattice;
    std::unique_ptr<KdTreeSearch> m_kdtree;
    std::vector<QLineF> m_segments;
    QPointF m_head;
    std::size_t m_visibleSamples = 0;
    double m_coveringRadius = 0;
    Selection m_selection;
    bool m_updatingControls = false;

    // UI
    ErgodicCanvas *m_canvas = nullptr;
    QLabel *m_intro = nullptr;
    QGroupBox *m_trajectoryGroup = nullptr;
    QComboBox *m_directionCombo = nullptr;
    QLabel *m_directionLabel = nullptr;
    QLabel *m_customLabel = nullptr;
    QDoubleSpinBox *m_dxSpin = nullptr;
    QDoubleSpinBox *m_dySpin = nullptr;
    QPushButton *m_playButton = nullptr;
    QToolButton *m_restartButton = nullptr;
    QLabel *m_speedLabel = nullptr;
    QComboBox *m_speedCombo = nullptr;
    QLabel *m_thetaCaption = nullptr;
    QSlider *m_thetaSlider = nullptr;
    QLabel *m_thetaValue = nullptr;
    QLabel *m_coverage = nullptr;
    QGroupBox *m_codecGroup = nullptr;
    QLabel *m_samplesLabel = nullptr;
    QLabel *m_boxLabel = nullptr;
    QLabel *m_classesLabel = nullptr;
    QSpinBox *m_samplesSpin = nullptr;
    QDoubleSpinBox *m_boxSpin = nullptr;
    QSpinBox *m_classesSpin = nullptr;
    QGroupBox *m_pairGroup = nullptr;
    QLabel *m_pairLabel = nullptr;
    QSpinBox *m_pairSpin = nullptr;
    QPushButton *m_randomButton = nullptr;
    QLabel *m_pairHint = nullptr;
    QGroupBox *m_readoutGroup = nullptr;
    QLabel *m_readout = nullptr;
    QTimer *m_timer = nullptr;
};

} // namespace hc
