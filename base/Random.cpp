#include "base/Random.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sys/random.h>

namespace zaitaku::base
{

void SystemRandom::fill(std::span<std::uint8_t> out)
{
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            // No entropy means no keys: continuing would be worse than stopping.
            std::perror("getrandom");
            std::abort();
        }
        done += static_cast<std::size_t>(n);
    }
}

void SeededRandom::fill(std::span<std::uint8_t> out)
{
    for (auto& byte : out) {
        byte = static_cast<std::uint8_t>(m_engine() >> 56);
    }
}

std::string makeUuid(RandomSource& random)
{
    std::array<std::uint8_t, 16> b{};
    random.fill(b);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            text += '-';
        }
        text += kHex[b[i] >> 4];
        text += kHex[b[i] & 0x0f];
    }
    return text;
}

} // namespace zaitaku::base
