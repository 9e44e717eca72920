#pragma once

#include <QDialog>
#include <QImage>
#include <QKeySequence>
#include <QList>
#include <QRectF>
#include <QSize>

class QTextBrowser;

namespace hc {

// Help > Contents (F1): what U, l and K mean, with a diagram of the centre box, the class rings, the
// trajectory samples and an outlier pulled into the box; how to read the readouts; the shortcuts.
class HelpDialog : public QDialog {
    Q_OBJECT

public:
    struct Shortcut {
        QKeySequence keys;
        const char *action; // untranslated; shown through tr()
    };

    explicit HelpDialog(QWidget *parent = nullptr);

    // The workbench's keyboard shortcuts, as the help page lists them.
    static QList<Shortcut> shortcuts();

    // The diagram, in logical pixels of diagramSize(), drawn at `devicePixelRatio`.
    static QImage renderDiagram(qreal devicePixelRatio = 1.0);
    static QSize diagramSize();
    // Where the centre box lies in the diagram (logical pixels).
    static QRectF diagramBoxRect();

    QTextBrowser *browser() const { return m_browser; }
    // Scrolls to a section: "parameters", "readouts" or "shortcuts".
    void showSection(const QString &anchor);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    QString html() const;

    QTextBrowser *m_browser = nullptr;
};

} // namespace hc
