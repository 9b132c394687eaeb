#pragma once

// An instant with the UTC offset it was written in: 2025-06-10T14:30:00+09:00.
// Japan has one zone and no daylight saving, so JST is a fixed +09:00 offset.

#include "base/BaseError.h"
#include "base/Date.h"
#include "base/Expected.h"

#include <chrono>
#include <string>
#include <string_view>

namespace zaitaku::base
{

class Timestamp
{
public:
    static constexpr int kJstOffsetMinutes = 9 * 60;

    // Strict RFC 3339 subset: YYYY-MM-DDThh:mm:ss followed by Z or ±hh:mm (no fractions).
    static Expected<Timestamp, Error> parse(std::string_view text);
    static Timestamp fromUtc(std::chrono::sys_seconds utc, int offsetMinutes = kJstOffsetMinutes)
    {
        return Timestamp(utc, offsetMinutes);
    }

    std::chrono::sys_seconds utc() const { return m_utc; }
    int offsetMinutes() const { return m_offsetMinutes; }

    // The same instant written with another offset.
    Timestamp withOffset(int offsetMinutes) const { return Timestamp(m_utc, offsetMinutes); }
    Timestamp plus(std::chrono::seconds d) const { return Timestamp(m_utc + d, m_offsetMinutes); }
    // The calendar date at this instant in its own offset.
    Date localDate() const;

    std::string toString() const; // in its own offset, e.g. 2025-06-10T14:30:00+09:00

    // Instants compare by UTC; the offset is presentation only.
    friend bool operator==(const Timestamp& a, const Timestamp& b) { return a.m_utc == b.m_utc; }
    friend auto operator<=>(const Timestamp& a, const Timestamp& b) { return a.m_utc <=> b.m_utc; }

private:
    Timestamp(std::chrono::sys_seconds utc, int offsetMinutes)
        : m_utc(utc)
        , m_offsetMinutes(offsetMinutes)
    {}
    std::chrono::sys_seconds m_utc;
    int m_offsetMinutes;
};

} // namespace zaitaku::base
