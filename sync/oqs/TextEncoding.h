#pragma once

// Shift_JIS ⇄ UTF-8 through iconv. OQS files declare "Shift_JIS" but are written by Windows
// software, so the conversion uses CP932 (Shift_JIS plus the NEC/IBM extensions such as ①, ㈱
// and 髙 that plain Shift_JIS lacks) [I].

#include "base/Expected.h"
#include "sync/SyncError.h"

#include <string>
#include <string_view>

namespace zaitaku::sync::oqs
{

enum class TextEncoding
{
    Utf8,
    ShiftJis,
};

std::string_view encodingName(TextEncoding encoding); // as written in an XML declaration

// XmlEncoding errors name the byte offset of the first sequence that does not convert.
Expected<std::string, Error> shiftJisToUtf8(std::string_view bytes);
Expected<std::string, Error> utf8ToShiftJis(std::string_view text);
Expected<std::string, Error> encodeText(std::string_view utf8, TextEncoding encoding);

// Strict UTF-8 (no overlongs, no surrogates); the offset of the first bad byte, or npos.
std::size_t firstInvalidUtf8(std::string_view bytes);

} // namespace zaitaku::sync::oqs
