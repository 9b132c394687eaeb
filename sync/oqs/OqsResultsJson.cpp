// The JSON views of result files: what the codec understood, keyed by snake_case tag names
// (resultToJson), and the reverse for the simulator's population (unitFromTagJson). Both walk the
// field tables of OqsResultFields.

#include "sync/oqs/OqsResultFields.h"
#include "verify/rules/EligibilityCopay.h"

#include <cctype>
#include <map>

namespace zaitaku::sync::oqs
{

using namespace detail;

std::string snakeCase(std::string_view tag)
{
    std::string out;
    for (std::size_t i = 0; i < tag.size(); ++i) {
        const char c = tag[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            // A capital starts a word unless it continues an acronym (OQS has none but "OQS").
            if (i > 0 && !std::isupper(static_cast<unsigned char>(tag[i - 1]))) {
                out += '_';
            }
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

namespace
{

void putIf(nlohmann::json& j, std::string_view tag, const std::string& value)
{
    if (!value.empty()) {
        j[snakeCase(tag)] = value;
    }
}

template <typename T> void putGroup(nlohmann::json& j, const T& value, const std::vector<Field<T>>& fields)
{
    for (const auto& f : fields) {
        putIf(j, f.tag, f.write(value));
    }
}

nlohmann::json searchJson(const SearchInfo& s)
{
    nlohmann::json j = nlohmann::json::object();
    putIf(j, "InsurerNumber", s.insurerNumber);
    putIf(j, "InsuredCardSymbol", s.insuredCardSymbol);
    putIf(j, "InsuredIdentificationNumber", s.insuredIdentificationNumber);
    putIf(j, "InsuredBranchNumber", s.insuredBranchNumber);
    putIf(j, "Birthdate", dateText(s.birthdate));
    putIf(j, "LimitApplicationCertificateRelatedConsFlg", s.limitApplicationCertificateRelatedConsFlg);
    putIf(j, "ArbitraryIdentifier", s.arbitraryIdentifier);
    return j;
}

nlohmann::json headerJson(const ResultHeader& h)
{
    nlohmann::json j = nlohmann::json::object();
    putIf(j, "ProcessExecutionTime", timeText(h.processExecutionTime));
    putIf(j, "QualificationConfirmationDate", dateText(h.qualificationConfirmationDate));
    putIf(j, "MedicalInstitutionCode", h.medicalInstitutionCode);
    putIf(j, "ArbitraryFileIdentifier", h.arbitraryFileIdentifier);
    putIf(j, "ReferenceClassification", codeText(h.referenceClassification));
    j["segment_of_result"] = std::string(base::toCode(h.segmentOfResult));
    putIf(j, "ErrorCode", h.errorCode);
    putIf(j, "ErrorMessage", h.errorMessage);
    putIf(j, "CharacterCodeIdentifier", codeText(h.characterCode));
    putIf(j, "ReceptionNumber", h.receptionNumber);
    putIf(j, "ReceptionDateTime", h.receptionDateTime);
    if (h.numberOfProcessingResult) {
        j["number_of_processing_result"] = *h.numberOfProcessingResult;
    }
    if (h.numberOfNormalProcessing) {
        j["number_of_normal_processing"] = *h.numberOfNormalProcessing;
    }
    if (h.numberOfError) {
        j["number_of_error"] = *h.numberOfError;
    }
    return j;
}

nlohmann::json unitJson(const ResultFile& file, const ResultUnit& u, const std::string& pathPrefix)
{
    nlohmann::json j = headerJson(file.header);
    const auto& s = u.snapshot;
    putIf(j, "ProcessingResultStatus", codeText(s.processingResultStatus));
    putIf(j, "ProcessingResultCode", s.processingResultCode);
    putIf(j, "ProcessingResultMessage", s.processingResultMessage);
    putIf(j, "QualificationValidity", codeText(s.qualificationValidity));
    putIf(j, "PrescriptionIssueSelect", codeText(s.prescriptionIssue));
    putIf(j, "ReferenceNumber", s.referenceNumber);
    putGroup(j, s, resultLeaves());
    if (s.elderlyRecipient) {
        putGroup(j, *s.elderlyRecipient, elderlyFields());
    }
    if (s.limitCertificate) {
        putGroup(j, *s.limitCertificate, limitFields());
    }
    if (!s.specificDiseases.empty()) {
        auto& list = j["specific_diseases_certificate_info"] = nlohmann::json::array();
        for (const auto& c : s.specificDiseases) {
            nlohmann::json item = nlohmann::json::object();
            putGroup(item, c, diseaseFields());
            list.push_back(std::move(item));
        }
    }
    for (const auto& consent : kConsents) {
        const std::string prefix(consent.prefix);
        const auto& c = s.*consent.member;
        putIf(j, prefix + "ConsFlg", c.flag);
        putIf(j, prefix + "ConsTime", timeText(c.consentTime));
        putIf(j, prefix + "AvailableTime", timeText(c.availableTime));
    }
    putIf(j, "LimitApplicationCertificateChanged", u.limitApplicationCertificateChanged);
    if (u.search) {
        j["qualification_confirm_search_info"] = searchJson(*u.search);
    }
    j["result_count"] = u.resultCount;
    j["outcome"] = std::string(outcomeName(outcomeOf(s, u.resultCount)));
    j["copay_percent"] = nullptr;
    if (s.qualificationConfirmationDate) {
        if (auto copay = rules::eligibilityCopay(s, *s.qualificationConfirmationDate)) {
            j["copay_percent"] = copay->percent;
            j["copay_source"] = std::string(rules::copaySourceName(copay->source));
            if (copay->ruleDisagrees) {
                j["copay_rule_disagrees"] = *copay->ruleDisagrees;
            }
        }
    }
    // This unit's warnings and unknown tags, plus the file-level ones (header, declaration).
    auto mine = [&](const std::string& entry) {
        return entry.rfind("MessageBody/BulkConfirmUnit[", 0) != 0 || entry.rfind(pathPrefix, 0) == 0;
    };
    j["warnings"] = nlohmann::json::array();
    for (const auto& w : file.warnings) {
        if (mine(w)) {
            j["warnings"].push_back(w);
        }
    }
    j["unknown_tags"] = nlohmann::json::array();
    for (const auto& t : file.unknownTags) {
        if (mine(t)) {
            j["unknown_tags"].push_back(t);
        }
    }
    j["encoding"] = std::string(encodingName(file.encoding));
    return j;
}

} // namespace

nlohmann::json resultToJson(const ResultFile& file)
{
    if (!file.bulk) {
        if (file.units.empty()) {
            auto j = headerJson(file.header);
            j["outcome"] = std::string(outcomeName(file.header.segmentOfResult == model::SegmentOfResult::Processing
                                                       ? Outcome::Processing
                                                       : Outcome::SystemError));
            j["warnings"] = file.warnings;
            j["unknown_tags"] = file.unknownTags;
            return j;
        }
        return unitJson(file, file.units.front(), "MessageBody");
    }
    if (file.units.empty()) {
        auto j = headerJson(file.header); // the upload receipt, or a bulk still processing / failed
        j["warnings"] = file.warnings;
        j["unknown_tags"] = file.unknownTags;
        return j;
    }
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < file.units.size(); ++i) {
        out.push_back(unitJson(file, file.units[i], "MessageBody/BulkConfirmUnit[" + std::to_string(i) + "]"));
    }
    return out;
}

Expected<ResultUnit, Error> unitFromTagJson(const nlohmann::json& json, std::vector<std::string>& warnings)
{
    if (!json.is_object()) {
        return Unexpected(Error{Errc::InvalidInput, "a result must be a JSON object"});
    }
    // Rebuild the XML element the keys describe, then read it with the file reader: one path.
    XmlElement unit{"BulkConfirmUnit", {}, {}, 0, {}};
    XmlElement result{"ResultOfQualificationConfirmation", {}, {}, 0, {}};
    XmlElement elderly{"ElderlyRecipientCertificateInfo", {}, {}, 0, {}};
    XmlElement limit{"LimitApplicationCertificateRelatedInfo", {}, {}, 0, {}};
    std::map<std::string, std::string, std::less<>> tagBySnake;
    for (const auto& leaf : resultLeaves()) {
        tagBySnake[snakeCase(leaf.tag)] = std::string(leaf.tag);
    }
    for (const auto& consent : kConsents) {
        for (const char* suffix : {"ConsFlg", "ConsTime", "AvailableTime"}) {
            const std::string tag = std::string(consent.prefix) + suffix;
            tagBySnake[snakeCase(tag)] = tag;
        }
    }
    for (const auto& [key, value] : json.items()) {
        if (!value.is_string()) {
            return Unexpected(Error{Errc::InvalidInput, "'" + key + "' must be a string (the XML value)", key});
        }
        const std::string text = value.get<std::string>();
        auto leafOf = [&](const std::string& tag) { return XmlElement{tag, text, {}, 0, {}}; };
        if (auto it = tagBySnake.find(key); it != tagBySnake.end()) {
            result.children.push_back(leafOf(it->second));
            continue;
        }
        bool placed = false;
        for (const auto& tag : tagsOf(elderlyFields())) {
            if (snakeCase(tag) == key) {
                elderly.children.push_back(leafOf(tag));
                placed = true;
            }
        }
        for (const auto& tag : tagsOf(limitFields())) {
            if (snakeCase(tag) == key) {
                limit.children.push_back(leafOf(tag));
                placed = true;
            }
        }
        for (const auto& tag : kUnitTags) {
            if (snakeCase(tag) == key) {
                unit.children.push_back(leafOf(tag));
                placed = true;
            }
        }
        if (!placed) {
            return Unexpected(Error{Errc::InvalidInput, "unknown result key '" + key + "'", key});
        }
    }
    if (!elderly.children.empty()) {
        result.children.push_back(std::move(elderly));
    }
    if (!limit.children.empty()) {
        result.children.push_back(std::move(limit));
    }
    const bool hasResult = !result.children.empty();
    if (hasResult) {
        unit.children.push_back(std::move(result));
    }
    std::vector<std::string> unknown;
    return readUnit(unit, "result", ResultHeader{}, warnings, unknown);
}

} // namespace zaitaku::sync::oqs
