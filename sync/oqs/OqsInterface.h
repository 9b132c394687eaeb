#pragma once

// The OQS file interfaces zaitaku speaks (docs/design/DOMAIN.md §1.2). File names follow the public pattern
// <prefix>_<12-char id>.xml [S:7][U:2]. One interface is ours: the card confirmation request
// (ZTKsicrt01) stands in for the official card channel, which is not public (Q1) — see docs/OQS.md.

#include <optional>
#include <string>
#include <string_view>

namespace zaitaku::sync::oqs
{

enum class Interface
{
    Qualification,         // OQSsiquc01 資格確認 (single, by insurer numbers) [S:7]
    BulkUpload,            // OQSmuquc01 資格確認一括照会 upload → ReceptionNumber [S:7]
    BulkDownload,          // OQSmuquc02 資格確認一括照会 result download [S:7]
    ConsentedBulkUpload,   // OQSmuhvq01 同意済資格情報一括取得（訪問診療等） [S:4]
    ConsentedBulkDownload, // OQSmuhvq02 [S:4]
    DrugInfo,              // YZKsiquc01 薬剤情報 [S:6]
    CheckupInfo,           // TKKsiquc01 特定健診情報 [S:6]
    CardQualification,     // ZTKsicrt01 [I]: confirmation by the card's JPKI certificate (Q1)
};

std::string_view prefixOf(Interface iface, bool request);
// "OQSsiquc01res_202609300001.xml" → {Qualification, request=false, id="202609300001"}.
struct FileName
{
    Interface iface = Interface::Qualification;
    bool request = true;
    std::string id;
};
std::optional<FileName> parseFileName(std::string_view name);
std::string fileNameOf(Interface iface, bool request, std::string_view id);

} // namespace zaitaku::sync::oqs
