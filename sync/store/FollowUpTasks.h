#pragma once

// Work the route must carry to the next visit, derived from the store each time the route loads:
//   - collect_qualification_documents: a first visit recorded offline on the strength of the card,
//     for which OQS later answered "not confirmed" (無効, 該当資格なし, an error …). Nothing proves
//     the qualification for that visit's claim, so at the next visit staff ask to see the patient's
//     資格確認書 or 資格情報のお知らせ / マイナポータル screen, or take a 被保険者資格申立書
//     [seed 003: 「初診の場合 被保険者資格申立書 (事後に確認)」]. It disappears once fallback evidence is
//     recorded after that answer, or a newer answer confirms the qualification.
//   - requery_pending: a revisit recorded with no signal whose re-query answer has not arrived;
//     requery_refused: the gateway said in its receipt that it cannot re-query it (R7 there).
//   - requery_not_confirmed: the newest answer is a re-query that did not confirm the qualification
//     (資格（無効）, 該当なし …): read the card at the next visit or take a fallback document.
//   - requery_changed: the newest answer is a re-query that confirmed a different 保険者 or 負担割合
//     than the answer before it (seed 004 再照会: the re-query is what tells today's eligibility).
//   - identity_mismatch: an answer arrived whose 生年月日 is not the patient's (kept out of their
//     record, seed 003 「別人との紐付け誤り」); kana_differs: the answer's カナ氏名 is not the roster's
//     (a warning: 「●」 names are confirmed by their kana [seed 003]). Both carry the two values.

#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/store/SnapshotCache.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

struct FollowUpTask
{
    std::string code;    // one of the codes above
    std::string visitId; // the visit it is about (empty for an answer's change)
    std::string detail;  // Japanese, what changed (requery_changed)
};

class FollowUpTasks
{
public:
    static Expected<std::vector<FollowUpTask>, Error>
    forPatient(sql::Database& db, const std::string& patientId, const std::optional<CachedSnapshot>& latest);
};

} // namespace zaitaku::sync::store
