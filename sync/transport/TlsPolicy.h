#pragma once

// The one TLS policy of both ends: TLS 1.2 or 1.3 only (1.3 preferred by OpenSSL), and for 1.2
// only ECDHE key exchange with AEAD ciphers.

namespace zaitaku::sync::transport
{

inline constexpr const char* kTls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                                             "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
                                             "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

} // namespace zaitaku::sync::transport
