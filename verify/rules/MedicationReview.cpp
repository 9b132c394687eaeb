#include "verify/rules/MedicationReview.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace zaitaku::rules
{

namespace
{

struct Supply
{
    const model::DrugEvent* event;
    const model::Drug* drug;
    base::Date from;
    base::Date to;
    std::string prescriber;
};

int supplyDays(const std::string& times)
{
    int days = 0;
    auto [p, ec] = std::from_chars(times.data(), times.data() + times.size(), days);
    if (ec != std::errc() || p != times.data() + times.size() || days < 1) {
        return 1;
    }
    return std::min(days, kMaxSupplyDays);
}

std::string prescriberOf(const model::DrugEvent& e)
{
    return e.prescriberCode.empty() ? e.facilityCode : e.prescriberCode;
}

std::string prescriberName(const model::DrugEvent& e)
{
    const auto& name = e.prescriberCode.empty() ? e.facilityName : e.prescriberName;
    return name.empty() ? prescriberOf(e) : name;
}

std::vector<Supply> supplies(const model::MedicationHistory& history)
{
    std::vector<Supply> out;
    for (const auto& e : history.events) {
        if (!e.date) {
            continue;
        }
        for (const auto& d : e.drugs) {
            const auto from = *e.date;
            const auto to = base::Date::fromSysDays(from.sysDays() + std::chrono::days(supplyDays(d.times) - 1));
            out.push_back({&e, &d, from, to, prescriberOf(e)});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Supply& a, const Supply& b) { return a.from < b.from; });
    return out;
}

void addUnique(std::vector<std::string>& list, const std::string& value)
{
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
        list.push_back(value);
    }
}

std::vector<IngredientOverlap> overlaps(const std::vector<Supply>& all)
{
    std::map<std::string, std::vector<const Supply*>> byIngredient;
    for (const auto& s : all) {
        byIngredient[s.drug->ingredient.empty() ? s.drug->name : s.drug->ingredient].push_back(&s);
    }
    std::vector<IngredientOverlap> out;
    for (const auto& [ingredient, list] : byIngredient) {
        std::optional<IngredientOverlap> found;
        for (std::size_t i = 0; i < list.size(); ++i) {
            for (std::size_t j = i + 1; j < list.size(); ++j) {
                const Supply& a = *list[i];
                const Supply& b = *list[j];
                if (a.prescriber == b.prescriber || b.from > a.to) {
                    continue;
                }
                const auto from = std::max(a.from, b.from);
                const auto to = std::min(a.to, b.to);
                if (!found) {
                    found = IngredientOverlap{ingredient, {}, {}, from, to};
                }
                found->from = std::min(found->from, from);
                found->to = std::max(found->to, to);
                for (const Supply* s : {&a, &b}) {
                    addUnique(found->prescribers, prescriberName(*s->event));
                    addUnique(found->drugs, s->drug->name);
                }
            }
        }
        if (found && !ingredient.empty()) {
            out.push_back(std::move(*found));
        }
    }
    return out;
}

std::vector<DoseChange> doseChanges(const std::vector<Supply>& all, std::optional<base::Date> lastVisit)
{
    // The latest change per drug: consecutive dispensings (by date) whose dose text differs.
    std::map<std::string, const Supply*> previous;
    std::map<std::string, DoseChange> latest;
    for (const auto& s : all) {
        const std::string key = s.drug->code.empty() ? s.drug->name : s.drug->code;
        if (key.empty()) {
            continue;
        }
        if (auto it = previous.find(key); it != previous.end() && it->second->from < s.from) {
            const auto before = doseText(*it->second->drug);
            const auto after = doseText(*s.drug);
            if (before != after) {
                latest[key] =
                    DoseChange{s.drug->name, before, after, s.from, it->second->from, lastVisit && s.from > *lastVisit};
            }
        }
        previous[key] = &s;
    }
    std::vector<DoseChange> out;
    for (auto& [key, change] : latest) {
        out.push_back(std::move(change));
    }
    std::sort(out.begin(), out.end(),
              [](const DoseChange& a, const DoseChange& b) { return a.changedOn > b.changedOn; });
    return out;
}

} // namespace

std::string doseText(const model::Drug& drug)
{
    std::string out = drug.quantity + drug.unit;
    if (!drug.usage.empty()) {
        out += (out.empty() ? "" : " ") + drug.usage;
    }
    return out;
}

MedicationReview reviewMedication(const model::MedicationHistory& history, std::optional<base::Date> lastVisit)
{
    const auto all = supplies(history);
    return MedicationReview{overlaps(all), doseChanges(all, lastVisit)};
}

} // namespace zaitaku::rules
