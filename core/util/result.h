#pragma once

#include <optional>
#include <string>
#include <utility>

namespace hc {

// A value or a one-sentence error message. The core never throws across its API:
// callers decide how to word and show a failure.
template <typename T>
class Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    static Result failure(std::string message)
    {
        Result r;
        r.m_error = std::move(message);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const std::string &error() const { return m_error; }

    T &value() & { return *m_value; }
    const T &value() const & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    T *operator->() { return &*m_value; }
    const T *operator->() const { return &*m_value; }
    T &operator*() { return *m_value; }
    const T &operator*() const { return *m_value; }

private:
    Result() = default;
    std::optional<T> m_value;
    std::string m_error;
};

// For operations that return nothing but may fail.
class Status {
public:
    Status() = default;
    static Status failure(std::string message)
    {
        Status s;
        s.m_error = std::move(message);
        s.m_failed = true;
        return s;
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const std::string &error() const { return m_error; }

private:
    bool m_failed = false;
    std::string m_error;
};

} // namespace hc
