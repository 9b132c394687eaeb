#pragma once

// A calendar date (no time, no zone) as used by OQS and the rules: 2025-07-08.
// Text form is ISO 8601 YYYY-MM-DD; OQS XML uses YYYYMMDD (parseCompact/toCompact).

#include "base/BaseError.h"
#include "base/Expected.h"

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

namespace zaitaku::base
{

class Date
{
public:
    static constexpr int kMinYear = 1868; // Meiji 1: the oldest era a card's birth date can carry
    static constexpr int kMaxYear = 2199;

    // Strict: exactly YYYY-MM-DD, a real calendar day, within [kMinYear, kMaxYear].
    static Expected<Date, Error> parse(std::string_view text);
    // Strict: exactly YYYYMMDD (OQS XML).
    static Expected<Date, Error> parseCompact(std::string_view text);
    static Expected<Date, Error> fromYmd(int year, unsigned month, unsigned day);
    static Date fromSysDays(std::chrono::sys_days days) { return Date(days); }

    int year() const;
    unsigned month() const;
    unsigned day() const;
    std::chrono::sys_days sysDays() const { return m_days; }

    std::string toString() const;  // YYYY-MM-DD
    std::string toCompact() const; // YYYYMMDD

    Date addDays(int days) const;
    // Calendar months; a day that does not exist in the target month is clamped to its last day
    // (2025-05-31 minus 3 months is 2025-02-28), as the 民法 第143条 rule for periods does.
    Date addMonths(int months) const;
    Date lastDayOfMonth() const;
    Date firstDayOfNextMonth() const;
    bool isLastDayOfMonth() const { return *this == lastDayOfMonth(); }

    friend auto operator<=>(const Date&, const Date&) = default;
    friend bool operator==(const Date&, const Date&) = default;

private:
    explicit Date(std::chrono::sys_days days)
        : m_days(days)
    {}
    std::chrono::sys_days m_days;
};

bool isLeapYear(int year);

} // namespace zaitaku::base
