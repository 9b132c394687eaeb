#pragma once

// The consent texts compiled into the binary (generated from verify/consent/texts).

#include <string_view>
#include <vector>

namespace zaitaku::consent::detail
{

struct EmbeddedText
{
    std::string_view path; // "2026-11/ja/diag.txt"
    std::string_view bytes;
};

const std::vector<EmbeddedText>& embeddedTexts();

} // namespace zaitaku::consent::detail
