#include "base/Date.h"

#include <cstdio>

namespace zaitaku::base
{

namespace
{

using namespace std::chrono;

bool allDigits(std::string_view s)
{
    for (char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !s.empty();
}

int toInt(std::string_view digits)
{
    int v = 0;
    for (char c : digits) {
        v = v * 10 + (c - '0');
    }
    return v;
}

year_month_day ymd(sys_days d)
{
    return year_month_day{d};
}

} // namespace

bool isLeapYear(int y)
{
    return year{y}.is_leap();
}

Expected<Date, Error> Date::fromYmd(int y, unsigned m, unsigned d)
{
    if (y < kMinYear || y > kMaxYear) {
        return Unexpected(Error{Errc::OutOfRange, "year " + std::to_string(y) + " is outside " +
                                                      std::to_string(kMinYear) + ".." + std::to_string(kMaxYear)});
    }
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!date.ok()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
        return Unexpected(Error{Errc::ImpossibleDate, std::string(buf) + " is not a calendar date"});
    }
    return Date(std::chrono::sys_days{date});
}

Expected<Date, Error> Date::parse(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !allDigits(text.substr(0, 4)) ||
        !allDigits(text.substr(5, 2)) || !allDigits(text.substr(8, 2))) {
        return Unexpected(Error{Errc::InvalidFormat, "expected a date as YYYY-MM-DD"});
    }
    return fromYmd(toInt(text.substr(0, 4)), static_cast<unsigned>(toInt(text.substr(5, 2))),
                   static_cast<unsigned>(toInt(text.substr(8, 2))));
}

Expected<Date, Error> Date::parseCompact(std::string_view text)
{
    if (text.size() != 8 || !allDigits(text)) {
        return Unexpected(Error{Errc::InvalidFormat, "expected a date as YYYYMMDD"});
    }
    return fromYmd(toInt(text.substr(0, 4)), static_cast<unsigned>(toInt(text.substr(4, 2))),
                   static_cast<unsigned>(toInt(text.substr(6, 2))));
}

int Date::year() const
{
    return static_cast<int>(ymd(m_days).year());
}

unsigned Date::month() const
{
    return static_cast<unsigned>(ymd(m_days).month());
}

unsigned Date::day() const
{
    return static_cast<unsigned>(ymd(m_days).day());
}

std::string Date::toString() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
    return buf;
}

std::string Date::toCompact() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", year(), month(), day());
    return buf;
}

Date Date::addDays(int n) const
{
    return Date(m_days + std::chrono::days{n});
}

Date Date::addMonths(int n) const
{
    namespace chr = std::chrono;
    const chr::year_month_day current = ymd(m_days);
    const chr::year_month target = chr::year_month{current.year(), current.month()} + chr::months{n};
    const chr::year_month_day_last last{target.year(), chr::month_day_last{target.month()}};
    const chr::day d = current.day() > last.day() ? last.day() : current.day();
    return Date(chr::sys_days{chr::year_month_day{target.year(), target.month(), d}});
}

Date Date::lastDayOfMonth() const
{
    namespace chr = std::chrono;
    const chr::year_month_day current = ymd(m_days);
    return Date(chr::sys_days{chr::year_month_day_last{current.year(), chr::month_day_last{current.month()}}});
}

Date Date::firstDayOfNextMonth() const
{
    return lastDayOfMonth().addDays(1);
}

} // namespace zaitaku::base
