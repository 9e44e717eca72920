#pragma once

#include "core/util/progresssink.h"

#include <atomic>

namespace hc {

// Cancellation from an atomic flag that the owner of a background job sets; no progress.
// Safe to poll from any number of threads.
class CancelFlagSink : public ProgressSink {
public:
    explicit CancelFlagSink(const std::atomic<bool> *flag) : m_flag(flag) {}
    bool cancelRequested() const override { return m_flag && m_flag->load(std::memory_order_relaxed); }

private:
    const std::atomic<bool> *m_flag;
};

} // namespace hc
