#include "sync/protocol/FieldReader.h"

#include "base/BoundedJson.h"

#include <algorithm>
#include <cctype>

namespace zaitaku::sync::protocol
{

namespace
{
const nlohmann::json kNull;
const nlohmann::json kEmptyArray = nlohmann::json::array();

bool isHex(const std::string& text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}
} // namespace

Expected<nlohmann::json, Error> parseObject(std::string_view body, std::size_t maxBytes)
{
    if (body.size() > maxBytes) {
        return Unexpected(Error{Errc::ProtocolViolation, "the body has " + std::to_string(body.size()) +
                                                             " bytes; at most " + std::to_string(maxBytes) +
                                                             " are accepted"});
    }
    if (!base::jsonNestingWithin(body)) {
        return Unexpected(Error{Errc::ProtocolViolation,
                                "the body nests deeper than " + std::to_string(base::kMaxJsonDepth) + " levels"});
    }
    auto json = base::parseJson(body);
    if (json.is_discarded()) {
        return Unexpected(Error{Errc::ProtocolViolation, "the body is not valid JSON"});
    }
    if (!json.is_object()) {
        return Unexpected(Error{Errc::ProtocolViolation, "the body must be a JSON object"});
    }
    return json;
}

FieldReader::FieldReader(const nlohmann::json& object, std::string path)
    : FieldReader(object, std::move(path), std::make_shared<std::optional<Error>>())
{}

FieldReader::FieldReader(const nlohmann::json& object, std::string path, std::shared_ptr<std::optional<Error>> error)
    : m_object(&object)
    , m_path(std::move(path))
    , m_error(std::move(error))
{
    if (!m_object->is_object() && ok()) {
        *m_error = Error{Errc::ProtocolViolation, "must be an object", m_path.empty() ? "(body)" : m_path};
    }
}

std::string FieldReader::pathOf(std::string_view key) const
{
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

void FieldReader::fail(std::string_view key, const std::string& message)
{
    if (ok()) {
        const std::string field = pathOf(key);
        *m_error = Error{Errc::ProtocolViolation, "field '" + field + "' " + message, field};
    }
}

const nlohmann::json* FieldReader::find(std::string_view key, bool required)
{
    if (!ok() || !m_object->is_object()) {
        return nullptr;
    }
    auto it = m_object->find(key);
    if (it == m_object->end() || (it->is_null() && required)) {
        if (required) {
            fail(key, "is required");
        }
        return nullptr;
    }
    return it->is_null() ? nullptr : &*it;
}

std::string FieldReader::string(std::string_view key, std::size_t maxLength)
{
    auto value = optionalString(key, maxLength);
    if (!value && ok()) {
        fail(key, "is required");
    }
    return value.value_or(std::string());
}

std::optional<std::string> FieldReader::optionalString(std::string_view key, std::size_t maxLength)
{
    const auto* value = find(key, false);
    if (!value) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        fail(key, "must be a string");
        return std::nullopt;
    }
    const auto& text = value->get_ref<const std::string&>();
    if (text.size() > maxLength) {
        fail(key, "is longer than " + std::to_string(maxLength) + " bytes");
        return std::nullopt;
    }
    return text;
}

std::int64_t FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max)
{
    const auto* value = find(key, true);
    if (!value) {
        return min;
    }
    if (!value->is_number_integer()) {
        fail(key, "must be an integer");
        return min;
    }
    const auto number = value->get<std::int64_t>();
    if (number < min || number > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return min;
    }
    return number;
}

bool FieldReader::boolean(std::string_view key)
{
    const auto* value = find(key, true);
    if (!value) {
        return false;
    }
    if (!value->is_boolean()) {
        fail(key, "must be true or false");
        return false;
    }
    return value->get<bool>();
}

base::Timestamp FieldReader::timestamp(std::string_view key)
{
    auto value = optionalTimestamp(key);
    if (!value && ok()) {
        fail(key, "is required");
    }
    return value.value_or(base::Timestamp::fromUtc({}));
}

std::optional<base::Timestamp> FieldReader::optionalTimestamp(std::string_view key)
{
    auto text = optionalString(key, 40);
    if (!text) {
        return std::nullopt;
    }
    auto parsed = base::Timestamp::parse(*text);
    if (!parsed) {
        fail(key, "must be an RFC 3339 instant (YYYY-MM-DDThh:mm:ss±hh:mm)");
        return std::nullopt;
    }
    return *parsed;
}

base::Date FieldReader::date(std::string_view key)
{
    const auto text = string(key, 10);
    auto parsed = base::Date::parse(text);
    if (ok() && !parsed) {
        fail(key, "must be a date (YYYY-MM-DD)");
    }
    return parsed ? *parsed : base::Date::fromSysDays({});
}

std::string FieldReader::hex(std::string_view key, std::size_t bytes, std::size_t maxLength)
{
    auto text = string(key, bytes ? bytes * 2 : maxLength);
    if (!ok()) {
        return {};
    }
    if ((bytes && text.size() != bytes * 2) || text.size() % 2 != 0 || !isHex(text)) {
        fail(key, bytes ? "must be " + std::to_string(bytes) + " bytes of hex" : "must be hex");
        return {};
    }
    std::transform(text.begin(), text.end(), text.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

const nlohmann::json& FieldReader::array(std::string_view key, std::size_t maxItems)
{
    const auto* value = find(key, true);
    if (!value) {
        return kEmptyArray;
    }
    if (!value->is_array()) {
        fail(key, "must be an array");
        return kEmptyArray;
    }
    if (value->size() > maxItems) {
        fail(key,
             "has " + std::to_string(value->size()) + " items; at most " + std::to_string(maxItems) + " are accepted");
        return kEmptyArray;
    }
    return *value;
}

const nlohmann::json& FieldReader::object(std::string_view key)
{
    const auto* value = find(key, true);
    if (value && !value->is_object()) {
        fail(key, "must be an object");
        return kNull;
    }
    return value ? *value : kNull;
}

const nlohmann::json& FieldReader::optionalObject(std::string_view key)
{
    const auto* value = find(key, false);
    if (value && !value->is_object()) {
        fail(key, "must be an object or null");
        return kNull;
    }
    return value ? *value : kNull;
}

FieldReader FieldReader::element(const nlohmann::json& array, std::string_view key, std::size_t index)
{
    return FieldReader(array.at(index), pathOf(key) + "[" + std::to_string(index) + "]", m_error);
}

FieldReader FieldReader::child(std::string_view key)
{
    return FieldReader(object(key), pathOf(key), m_error);
}

void FieldReader::allowOnly(std::initializer_list<std::string_view> keys)
{
    allowOnly(std::vector<std::string_view>(keys));
}

void FieldReader::allowOnly(const std::vector<std::string_view>& keys)
{
    if (!ok() || !m_object->is_object()) {
        return;
    }
    for (const auto& item : m_object->items()) {
        if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
            fail(item.key(), "is not part of this message");
            return;
        }
    }
}

} // namespace zaitaku::sync::protocol
