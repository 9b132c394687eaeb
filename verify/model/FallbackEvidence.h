#pragma once

// Evidence captured when online confirmation fails (F6 ladder, DOMAIN.md §3).

#include "verify/model/CodeTable.h"
#include "verify/model/Date.h"
#include "verify/model/Timestamp.h"

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

template <> struct CodeTable<FallbackKind>
{
    static constexpr std::string_view name = "FallbackKind";
    static constexpr std::array<CodeEntry<FallbackKind>, 7> entries{{
        {FallbackKind::MynaportalScreen, "mynaportal_screen", "マイナポータルの資格情報画面"},
        {FallbackKind::MynaportalPdf, "mynaportal_pdf", "マイナポータルの資格情報PDF"},
        {FallbackKind::OshirasePlusCard, "oshirase_plus_card", "資格情報のお知らせ＋マイナンバーカード"},
        {FallbackKind::PaperCard, "paper_card", "健康保険証"},
        {FallbackKind::ShikakuKakuninsho, "shikaku_kakuninsho", "資格確認書"},
        {FallbackKind::VerbalRevisit, "verbal_revisit", "再診時の口頭確認"},
        {FallbackKind::Moushitatesho, "moushitatesho", "被保険者資格申立書"},
    }};
};

struct FallbackEvidence
{
    std::string id;
    std::string visitId;
    FallbackKind kind = FallbackKind::Moushitatesho;
    std::string capturedFieldsJson; // what staff transcribed (insurer, numbers, copay ratio …)
    std::string staffId;
    Timestamp capturedAt = Timestamp::fromUtc({});
    std::optional<Date> discardAfter; // 申立書: after the claim is paid (R4)
};

} // namespace zaitaku::model
