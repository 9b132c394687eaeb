#pragma once

// Work the route must carry to the next visit. Today one kind: a first visit recorded offline on
// the strength of the card, for which OQS later answered "not confirmed" (無効, 該当資格なし, an
// error …). Nothing proves the qualification for that visit's claim, so at the next visit staff
// collect a 被保険者資格申立書 or the 資格情報のお知らせ / マイナポータル screen
// [seed 003: 「初診の場合 被保険者資格申立書 (事後に確認)」]. Derived from the store each time the
// route loads: it disappears once fallback evidence is recorded after that answer, or a newer
// answer confirms the qualification.

#include "sync/SyncError.h"
#include "sync/store/Database.h"
#include "sync/store/SnapshotCache.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

struct FollowUpTask
{
    std::string code;    // "collect_qualification_documents"
    std::string visitId; // the visit it is about
};

class FollowUpTasks
{
public:
    static Expected<std::vector<FollowUpTask>, Error>
    forPatient(Database& db, const std::string& patientId, const std::optional<CachedSnapshot>& latest);
};

} // namespace zaitaku::sync::store
