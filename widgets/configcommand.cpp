#include "widgets/configcommand.h"

namespace hc {

ConfigCommand::ConfigCommand(CompressionConfig before, CompressionConfig after, Apply apply, const QString &text,
                             int mergeKey, bool closing)
    : m_before(std::move(before)), m_after(std::move(after)), m_apply(std::move(apply)), m_mergeKey(mergeKey),
      m_closed(closing)
{
    setText(text);
}

void ConfigCommand::undo()
{
    m_apply(m_before);
}

void ConfigCommand::redo()
{
    // The change is already on screen when the command is pushed; only a real redo applies it.
    if (m_firstRedo) {
        m_firstRedo = false;
        return;
    }
    m_apply(m_after);
}

bool ConfigCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const ConfigCommand *>(other);
    if (m_closed || o->m_mergeKey != m_mergeKey || m_mergeKey < 0)
        return false;
    m_after = o->m_after;
    m_closed = o->m_closed;
    return true;
}

} // namespace hc
