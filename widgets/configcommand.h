#pragma once

#include "core/config/compressionconfig.h"

#include <QUndoCommand>

#include <functional>

namespace hc {

// One undoable change of the session's compression config (defaults, per-layer overrides, skip
// patterns): it holds the whole config before and after, so that every kind of change (a slider,
// "apply to all layers", a sweep click, an auto-tune result, a loaded config file) undoes alike.
// Consecutive live changes of one layer (a slider drag) merge into a single step.
class ConfigCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const CompressionConfig &)>;
    // `mergeKey` >= 0 lets consecutive commands with the same key merge (e.g. the layer's row)
    // until one marked `closing` (the slider's release) ends the chain.
    ConfigCommand(CompressionConfig before, CompressionConfig after, Apply apply, const QString &text, int mergeKey = -1,
                  bool closing = true);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeKey >= 0 ? 0x4843 : -1; }
    bool mergeWith(const QUndoCommand *other) override;

    const CompressionConfig &before() const { return m_before; }
    const CompressionConfig &after() const { return m_after; }

private:
    CompressionConfig m_before, m_after;
    Apply m_apply;
    int m_mergeKey;
    bool m_closed;
    bool m_firstRedo = true;
};

} // namespace hc
