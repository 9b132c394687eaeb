#include "ui/session/RouteView.h"

#include "sync/store/FollowUpTasks.h"
#include "sync/store/PatientRoster.h"
#include "verify/rules/Age.h"
#include "verify/rules/PrecheckFlags.h"

#include <algorithm>
#include <map>

namespace zaitaku::session
{

Expected<std::vector<RouteEntry>, sync::Error> loadRoute(sync::sql::Database& db, const base::Timestamp& now)
{
    namespace store = sync::store;
    auto roster = store::PatientRoster::list(db);
    if (!roster) {
        return Unexpected(roster.error());
    }
    std::vector<RouteEntry> route;
    const auto today = now.localDate();
    for (auto& patient : *roster) {
        RouteEntry entry;
        entry.ageYears = rules::ageOn(patient.birthdate, today);
        auto care = store::PatientRoster::careOf(db, patient.id);
        auto latest = store::SnapshotCache::latestFor(db, patient.id);
        if (!care || !latest) {
            return Unexpected(!care ? care.error() : latest.error());
        }
        entry.care = std::move(*care);
        auto tasks = store::FollowUpTasks::forPatient(db, patient.id, *latest);
        if (!tasks) {
            return Unexpected(tasks.error());
        }
        if (*latest) {
            const auto& cached = **latest;
            entry.resultAge = std::chrono::duration_cast<std::chrono::minutes>(
                std::max(now.utc() - cached.receivedAt.utc(), std::chrono::sys_seconds::duration{0}));
            entry.flags = rules::precheckFlags(&cached.snapshot, cached.receivedAt.localDate(), today);
            entry.latest = std::move(**latest);
        } else {
            entry.flags = rules::precheckFlags(nullptr, std::nullopt, today);
        }
        for (const auto& task : *tasks) {
            entry.flags.push_back(task.code);
            if (!task.detail.empty()) {
                entry.notes.push_back(task.detail);
            }
        }
        entry.patient = std::move(patient);
        route.push_back(std::move(entry));
    }
    return route;
}

void addFlags(RouteEntry& entry, const std::vector<std::string>& flags)
{
    for (const auto& flag : flags) {
        if (std::find(entry.flags.begin(), entry.flags.end(), flag) == entry.flags.end()) {
            entry.flags.push_back(flag);
        }
    }
}

const char* flagLabel(const std::string& flag)
{
    static const std::map<std::string, const char*> labels{
        {"no_result", "資格確認結果なし"},
        {"oqs_unavailable", "資格確認端末が応答なし"},
        {"not_assigned", "この端末の担当患者ではありません（ゲートウェイで割り当て）"},
        {"ecert_expiring", "電子証明書の有効期限が近い"},
        {"ecert_grace", "電子証明書の有効期限切れ（猶予期間中）"},
        {"ecert_unusable", "電子証明書が使用できません"},
        {"query_failed", "照会エラー"},
        {"card_not_registered", "保険証利用登録なし（カードリーダー・マイナポータル等で登録。それまでは資格確認書）"},
        {"eligibility_lost", "資格（無効）: 旧資格情報で請求するか、現在の資格を確認"},
        {"eligibility_changed",
         "資格変更あり: 新しい資格をマイナ保険証で再確認（またはマイナポータル・資格情報のお知らせ）"},
        {"eligibility_not_confirmed", "資格が確認できません"},
        // Seed 003: 「カナ氏名を確認することによる受付や、「●」表記のままでもレセプト請求が可能」.
        {"name_placeholder", "氏名に●（外字）を含む: カナ氏名で確認（「●」のままで請求できます）"},
        {"processing_notice", "処理結果のお知らせあり"},
        {"copay_change_70", "70歳到達：負担割合の変更"},
        {"insurer_change_75", "75歳到達：後期高齢者医療へ移行"},
        {"result_stale", "結果が30日以上前"},
        {"collect_qualification_documents",
         "オフライン初回の資格が確認できませんでした: "
         "次回、資格確認書か資格情報のお知らせ（マイナポータル画面）を見せてもらう（なければ被保険者資格申立書）"},
        {"requery_pending",
         "再照会待ち: 送信後にゲートウェイがオンライン資格確認に再照会します（本日の資格はまだ確認されていません）"},
        {"requery_refused", "ゲートウェイが再照会できませんでした: 次回はカードか代替手段で確認"},
        {"requery_not_confirmed",
         "再照会で資格が確認できません（資格（無効）・該当なし等）: 次回はカードで確認するか代替手段"},
        {"requery_changed", "再照会で保険者または負担割合が変わりました: 請求先と窓口負担を確認"},
        {"identity_mismatch", "本人と一致しない資格確認結果があります（この患者の結果にはしていません）"},
        {"kana_differs", "カナ氏名が名簿と異なります"},
    };
    const auto it = labels.find(flag);
    return it == labels.end() ? "確認が必要です" : it->second;
}

std::string ageLabel(std::chrono::minutes age)
{
    const auto minutes = age.count();
    if (minutes < 60) {
        return std::to_string(minutes) + " 分前";
    }
    if (minutes < 24 * 60) {
        return std::to_string(minutes / 60) + " 時間前";
    }
    return std::to_string(minutes / (24 * 60)) + " 日前";
}

} // namespace zaitaku::session
