#include "sync/oqs/SyntheticMedicalHistory.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace zaitaku::sync::oqs
{

namespace
{

Unexpected<Error> bad(const std::string& message, const std::string& field)
{
    return Unexpected(Error{Errc::InvalidInput, message, field});
}

base::Date daysBefore(const base::Date& d, int days)
{
    return base::Date::fromSysDays(d.sysDays() - std::chrono::days(days));
}

std::string str(const nlohmann::json& j, const char* key)
{
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

int integer(const nlohmann::json& j, const char* key, int fallback)
{
    return j.contains(key) && j[key].is_number_integer() ? j[key].get<int>() : fallback;
}

// The demo's history ("medical": "demo"): 5 regimens from two facilities and two pharmacies over
// about three years, one ingredient from both facilities, one dose change, 3 years of checkups.
const char* const kDemoMedical = R"json({
 "regimens": [
  {
   "drug_code": "SIM0001",
   "drug_name": "アムロジピン錠5mg",
   "ingredient": "アムロジピンベシル酸塩",
   "quantity": "1",
   "unit": "錠",
   "usage": "1日1回朝食後",
   "days": 28,
   "prescriber_code": "SIMH000001",
   "prescriber_name": "在宅医療クリニック（シミュレーター）",
   "pharmacy_code": "SIMP000001",
   "pharmacy_name": "さくら薬局（シミュレーター）",
   "start_days_ago": 1000,
   "stop_days_ago": 0
  },
  {
   "drug_code": "SIM0002",
   "drug_name": "ノルバスク錠5mg",
   "ingredient": "アムロジピンベシル酸塩",
   "quantity": "1",
   "unit": "錠",
   "usage": "1日1回朝食後",
   "days": 28,
   "prescriber_code": "SIMH000002",
   "prescriber_name": "中央総合病院（シミュレーター）",
   "pharmacy_code": "SIMP000002",
   "pharmacy_name": "駅前薬局（シミュレーター）",
   "start_days_ago": 60,
   "stop_days_ago": 0
  },
  {
   "drug_code": "SIM0003",
   "drug_name": "メトホルミン塩酸塩錠250mg",
   "ingredient": "メトホルミン塩酸塩",
   "quantity": "1",
   "unit": "錠",
   "usage": "1日2回朝夕食後",
   "days": 28,
   "prescriber_code": "SIMH000001",
   "prescriber_name": "在宅医療クリニック（シミュレーター）",
   "pharmacy_code": "SIMP000001",
   "pharmacy_name": "さくら薬局（シミュレーター）",
   "start_days_ago": 700,
   "stop_days_ago": 0,
   "dose_change_days_ago": 45,
   "new_quantity": "2"
  },
  {
   "drug_code": "SIM0004",
   "drug_name": "酸化マグネシウム錠330mg",
   "ingredient": "酸化マグネシウム",
   "quantity": "3",
   "unit": "錠",
   "usage": "1日3回毎食後",
   "days": 28,
   "prescriber_code": "SIMH000001",
   "prescriber_name": "在宅医療クリニック（シミュレーター）",
   "pharmacy_code": "SIMP000001",
   "pharmacy_name": "さくら薬局（シミュレーター）",
   "start_days_ago": 400,
   "stop_days_ago": 0
  },
  {
   "drug_code": "SIM0005",
   "drug_name": "ロキソプロフェンNa錠60mg",
   "ingredient": "ロキソプロフェンナトリウム水和物",
   "quantity": "1",
   "unit": "錠",
   "usage": "疼痛時",
   "days": 14,
   "prescriber_code": "SIMH000002",
   "prescriber_name": "中央総合病院（シミュレーター）",
   "pharmacy_code": "SIMP000002",
   "pharmacy_name": "駅前薬局（シミュレーター）",
   "start_days_ago": 200,
   "stop_days_ago": 190
  }
 ],
 "checkups": [
  {
   "code": "SIM-BP-S",
   "name": "収縮期血圧",
   "unit": "mmHg",
   "values": [
    "138",
    "128",
    "124"
   ]
  },
  {
   "code": "SIM-BP-D",
   "name": "拡張期血圧",
   "unit": "mmHg",
   "values": [
    "88",
    "82",
    "80"
   ]
  },
  {
   "code": "SIM-HBA1C",
   "name": "HbA1c（NGSP）",
   "unit": "%",
   "values": [
    "6.1",
    "5.9",
    "5.7"
   ]
  },
  {
   "code": "SIM-LDL",
   "name": "LDLコレステロール",
   "unit": "mg/dL",
   "values": [
    "132",
    "118",
    "121"
   ]
  },
  {
   "code": "SIM-HDL",
   "name": "HDLコレステロール",
   "unit": "mg/dL",
   "values": [
    "52",
    "55",
    "54"
   ]
  },
  {
   "code": "SIM-TG",
   "name": "中性脂肪",
   "unit": "mg/dL",
   "values": [
    "160",
    "140",
    "120"
   ]
  },
  {
   "code": "SIM-WAIST",
   "name": "腹囲",
   "unit": "cm",
   "values": [
    "86",
    "85",
    "84"
   ]
  },
  {
   "code": "SIM-BMI",
   "name": "BMI",
   "unit": "kg/m2",
   "values": [
    "24.1",
    "23.8",
    "23.5"
   ]
  }
 ]
})json";

} // namespace

Expected<SimMedical, Error> parseSimMedical(const nlohmann::json& json)
{
    if (json.is_string() && json.get<std::string>() == "demo") {
        return parseSimMedical(nlohmann::json::parse(kDemoMedical));
    }
    SimMedical out;
    if (!json.is_object()) {
        return bad("'medical' is an object", "medical");
    }
    for (const auto& r : json.value("regimens", nlohmann::json::array())) {
        SimRegimen g;
        g.drug =
            model::Drug{str(r, "drug_code"),  str(r, "drug_name"), str(r, "ingredient"),          str(r, "quantity"),
                        str(r, "unit"),       str(r, "usage"),     str(r, "special_instruction"), "",
                        str(r, "usage_class")};
        g.days = integer(r, "days", 28);
        g.drug.times = std::to_string(g.days);
        g.prescriberCode = str(r, "prescriber_code");
        g.prescriberName = str(r, "prescriber_name");
        g.pharmacyCode = str(r, "pharmacy_code");
        g.pharmacyName = str(r, "pharmacy_name");
        g.startDaysAgo = integer(r, "start_days_ago", 365);
        g.stopDaysAgo = integer(r, "stop_days_ago", 0);
        if (r.contains("dose_change_days_ago")) {
            g.doseChangeDaysAgo = integer(r, "dose_change_days_ago", 0);
            g.newQuantity = str(r, "new_quantity");
        }
        if (g.drug.name.empty() || g.days < 1 || g.days > 90 || g.startDaysAgo < g.stopDaysAgo) {
            return bad("a regimen needs drug_name, days 1–90 and start_days_ago ≥ stop_days_ago", "medical.regimens");
        }
        out.regimens.push_back(std::move(g));
    }
    for (const auto& c : json.value("checkups", nlohmann::json::array())) {
        SimCheckupItem item;
        item.item.code = str(c, "code");
        item.item.name = str(c, "name");
        item.item.unit = str(c, "unit");
        item.item.dataType = str(c, "data_type");
        for (const auto& v : c.value("values", nlohmann::json::array())) {
            item.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        }
        if (item.item.name.empty()) {
            return bad("a checkup item needs a name", "medical.checkups");
        }
        out.checkups.push_back(std::move(item));
    }
    return out;
}

model::MedicationHistory synthesizeMedication(const SimMedical& medical, base::Date from, base::Date to)
{
    // (date, pharmacy, prescriber) → event: drugs dispensed together are one event, as in a claim.
    std::map<std::tuple<base::Date, std::string, std::string>, model::DrugEvent> events;
    for (const auto& g : medical.regimens) {
        for (auto day = daysBefore(to, g.startDaysAgo); day <= daysBefore(to, g.stopDaysAgo);
             day = base::Date::fromSysDays(day.sysDays() + std::chrono::days(g.days))) {
            if (day < from) {
                continue;
            }
            auto& e = events[{day, g.pharmacyCode, g.prescriberCode}];
            if (e.drugs.empty()) {
                e.source = model::DrugSource::Dispensing;
                e.month = std::to_string(day.year() * 100 + static_cast<int>(day.month()));
                e.facilityCode = g.pharmacyCode;
                e.facilityName = g.pharmacyName;
                e.prescriberCode = g.prescriberCode;
                e.prescriberName = g.prescriberName;
                e.date = day;
                e.prescribedDate = day;
            }
            model::Drug drug = g.drug;
            if (g.doseChangeDaysAgo && day >= daysBefore(to, *g.doseChangeDaysAgo)) {
                drug.quantity = g.newQuantity;
            }
            e.drugs.push_back(std::move(drug));
        }
    }
    model::MedicationHistory out;
    for (auto& [key, event] : events) {
        out.events.push_back(std::move(event));
    }
    return out;
}

model::CheckupHistory synthesizeCheckups(const SimMedical& medical, base::Date to)
{
    model::CheckupHistory out;
    std::size_t years = 0;
    for (const auto& c : medical.checkups) {
        years = std::max(years, c.values.size());
    }
    for (std::size_t y = 0; y < std::min<std::size_t>(years, 5); ++y) {
        model::Checkup checkup;
        checkup.date = daysBefore(to, static_cast<int>(365 * y + 30));
        for (const auto& c : medical.checkups) {
            if (y < c.values.size() && !c.values[y].empty()) {
                model::CheckupItem item = c.item;
                item.value = c.values[y];
                checkup.items.push_back(std::move(item));
            }
        }
        out.checkups.push_back(std::move(checkup));
    }
    return out;
}

SimMedical benchMedical(int events, int years)
{
    const std::vector<std::tuple<const char*, const char*, const char*>> drugs{
        {"アムロジピン錠5mg", "アムロジピンベシル酸塩", "1日1回朝食後"},
        {"メトホルミン塩酸塩錠250mg", "メトホルミン塩酸塩", "1日2回朝夕食後"},
        {"ロスバスタチン錠2.5mg", "ロスバスタチンカルシウム", "1日1回夕食後"},
        {"ランソプラゾールOD錠15mg", "ランソプラゾール", "1日1回朝食後"},
        {"酸化マグネシウム錠330mg", "酸化マグネシウム", "1日3回毎食後"},
    };
    SimMedical out;
    const int days = std::max(1, 365 * years / std::max(1, events / static_cast<int>(drugs.size())));
    for (std::size_t i = 0; i < drugs.size(); ++i) {
        SimRegimen g;
        g.drug = model::Drug{"SIM" + std::to_string(1000 + i),
                             std::get<0>(drugs[i]),
                             std::get<1>(drugs[i]),
                             "1",
                             "錠",
                             std::get<2>(drugs[i]),
                             "",
                             std::to_string(std::min(days, 90)),
                             ""};
        g.days = std::min(days, 90);
        g.prescriberCode = "13100000" + std::to_string(10 + i % 3);
        g.prescriberName = "シミュレーター医院" + std::to_string(1 + i % 3);
        g.pharmacyCode = "13400000" + std::to_string(10 + i % 2);
        g.pharmacyName = "シミュレーター薬局" + std::to_string(1 + i % 2);
        g.startDaysAgo = 365 * years - 1;
        out.regimens.push_back(std::move(g));
    }
    // The same ingredient from another facility for the last quarter, and a dose change.
    SimRegimen twin = out.regimens.front();
    twin.prescriberCode = "1310000099";
    twin.prescriberName = "シミュレーター病院";
    twin.startDaysAgo = 90;
    out.regimens.push_back(twin);
    out.regimens[1].doseChangeDaysAgo = 120;
    out.regimens[1].newQuantity = "2";
    return out;
}

} // namespace zaitaku::sync::oqs
