#pragma once

// Schema checks for protocol messages: typed reads of named fields that stop at the first problem
// and report it with the field's full path ("records[2].payload_sha256"), so a 400 names exactly
// what was wrong. Unknown fields are refused too (allowOnly): a message either follows the schema
// of its version or is rejected.

#include "base/Date.h"
#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/protocol/WireLimits.h"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::protocol
{

// Parses a body as a JSON object (ProtocolViolation when it is not one or is too large).
Expected<nlohmann::json, Error> parseObject(std::string_view body, std::size_t maxBytes);

class FieldReader
{
public:
    explicit FieldReader(const nlohmann::json& object, std::string path = {});

    std::string string(std::string_view key, std::size_t maxLength = 256);
    std::optional<std::string> optionalString(std::string_view key, std::size_t maxLength = 256);
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    bool boolean(std::string_view key);
    base::Timestamp timestamp(std::string_view key);
    std::optional<base::Timestamp> optionalTimestamp(std::string_view key);
    base::Date date(std::string_view key);
    // Hex of exactly `bytes` bytes (0: any even length up to maxLength), returned in lower case.
    std::string hex(std::string_view key, std::size_t bytes, std::size_t maxLength = 256);
    // An array (at most maxItems); the empty array when the field is in error.
    const nlohmann::json& array(std::string_view key, std::size_t maxItems);
    // An object (any JSON object, not schema-checked here); null when the field is in error.
    const nlohmann::json& object(std::string_view key);
    const nlohmann::json& optionalObject(std::string_view key);
    // A reader for element i of an array read from this reader, sharing the error.
    FieldReader element(const nlohmann::json& array, std::string_view key, std::size_t index);
    // A reader for the object at `key` (required), sharing the error.
    FieldReader child(std::string_view key);
    // Refuses any field of this object not listed.
    void allowOnly(std::initializer_list<std::string_view> keys);
    void allowOnly(const std::vector<std::string_view>& keys);

    bool ok() const { return !m_error->has_value(); }
    // The first problem (InvalidInput-style ProtocolViolation with the field path).
    const Error& error() const { return **m_error; }
    void fail(std::string_view key, const std::string& message);

private:
    FieldReader(const nlohmann::json& object, std::string path, std::shared_ptr<std::optional<Error>> error);
    const nlohmann::json* find(std::string_view key, bool required);
    std::string pathOf(std::string_view key) const;

    const nlohmann::json* m_object;
    std::string m_path;
    std::shared_ptr<std::optional<Error>> m_error;
};

// Runs `read` over a body parsed as one object of at most kMaxBodyBytes; the first schema problem
// becomes the error.
template <typename T, typename Read> Expected<T, Error> parseMessage(std::string_view body, Read read)
{
    auto json = parseObject(body, kMaxBodyBytes);
    if (!json) {
        return Unexpected(json.error());
    }
    FieldReader reader(*json);
    T message = read(reader);
    if (!reader.ok()) {
        return Unexpected(reader.error());
    }
    return message;
}

} // namespace zaitaku::sync::protocol
