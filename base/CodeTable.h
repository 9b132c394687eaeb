#pragma once

// One mechanism for every coded value (OQS code lists, our own enums): a table of
// {enum value, wire code, Japanese label} per enum, declared by specialising CodeTable<E>.
// Codes tagged [S:n] in docs/ are copied from public sources; nothing is invented here.

#include "base/BaseError.h"
#include "base/Expected.h"

#include <string>
#include <string_view>

namespace zaitaku::base
{

template <typename E> struct CodeEntry
{
    E value;
    std::string_view code;
    std::string_view label;
};

// Specialise with: static constexpr std::string_view name; static constexpr std::array entries.
template <typename E> struct CodeTable;

template <typename E> Expected<E, Error> fromCode(std::string_view code)
{
    for (const auto& entry : CodeTable<E>::entries) {
        if (entry.code == code) {
            return entry.value;
        }
    }
    return Unexpected(Error{Errc::UnknownCode,
                            "unknown " + std::string(CodeTable<E>::name) + " code '" + std::string(code) + "'",
                            std::string(CodeTable<E>::name)});
}

template <typename E> std::string_view toCode(E value)
{
    for (const auto& entry : CodeTable<E>::entries) {
        if (entry.value == value) {
            return entry.code;
        }
    }
    return {};
}

template <typename E> std::string_view labelOf(E value)
{
    for (const auto& entry : CodeTable<E>::entries) {
        if (entry.value == value) {
            return entry.label;
        }
    }
    return {};
}

} // namespace zaitaku::base
