#include "verify/rules/PatientMatch.h"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace zaitaku::rules
{

namespace
{

std::vector<char32_t> decode(std::string_view s)
{
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n && i + k < s.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

void encode(char32_t cp, std::string& out)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Half-width katakana U+FF66…U+FF9D → full-width (JIS X 0201 order).
constexpr std::array<char32_t, 56> kHalfToFull{
    U'ヲ', U'ァ', U'ィ', U'ゥ', U'ェ', U'ォ', U'ャ', U'ュ', U'ョ', U'ッ', U'ー', U'ア', U'イ', U'ウ',
    U'エ', U'オ', U'カ', U'キ', U'ク', U'ケ', U'コ', U'サ', U'シ', U'ス', U'セ', U'ソ', U'タ', U'チ',
    U'ツ', U'テ', U'ト', U'ナ', U'ニ', U'ヌ', U'ネ', U'ノ', U'ハ', U'ヒ', U'フ', U'ヘ', U'ホ', U'マ',
    U'ミ', U'ム', U'メ', U'モ', U'ヤ', U'ユ', U'ヨ', U'ラ', U'リ', U'ル', U'レ', U'ロ', U'ワ', U'ン'};

// The kana a dakuten voices (ガ = カ + 1 … ド = ト + 1, バ = ハ + 1 …).
bool takesDakuten(char32_t c)
{
    static constexpr std::u32string_view kVoiceable = U"カキクケコサシスセソタチツテトハヒフヘホ";
    return kVoiceable.find(c) != std::u32string_view::npos;
}

} // namespace

std::string normalizedKana(std::string_view text)
{
    std::vector<char32_t> out;
    for (char32_t c : decode(text)) {
        if (c == U' ' || c == U'\u3000' || c == U'・' || c == U'\uFF65') {
            continue; // spaces and the middle dot between family and given names
        }
        if (c >= 0xFF66 && c <= 0xFF9D) {
            c = kHalfToFull[c - 0xFF66];
        } else if (c == 0xFF70) {
            c = U'ー';
        } else if (c >= U'ぁ' && c <= U'ゖ') {
            c += U'ァ' - U'ぁ'; // hiragana → katakana
        }
        if ((c == 0xFF9E || c == U'゛') && !out.empty()) { // half-width dakuten combines with the kana before it
            if (out.back() == U'ウ') {
                out.back() = U'ヴ';
            } else if (takesDakuten(out.back())) {
                out.back() += 1;
            }
            continue;
        }
        if ((c == 0xFF9F || c == U'゜') && !out.empty()) {
            if (out.back() >= U'ハ' && out.back() <= U'ホ' && (out.back() - U'ハ') % 3 == 0) {
                out.back() += 2;
            }
            continue;
        }
        out.push_back(c);
    }
    std::string encoded;
    for (char32_t c : out) {
        encode(c, encoded);
    }
    return encoded;
}

bool sameKana(std::string_view a, std::string_view b)
{
    return normalizedKana(a) == normalizedKana(b);
}

std::optional<std::string>
birthdateMismatch(const std::optional<base::Date>& answer, const base::Date& roster, std::string_view source)
{
    if (!answer || *answer == roster) {
        return std::nullopt;
    }
    return "本人と一致しない可能性があります（" + std::string(source) + "の生年月日 " + answer->toString() +
           "／名簿の生年月日 " + roster.toString() + "）。別の方のカード・資格情報でないか確認してください";
}

std::optional<std::string> kanaDifference(std::string_view answer, std::string_view roster)
{
    if (answer.empty() || roster.empty() || sameKana(answer, roster)) {
        return std::nullopt;
    }
    return "カナ氏名が名簿と異なります（資格確認結果 " + std::string(answer) + "／名簿 " + std::string(roster) +
           "）。本人か確認してください。氏名の「●」（外字）はカナ氏名で確認でき、そのままで請求できます";
}

} // namespace zaitaku::rules
