#pragma once

#include "core/util/progresssink.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <ostream>
#include <string>

namespace hc {

// Progress on stderr for long runs, only when it is a terminal: one line rewritten in place,
// at most ten times a second. Silent otherwise, so scripts and logs stay clean.
class TerminalProgress : public ProgressSink {
public:
    TerminalProgress(std::ostream &err, bool enabled);
    ~TerminalProgress() override;
    void setStep(const std::string &title) override;
    void setProgress(double fraction) override;
    void finish();

private:
    std::ostream &m_err;
    bool m_enabled;
    std::mutex m_mutex;
    std::string m_step;
    std::chrono::steady_clock::time_point m_last{};
    bool m_dirty = false;
};

} // namespace hc
