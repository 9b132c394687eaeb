#include "sync/transport/AddressPrefix.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <cstdio>

namespace zaitaku::sync::transport
{

namespace
{

std::string ipv4Prefix(const std::uint8_t* a)
{
    char out[24];
    std::snprintf(out, sizeof out, "%u.%u.%u.0/24", a[0], a[1], a[2]);
    return out;
}

} // namespace

std::string addressPrefix(const std::string& address)
{
    std::array<std::uint8_t, 16> bytes{};
    if (::inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) {
        return ipv4Prefix(bytes.data());
    }
    if (::inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) {
        return address;
    }
    static constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped.begin(), kMapped.end(), bytes.begin())) {
        return ipv4Prefix(bytes.data() + 12);
    }
    std::array<std::uint8_t, 16> network{};
    std::copy(bytes.begin(), bytes.begin() + 8, network.begin());
    char text[INET6_ADDRSTRLEN];
    ::inet_ntop(AF_INET6, network.data(), text, sizeof text);
    return std::string(text) + "/64";
}

} // namespace zaitaku::sync::transport
