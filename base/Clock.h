#pragma once

// Time is injected: rules (age, certificate grace), consent windows, challenge expiry and sync
// backoff all take a Clock, so tests set the date instead of waiting for it.

#include "base/Date.h"
#include "base/Timestamp.h"

#include <chrono>

namespace zaitaku::base
{

class Clock
{
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() const = 0;

    Timestamp nowJst() const;
    Date todayJst() const;
};

class SystemClock final : public Clock
{
public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to (tests, demos, replay).
class ManualClock final : public Clock
{
public:
    explicit ManualClock(std::chrono::system_clock::time_point start)
        : m_now(start)
    {}
    explicit ManualClock(const Timestamp& start)
        : m_now(start.utc())
    {}
    std::chrono::system_clock::time_point now() const override { return m_now; }
    void set(std::chrono::system_clock::time_point t) { m_now = t; }
    void advance(std::chrono::system_clock::duration d) { m_now += d; }

private:
    std::chrono::system_clock::time_point m_now;
};

// The steady clock: orders a visit's events and measures durations even when the wall clock is
// changed (a tablet that was off for a week, NTP stepping after the signal returns).
class MonotonicClock
{
public:
    virtual ~MonotonicClock() = default;
    virtual std::chrono::nanoseconds sinceBoot() const = 0;
};

class SteadyClock final : public MonotonicClock
{
public:
    std::chrono::nanoseconds sinceBoot() const override { return std::chrono::steady_clock::now().time_since_epoch(); }
};

class ManualMonotonicClock final : public MonotonicClock
{
public:
    std::chrono::nanoseconds sinceBoot() const override { return m_now; }
    void advance(std::chrono::nanoseconds d) { m_now += d; }

private:
    std::chrono::nanoseconds m_now{1'000'000'000};
};

} // namespace zaitaku::base
