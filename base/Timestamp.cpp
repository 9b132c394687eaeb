#include "base/Timestamp.h"

#include <cstdio>
#include <cstdlib>

namespace zaitaku::base
{

namespace
{

using namespace std::chrono;

bool digitsAt(std::string_view s, std::size_t pos, std::size_t count)
{
    if (pos + count > s.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

int number(std::string_view s, std::size_t pos, std::size_t count)
{
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

Error formatError()
{
    return Error{Errc::InvalidFormat, "expected a date-time as YYYY-MM-DDThh:mm:ss+09:00"};
}

} // namespace

Expected<Timestamp, Error> Timestamp::parse(std::string_view text)
{
    if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || !digitsAt(text, 11, 2) ||
        !digitsAt(text, 14, 2) || !digitsAt(text, 17, 2)) {
        return Unexpected(formatError());
    }
    auto date = Date::parse(text.substr(0, 10));
    if (!date) {
        return Unexpected(date.error());
    }
    const int hh = number(text, 11, 2);
    const int mm = number(text, 14, 2);
    const int ss = number(text, 17, 2);
    if (hh > 23 || mm > 59 || ss > 59) {
        return Unexpected(Error{Errc::ImpossibleDate, std::string(text) + " is not a valid time of day"});
    }
    int offset = 0;
    const std::string_view zone = text.substr(19);
    if (zone == "Z") {
        offset = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' && digitsAt(zone, 1, 2) &&
               digitsAt(zone, 4, 2)) {
        const int oh = number(zone, 1, 2);
        const int om = number(zone, 4, 2);
        if (oh > 14 || om > 59) {
            return Unexpected(Error{Errc::OutOfRange, "UTC offset out of range"});
        }
        offset = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
        return Unexpected(formatError());
    }
    const sys_seconds local = date->sysDays() + hours{hh} + minutes{mm} + seconds{ss};
    return Timestamp(local - minutes{offset}, offset);
}

Date Timestamp::localDate() const
{
    const sys_seconds local = m_utc + minutes{m_offsetMinutes};
    return Date::fromSysDays(floor<days>(local));
}

std::string Timestamp::toString() const
{
    const sys_seconds local = m_utc + minutes{m_offsetMinutes};
    const sys_days day = floor<days>(local);
    const hh_mm_ss<seconds> tod{local - day};
    const int off = std::abs(m_offsetMinutes);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", Date::fromSysDays(day).toString().c_str(),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()), m_offsetMinutes < 0 ? '-' : '+', off / 60, off % 60);
    return buf;
}

} // namespace zaitaku::base
