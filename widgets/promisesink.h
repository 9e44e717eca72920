#pragma once

#include "core/util/progresssink.h"

#include <QPromise>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace hc {

// Progress of a background job into its QPromise (0..1000, only ever forward, so a job made of
// phases never jumps back), cancellation from the view's atomic flag. Thread-safe.
template <typename T>
class PromiseSink : public ProgressSink {
public:
    PromiseSink(QPromise<T> &promise, const std::atomic<bool> *flag) : m_promise(promise), m_flag(flag) {}
    void setProgress(double fraction) override
    {
        const int value = int(std::lround(1000.0 * std::clamp(fraction, 0.0, 1.0)));
        int last = m_last.load(std::memory_order_relaxed);
        while (value > last && !m_last.compare_exchange_weak(last, value)) {
        }
        if (value > last)
            m_promise.setProgressValue(value);
    }
    bool cancelRequested() const override { return m_flag->load(std::memory_order_relaxed); }

private:
    QPromise<T> &m_promise;
    const std::atomic<bool> *m_flag;
    std::atomic<int> m_last{0};
};

} // namespace hc
