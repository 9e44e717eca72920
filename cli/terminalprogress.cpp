#include "cli/terminalprogress.h"

#include <cstdio>

namespace hc {

TerminalProgress::TerminalProgress(std::ostream &err, bool enabled) : m_err(err), m_enabled(enabled) {}

TerminalProgress::~TerminalProgress()
{
    finish();
}

void TerminalProgress::setStep(const std::string &title)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_step = title;
}

void TerminalProgress::setProgress(double fraction)
{
    if (!m_enabled)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last < std::chrono::milliseconds(100) && fraction < 1.0)
        return;
    m_last = now;
    char line[64];
    std::snprintf(line, sizeof line, "%5.1f%%", 100.0 * fraction);
    std::string step = m_step.size() > 60 ? "…" + m_step.substr(m_step.size() - 59) : m_step;
    m_err << "\r\033[K" << line << "  " << step << std::flush;
    m_dirty = true;
}

void TerminalProgress::finish()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_enabled && m_dirty)
        m_err << "\r\033[K" << std::flush;
    m_dirty = false;
}

} // namespace hc
