#pragma once

// Evidence captured when online confirmation fails (F6 ladder, docs/design/DOMAIN.md §3).

#include "base/CodeTable.h"
#include "base/Date.h"
#include "base/Timestamp.h"

#include <array>
#include <optional>
#include <string>

namespace zaitaku::model
{

// In F6 order: try each before the next.
enum class FallbackKind
{
    MynaportalScreen,  // マイナポータルの資格情報画面 [S:P16][S:P9]
    MynaportalPdf,     // マイナポータルからダウンロードしたPDF [seed 003/004]
    OshirasePlusCard,  // 資格情報のお知らせ + マイナンバーカード [S:P9]
    PaperCard,         // 健康保険証 (until its expiry, at the latest 2025-12-01) [S:P31]
    ShikakuKakuninsho, // 資格確認書 [S:P31]
    VerbalRevisit,     // revisit: the patient confirms nothing changed [S:P16]
    Moushitatesho,     // 被保険者資格申立書 [S:P16][S:P17]
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::FallbackKind>
{
    static constexpr std::string_view name = "FallbackKind";
    static constexpr std::array<CodeEntry<model::FallbackKind>, 7> entries{{
        {model::FallbackKind::MynaportalScreen, "mynaportal_screen", "マイナポータルの資格情報画面"},
        {model::FallbackKind::MynaportalPdf, "mynaportal_pdf", "マイナポータルの資格情報PDF"},
        {model::FallbackKind::OshirasePlusCard, "oshirase_plus_card", "資格情報のお知らせ＋マイナンバーカード"},
        {model::FallbackKind::PaperCard, "paper_card", "健康保険証"},
        {model::FallbackKind::ShikakuKakuninsho, "shikaku_kakuninsho", "資格確認書"},
        {model::FallbackKind::VerbalRevisit, "verbal_revisit", "再診時の口頭確認"},
        {model::FallbackKind::Moushitatesho, "moushitatesho", "被保険者資格申立書"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

struct FallbackEvidence
{
    std::string id;
    std::string visitId;
    FallbackKind kind = FallbackKind::Moushitatesho;
    std::string capturedFieldsJson; // what staff transcribed (insurer, numbers, copay ratio …)
    std::string staffId;
    base::Timestamp capturedAt = base::Timestamp::fromUtc({});
    std::optional<base::Date> discardAfter; // 申立書: after the claim is paid (R4)
};

} // namespace zaitaku::model
