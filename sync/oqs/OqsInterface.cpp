#include "sync/oqs/OqsInterface.h"

#include <array>

namespace zaitaku::sync::oqs
{

namespace
{
struct Prefix
{
    Interface iface;
    std::string_view stem;
};
constexpr std::array<Prefix, 8> kPrefixes{{
    {Interface::Qualification, "OQSsiquc01"},
    {Interface::BulkUpload, "OQSmuquc01"},
    {Interface::BulkDownload, "OQSmuquc02"},
    {Interface::ConsentedBulkUpload, "OQSmuhvq01"},
    {Interface::ConsentedBulkDownload, "OQSmuhvq02"},
    {Interface::DrugInfo, "YZKsiquc01"},
    {Interface::CheckupInfo, "TKKsiquc01"},
    {Interface::CardQualification, "ZTKsicrt01"},
}};
} // namespace

std::string_view prefixOf(Interface iface, bool request)
{
    static const auto names = [] {
        std::array<std::array<std::string, 2>, kPrefixes.size()> out;
        for (std::size_t i = 0; i < kPrefixes.size(); ++i) {
            out[i][0] = std::string(kPrefixes[i].stem) + "res";
            out[i][1] = std::string(kPrefixes[i].stem) + "req";
        }
        return out;
    }();
    for (std::size_t i = 0; i < kPrefixes.size(); ++i) {
        if (kPrefixes[i].iface == iface) {
            return names[i][request ? 1 : 0];
        }
    }
    return {};
}

std::optional<FileName> parseFileName(std::string_view name)
{
    if (name.size() < 4 || name.substr(name.size() - 4) != ".xml") {
        return std::nullopt;
    }
    name.remove_suffix(4);
    const auto underscore = name.find('_');
    if (underscore != 13) { // 10-char stem + req/res
        return std::nullopt;
    }
    const auto stem = name.substr(0, 10);
    const auto direction = name.substr(10, 3);
    if (direction != "req" && direction != "res") {
        return std::nullopt;
    }
    for (const auto& p : kPrefixes) {
        if (p.stem == stem) {
            FileName out;
            out.iface = p.iface;
            out.request = direction == "req";
            out.id = std::string(name.substr(underscore + 1));
            if (out.id.empty()) {
                return std::nullopt;
            }
            return out;
        }
    }
    return std::nullopt;
}

std::string fileNameOf(Interface iface, bool request, std::string_view id)
{
    return std::string(prefixOf(iface, request)) + "_" + std::string(id) + ".xml";
}

} // namespace zaitaku::sync::oqs
