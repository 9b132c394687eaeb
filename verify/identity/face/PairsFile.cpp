#include "verify/identity/face/PairsFile.h"

#include <charconv>
#include <cstdio>
#include <sstream>

namespace zaitaku::identity::face
{

namespace
{

bool parseIndex(const std::string& token, int& out)
{
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
    return ec == std::errc() && end == token.data() + token.size() && out >= 0 && out < 100000;
}

bool validName(const std::string& name)
{
    // A name becomes a folder: no path separators, no "..".
    return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

} // namespace

std::string lfwImagePath(const std::string& root, const std::string& name, int index)
{
    char number[16];
    std::snprintf(number, sizeof number, "%04d", index);
    return root + "/" + name + "/" + name + "_" + number + ".jpg";
}

Expected<std::vector<LabelledPair>, Error> parsePairs(std::string_view text, const std::string& imageRoot)
{
    std::vector<LabelledPair> pairs;
    std::istringstream in{std::string(text)};
    std::string line;
    int lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        std::istringstream fields(line);
        std::vector<std::string> tokens;
        for (std::string token; fields >> token;) {
            tokens.push_back(token);
        }
        if (tokens.empty() || tokens[0][0] == '#') {
            continue;
        }
        const auto bad = [&](const std::string& why) {
            return Unexpected(
                Error{Errc::InvalidInput, "pairs line " + std::to_string(lineNumber) + ": " + why, "pairs"});
        };
        int a = 0, b = 0;
        if (lineNumber == 1 && tokens.size() <= 2 && parseIndex(tokens[0], a) &&
            (tokens.size() == 1 || parseIndex(tokens[1], b))) {
            continue; // header: folds and pairs per fold
        }
        if (tokens.size() == 3) {
            if (!validName(tokens[0]) || !parseIndex(tokens[1], a) || !parseIndex(tokens[2], b)) {
                return bad("expected 'name index index'");
            }
            pairs.push_back({lfwImagePath(imageRoot, tokens[0], a), lfwImagePath(imageRoot, tokens[0], b), true});
        } else if (tokens.size() == 4) {
            if (!validName(tokens[0]) || !validName(tokens[2]) || !parseIndex(tokens[1], a) ||
                !parseIndex(tokens[3], b)) {
                return bad("expected 'name index name index'");
            }
            pairs.push_back({lfwImagePath(imageRoot, tokens[0], a), lfwImagePath(imageRoot, tokens[2], b), false});
        } else {
            return bad("expected 3 fields (the same person) or 4 (two people), found " + std::to_string(tokens.size()));
        }
    }
    if (pairs.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "the pairs file holds no pairs", "pairs"});
    }
    return pairs;
}

} // namespace zaitaku::identity::face
