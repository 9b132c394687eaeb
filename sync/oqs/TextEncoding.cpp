#include "sync/oqs/TextEncoding.h"

#include <cerrno>
#include <iconv.h>
#include <memory>

namespace zaitaku::sync::oqs
{

namespace
{

struct IconvCloser
{
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

Expected<std::string, Error> convert(std::string_view bytes, const char* from, const char* to, std::string_view what)
{
    iconv_t raw = iconv_open(to, from);
    if (raw == reinterpret_cast<iconv_t>(-1)) {
        return Unexpected(Error{Errc::XmlEncoding, std::string("iconv cannot convert ") + from + " to " + to});
    }
    std::unique_ptr<void, IconvCloser> cd(raw);
    std::string out;
    out.resize(bytes.size() * 2 + 16);
    char* in = const_cast<char*>(bytes.data());
    std::size_t inLeft = bytes.size();
    std::size_t done = 0;
    while (inLeft > 0) {
        char* outPtr = out.data() + done;
        std::size_t outLeft = out.size() - done;
        const std::size_t r = iconv(raw, &in, &inLeft, &outPtr, &outLeft);
        done = out.size() - outLeft;
        if (r != static_cast<std::size_t>(-1)) {
            break;
        }
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        const auto offset = static_cast<std::size_t>(in - bytes.data());
        return Unexpected(Error{Errc::XmlEncoding,
                                std::string(what) + ": the byte sequence at offset " + std::to_string(offset) +
                                    (errno == EINVAL ? " is cut short" : " has no mapping"),
                                "offset " + std::to_string(offset)});
    }
    out.resize(done);
    return out;
}

} // namespace

std::string_view encodingName(TextEncoding encoding)
{
    return encoding == TextEncoding::ShiftJis ? "Shift_JIS" : "UTF-8";
}

Expected<std::string, Error> shiftJisToUtf8(std::string_view bytes)
{
    return convert(bytes, "CP932", "UTF-8", "not valid Shift_JIS (CP932)");
}

Expected<std::string, Error> utf8ToShiftJis(std::string_view text)
{
    return convert(text, "UTF-8", "CP932", "a character cannot be written in Shift_JIS (CP932)");
}

Expected<std::string, Error> encodeText(std::string_view utf8, TextEncoding encoding)
{
    if (encoding == TextEncoding::ShiftJis) {
        return utf8ToShiftJis(utf8);
    }
    return std::string(utf8);
}

std::size_t firstInvalidUtf8(std::string_view s)
{
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    while (i < s.size()) {
        const unsigned char c = byte(i);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) {
                return i;
            }
            cp = (cp << 6) | (byte(i + k) & 0x3F);
        }
        const bool overlong = (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

} // namespace zaitaku::sync::oqs
