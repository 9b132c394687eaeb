#include "base/BoundedJson.h"

namespace zaitaku::base
{

bool jsonNestingWithin(std::string_view text, std::size_t maxDepth)
{
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth) {
                return false;
            }
            break;
        case ']':
        case '}':
            depth = depth == 0 ? 0 : depth - 1; // unbalanced text is the parser's to refuse
            break;
        default:
            break;
        }
    }
    return true;
}

nlohmann::json parseJson(std::string_view text, std::size_t maxDepth)
{
    if (!jsonNestingWithin(text, maxDepth)) {
        return nlohmann::json(nlohmann::json::value_t::discarded);
    }
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

} // namespace zaitaku::base
