#include "verify/rules/DoorCopay.h"

#include "verify/rules/AgeThresholds.h"
#include "verify/rules/EligibilityCopay.h"
#include "verify/rules/FallbackDocument.h"

namespace zaitaku::rules
{

namespace
{

std::string wariLabel(int percent)
{
    return std::to_string(percent / 10) + "割";
}

} // namespace

std::optional<std::string> incomeDependentLabel(base::Date birthdate, base::Date on, bool kouki)
{
    if (kouki || on >= koukiFrom(birthdate)) {
        return std::string("1〜3割（所得区分による）");
    }
    if (on >= elderlyFrom(birthdate)) {
        return std::string("2割または3割（所得区分による）");
    }
    return std::nullopt;
}

std::string
doorCopay(base::Date birthdate, base::Date on, const std::string& declaredRatio, bool moushitatesho, bool kouki)
{
    if (declaredRatio == "1" || declaredRatio == "2" || declaredRatio == "3") {
        const int percent = std::stoi(declaredRatio) * 10;
        return wariLabel(percent) + (moushitatesho ? "（申立書の記載）" : "（書類の記載）");
    }
    if (auto range = incomeDependentLabel(birthdate, on, kouki)) {
        return *range;
    }
    const int percent = on <= preschoolUntil(birthdate) ? 20 : 30;
    const std::string why = percent == 20 ? "未就学児" : "70歳未満";
    return wariLabel(percent) + "（" + (moushitatesho ? "申立書: " : "年齢から: ") + why + "）";
}

std::string eligibilityCopayLabel(const model::EligibilitySnapshot& snapshot, base::Date on)
{
    const auto copay = eligibilityCopay(snapshot, on);
    if (!copay) {
        return {};
    }
    if (copay->source == CopaySource::AgeRule && snapshot.birthdate) {
        if (auto band = incomeDependentLabel(*snapshot.birthdate, on, isKoukiInsurerNumber(snapshot.insurerNumber))) {
            return *band;
        }
    }
    return wariLabel(copay->percent);
}

} // namespace zaitaku::rules
