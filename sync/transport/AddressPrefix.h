#pragma once

// The network a remote address belongs to, for connection caps: one host owns a whole IPv6 /64
// and can alias many IPv4 addresses of its LAN (or all of 127/8 on loopback), so a cap keyed on
// the exact address is no cap at all (security review H2).

#include <string>

namespace zaitaku::sync::transport
{

// "192.0.2.77" → "192.0.2.0/24"; "2001:db8:1:2:a:b:c:d" → "2001:db8:1:2::/64"; an IPv4-mapped
// IPv6 address counts as its IPv4 address. Anything unparsable is its own bucket (the text).
std::string addressPrefix(const std::string& address);

} // namespace zaitaku::sync::transport
