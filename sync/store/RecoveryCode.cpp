#include "sync/store/RecoveryCode.h"

#include <array>
#include <cctype>

namespace zaitaku::sync::store
{

namespace
{
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32
constexpr std::size_t kBytes = 20;
constexpr std::size_t kChars = kBytes * 8 / 5; // 32
} // namespace

std::string makeRecoveryCode(base::RandomSource& random)
{
    base::SecureBytes bits(kBytes);
    random.fill(bits.span());
    std::string code;
    unsigned buffer = 0;
    int held = 0;
    std::size_t produced = 0;
    for (std::size_t i = 0; i < kBytes; ++i) {
        buffer = (buffer << 8) | bits.data()[i];
        held += 8;
        while (held >= 5) {
            if (produced > 0 && produced % 4 == 0) {
                code += '-';
            }
            code += kAlphabet[(buffer >> (held - 5)) & 0x1f];
            held -= 5;
            ++produced;
        }
    }
    return code;
}

Expected<std::string, Error> normaliseRecoveryCode(std::string_view typed)
{
    std::string canonical;
    for (const char raw : typed) {
        if (raw == '-' || raw == ' ') {
            continue;
        }
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
        if (c == 'O') {
            c = '0';
        } else if (c == 'I' || c == 'L') {
            c = '1';
        }
        if (kAlphabet.find(c) == std::string_view::npos) {
            return Unexpected(
                Error{Errc::InvalidInput, "the recovery code contains a character it cannot have", "recovery_code"});
        }
        canonical += c;
    }
    if (canonical.size() != kChars) {
        return Unexpected(Error{Errc::InvalidInput, "a recovery code has 32 characters", "recovery_code"});
    }
    return canonical;
}

} // namespace zaitaku::sync::store
