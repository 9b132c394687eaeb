#pragma once

// The sync protocol's fixed numbers (docs/PROTOCOL.md, "Sync protocol"). Both ends check them:
// the gateway refuses a larger request with 413 before parsing, the tablet never builds one.

#include <cstddef>
#include <string_view>

namespace zaitaku::sync::protocol
{

inline constexpr std::string_view kApiVersion = "v1";
inline constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;     // any request or response body
inline constexpr std::size_t kMaxRecordPayloadBytes = 512 * 1024; // one record's canonical JSON
inline constexpr std::size_t kMaxRecordsPerBatch = 100;
inline constexpr std::size_t kMaxChallengesPerRequest = 200;
inline constexpr std::size_t kMaxPrecheckPatients = 500;
inline constexpr std::size_t kMaxFeedPage = 500;
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr std::size_t kChallengeNonceBytes = 32;

} // namespace zaitaku::sync::protocol
