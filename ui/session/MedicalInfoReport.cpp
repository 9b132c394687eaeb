#include "ui/session/MedicalInfoReport.h"

#include "base/BoundedJson.h"
#include "sync/protocol/MedicalInfoMessages.h"
#include "sync/store/MedicalInfoCache.h"
#include "sync/store/VisitLedger.h"
#include "verify/rules/MedicationReview.h"

#include <algorithm>
#include <sstream>

namespace zaitaku::session
{

namespace
{

std::string dateText(const std::optional<base::Date>& d)
{
    return d ? d->toString() : std::string("日付不明");
}

std::string names(const std::vector<std::string>& list)
{
    std::string out;
    for (const auto& n : list) {
        out += (out.empty() ? "" : "・") + n;
    }
    return out;
}

std::vector<std::string> warningsOf(const rules::MedicationReview& review)
{
    std::vector<std::string> out;
    for (const auto& o : review.overlaps) {
        out.push_back("重複投薬の可能性: " + o.ingredient + "（" + names(o.prescribers) + "、" + o.from.toString() +
                      "〜" + o.to.toString() + "）");
    }
    for (const auto& c : review.doseChanges) {
        out.push_back(std::string(c.sinceLastVisit ? "前回訪問以降の用量変更: " : "用量変更: ") + c.drug + "（" +
                      c.before + " → " + c.after + "、" + c.changedOn.toString() + "）");
    }
    return out;
}

void addMedication(MedicalInfoReport& report, const model::MedicationHistory& history)
{
    for (const auto& e : history.events) {
        MedicationLine line{e.date,
                            std::string(base::labelOf(e.source)),
                            e.facilityName.empty() ? e.facilityCode : e.facilityName,
                            e.prescriberName.empty() ? e.prescriberCode : e.prescriberName,
                            {}};
        for (const auto& d : e.drugs) {
            line.drugs.push_back({d.name, d.quantity + d.unit, d.usage, d.times});
        }
        report.medications.push_back(std::move(line));
    }
    std::stable_sort(report.medications.begin(), report.medications.end(),
                     [](const MedicationLine& a, const MedicationLine& b) { return a.date > b.date; });
}

void addCheckups(MedicalInfoReport& report, const model::CheckupHistory& history)
{
    for (const auto& c : history.checkups) {
        CheckupYear year{c.date, {}};
        for (const auto& i : c.items) {
            year.items.push_back({i.name.empty() ? i.code : i.name, i.value.empty() ? i.valueName : i.value, i.unit,
                                  rules::checkupMark(i, history.subject.sexCode)});
        }
        report.checkups.push_back(std::move(year));
    }
    std::stable_sort(report.checkups.begin(), report.checkups.end(),
                     [](const CheckupYear& a, const CheckupYear& b) { return a.date > b.date; });
}

template <typename T> void keepEarliest(std::optional<T>& slot, const T& value)
{
    if (!slot || value.utc() < slot->utc()) {
        slot = value;
    }
}

} // namespace

Expected<MedicalInfoReport, sync::Error>
medicalInfoReport(sync::store::Store& store, const std::string& patientId, std::optional<base::Date> lastVisit)
{
    auto rows = sync::store::MedicalInfoCache::availableFor(store.db(), patientId, store.clock().nowJst());
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (!lastVisit) {
        auto last =
            sync::store::VisitLedger::lastVisitBefore(store.db(), patientId, store.clock().nowJst().localDate());
        if (!last) {
            return Unexpected(last.error());
        }
        lastVisit = *last;
    }
    MedicalInfoReport report;
    for (const auto& row : *rows) {
        auto item =
            sync::protocol::parseMedicalInfoItem(base::parseJson(std::string(row.payload.begin(), row.payload.end())));
        if (!item) {
            return Unexpected(sync::Error{sync::Errc::StoreCorrupted,
                                          "a cached medical-information item is unreadable: " + item.error().message});
        }
        report.viewable = true;
        keepEarliest(report.fetchedAt, item->fetchedAt);
        keepEarliest(report.viewUntil, row.availableUntil);
        if (item->medication) {
            report.subjectName = item->medication->subject.name;
            addMedication(report, *item->medication);
            for (auto& w : warningsOf(rules::reviewMedication(*item->medication, lastVisit))) {
                report.warnings.push_back(std::move(w));
            }
        }
        if (item->checkups) {
            if (report.subjectName.empty()) {
                report.subjectName = item->checkups->subject.name;
            }
            addCheckups(report, *item->checkups);
        }
    }
    if (!report.viewable) {
        report.reasonJa = "閲覧期間外、または未取得のため表示できる薬剤情報・特定健診情報はありません";
    }
    return report;
}

nlohmann::json toJson(const MedicalInfoReport& r)
{
    nlohmann::json meds = nlohmann::json::array();
    for (const auto& m : r.medications) {
        nlohmann::json drugs = nlohmann::json::array();
        for (const auto& d : m.drugs) {
            drugs.push_back({{"name", d.name}, {"dose", d.dose}, {"usage", d.usage}, {"days", d.days}});
        }
        meds.push_back({{"date", m.date ? nlohmann::json(m.date->toString()) : nlohmann::json(nullptr)},
                        {"source", m.source},
                        {"facility", m.facility},
                        {"prescriber", m.prescriber},
                        {"drugs", drugs}});
    }
    nlohmann::json checkups = nlohmann::json::array();
    for (const auto& c : r.checkups) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& i : c.items) {
            items.push_back({{"name", i.name},
                             {"value", i.value},
                             {"unit", i.unit},
                             {"out_of_range", i.mark.has_value()},
                             {"limit", i.mark ? i.mark->limit : std::string()}});
        }
        checkups.push_back(
            {{"date", c.date ? nlohmann::json(c.date->toString()) : nlohmann::json(nullptr)}, {"items", items}});
    }
    auto time = [](const std::optional<base::Timestamp>& t) {
        return t ? nlohmann::json(t->toString()) : nlohmann::json(nullptr);
    };
    return {{"viewable", r.viewable},
            {"reason_ja", r.reasonJa},
            {"subject_name", r.subjectName},
            {"fetched_at", time(r.fetchedAt)},
            {"view_until", time(r.viewUntil)},
            {"warnings", r.warnings},
            {"medications", meds},
            {"checkups", checkups}};
}

std::string jstMinutes(const base::Timestamp& t)
{
    auto text = t.withOffset(9 * 60).toString().substr(0, 16);
    std::replace(text.begin(), text.end(), 'T', ' ');
    return text;
}

std::string toText(const MedicalInfoReport& r, const base::Timestamp& now, std::size_t maxMedications)
{
    std::ostringstream out;
    if (!r.viewable) {
        out << "お薬・健診: " << r.reasonJa << "\n";
        return out.str();
    }
    out << "お薬・健診 " << r.subjectName << "\n";
    if (r.fetchedAt) {
        out << "  取得: " << timeAgoJa(*r.fetchedAt, now);
    }
    if (r.viewUntil) {
        out << "  閲覧可能: " << jstMinutes(*r.viewUntil) << "まで（" << timeLeftJa(*r.viewUntil, now) << "）";
    }
    out << "\n";
    for (const auto& w : r.warnings) {
        out << "  ⚠ " << w << "\n";
    }
    out << "お薬（新しい順）\n";
    for (std::size_t n = 0; n < r.medications.size(); ++n) {
        if (n == maxMedications) {
            out << "  …ほか " << r.medications.size() - n << " 件（zaitaku-cli medinfo で全件）\n";
            break;
        }
        const auto& m = r.medications[n];
        out << "  " << dateText(m.date) << " " << m.source << " " << m.facility;
        if (!m.prescriber.empty() && m.prescriber != m.facility) {
            out << "（処方: " << m.prescriber << "）";
        }
        out << "\n";
        for (const auto& d : m.drugs) {
            out << "    " << d.name << "  " << d.dose << "  " << d.usage << "  " << d.days << "日分\n";
        }
    }
    if (!r.checkups.empty()) {
        out << "特定健診（新しい順、* は保健指導判定値の範囲外）\n";
        for (const auto& c : r.checkups) {
            out << "  " << dateText(c.date) << "\n";
            for (const auto& i : c.items) {
                out << "    " << (i.mark ? "* " : "  ") << i.name << " " << i.value << (i.unit.empty() ? "" : " ")
                    << i.unit << (i.mark ? "（" + i.mark->limit + "）" : "") << "\n";
            }
        }
    }
    return out.str();
}

std::string timeAgoJa(const base::Timestamp& then, const base::Timestamp& now)
{
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now.utc() - then.utc()).count();
    if (minutes < 1) {
        return "たった今";
    }
    if (minutes < 60) {
        return std::to_string(minutes) + "分前";
    }
    if (minutes < 24 * 60) {
        return std::to_string(minutes / 60) + "時間前";
    }
    return std::to_string(minutes / (24 * 60)) + "日前";
}

std::string timeLeftJa(const base::Timestamp& until, const base::Timestamp& now)
{
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(until.utc() - now.utc()).count();
    if (minutes <= 0) {
        return "期限切れ";
    }
    if (minutes < 60) {
        return "あと" + std::to_string(minutes) + "分";
    }
    if (minutes < 24 * 60) {
        return "あと" + std::to_string(minutes / 60) + "時間";
    }
    return "あと" + std::to_string(minutes / (24 * 60)) + "日";
}

} // namespace zaitaku::session
