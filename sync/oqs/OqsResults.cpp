#include "sync/oqs/OqsResults.h"

namespace zaitaku::sync::oqs
{

using model::EligibilitySnapshot;

Outcome outcomeOf(const EligibilitySnapshot& s, std::size_t resultCount)
{
    switch (s.segmentOfResult) {
    case model::SegmentOfResult::Processing:
        return Outcome::Processing;
    case model::SegmentOfResult::Abnormal:
        return Outcome::SystemError;
    case model::SegmentOfResult::Normal:
        break;
    }
    if (!s.processingResultStatus) {
        return Outcome::Unknown;
    }
    if (*s.processingResultStatus == model::ProcessingResultStatus::Failed) {
        return Outcome::QueryFailed;
    }
    if (!s.qualificationValidity) {
        return Outcome::Unknown;
    }
    if (*s.qualificationValidity == model::QualificationValidity::MultipleMatches || resultCount > 1) {
        return Outcome::MultipleMatches;
    }
    if (*s.qualificationValidity == model::QualificationValidity::Valid) {
        return resultCount == 1 ? Outcome::Confirmed : Outcome::Unknown;
    }
    return Outcome::NotConfirmed;
}

std::string_view outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Processing:
        return "processing";
    case Outcome::SystemError:
        return "system_error";
    case Outcome::QueryFailed:
        return "query_failed";
    case Outcome::Confirmed:
        return "confirmed";
    case Outcome::NotConfirmed:
        return "not_confirmed";
    case Outcome::MultipleMatches:
        return "multiple_matches";
    case Outcome::Unknown:
        break;
    }
    return "unknown";
}

std::optional<base::Timestamp> parseCompactTime(std::string_view text)
{
    if (text.size() != 14) {
        return std::nullopt;
    }
    const std::string iso = std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) + "-" +
                            std::string(text.substr(6, 2)) + "T" + std::string(text.substr(8, 2)) + ":" +
                            std::string(text.substr(10, 2)) + ":" + std::string(text.substr(12, 2)) + "+09:00";
    auto parsed = base::Timestamp::parse(iso);
    if (!parsed) {
        return std::nullopt;
    }
    return *parsed;
}

std::string toCompactTime(const base::Timestamp& time)
{
    const auto jst = time.withOffset(base::Timestamp::kJstOffsetMinutes).toString(); // 2025-06-10T14:30:00+09:00
    return jst.substr(0, 4) + jst.substr(5, 2) + jst.substr(8, 2) + jst.substr(11, 2) + jst.substr(14, 2) +
           jst.substr(17, 2);
}

} // namespace zaitaku::sync::oqs
