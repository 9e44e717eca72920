#pragma once

#include <string>

namespace hc {

// Progress and cancellation for long core work (the CCCoreLib pattern): the core reports and
// polls, the UI layer implements it (a progress bar, a QPromise, a terminal line).
// Implementations must be safe to call from several worker threads at once.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    // fraction in [0, 1] of the current step; may be called often and from any thread.
    virtual void setProgress(double fraction) { (void)fraction; }
    virtual void setStep(const std::string &title) { (void)title; }
    virtual bool cancelRequested() const { return false; }
};

} // namespace hc
