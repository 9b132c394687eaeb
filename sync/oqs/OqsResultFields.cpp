#include "sync/oqs/OqsResultFields.h"

#include <charconv>
#include <cstdio>

namespace zaitaku::sync::oqs::detail
{

using model::EligibilitySnapshot;

namespace
{

std::optional<int> parsePercent(std::string_view text)
{
    int value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || value < 0 || value > 100) {
        return std::nullopt;
    }
    return value;
}

std::string percentText(const std::optional<int>& percent)
{
    if (!percent) {
        return {};
    }
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%03d", *percent); // "010" = 1割 [S:1]
    return buffer;
}

template <auto Member, typename T> Field<T> textField(std::string_view tag)
{
    return {tag, [](T& s, std::string_view, const std::string& t, const Diag&) { s.*Member = t; },
            [](const T& s) { return s.*Member; }};
}

template <auto Member, typename T> Field<T> dateField(std::string_view tag)
{
    return {tag,
            [](T& s, std::string_view name, const std::string& t, const Diag& d) { s.*Member = readDate(name, t, d); },
            [](const T& s) { return dateText(s.*Member); }};
}

template <auto Member, typename E, typename T> Field<T> codeField(std::string_view tag)
{
    return {
        tag,
        [](T& s, std::string_view name, const std::string& t, const Diag& d) { s.*Member = readCode<E>(name, t, d); },
        [](const T& s) { return codeText(s.*Member); }};
}

template <auto Member, typename T> Field<T> percentField(std::string_view tag)
{
    return {tag,
            [](T& s, std::string_view name, const std::string& t, const Diag& d) {
                s.*Member = parsePercent(t);
                if (!(s.*Member)) {
                    d.warn(name, "not a percentage: '" + t + "'");
                }
            },
            [](const T& s) { return percentText(s.*Member); }};
}

// LimitApplicationCertificateClassificationFlag [S:1]: under 70 A01–A06, 70 and over B01–B10.
const TagSet kLimitFlags{"A01", "A02", "A03", "A04", "A05", "A06", "B01", "B02",
                         "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10"};

using S = EligibilitySnapshot;
using Elderly = model::ElderlyRecipientCertificate;
using Limit = model::LimitCertificate;
using Disease = model::SpecificDiseaseCertificate;

} // namespace

std::optional<base::Date> readDate(std::string_view tag, const std::string& text, const Diag& d)
{
    auto date = base::Date::parseCompact(text);
    if (!date) {
        d.warn(tag, "not a YYYYMMDD date: '" + text + "' (kept in the raw XML)");
        return std::nullopt;
    }
    return *date;
}

std::optional<base::Timestamp> readTime(std::string_view tag, const std::string& text, const Diag& d)
{
    auto time = parseCompactTime(text);
    if (!time) {
        d.warn(tag, "not a YYYYMMDDhhmmss time: '" + text + "' (kept in the raw XML)");
    }
    return time;
}

std::string dateText(const std::optional<base::Date>& date)
{
    return date ? date->toCompact() : std::string();
}

std::string timeText(const std::optional<base::Timestamp>& time)
{
    return time ? toCompactTime(*time) : std::string();
}

const std::vector<Field<S>>& resultLeaves()
{
    static const std::vector<Field<S>> leaves{
        codeField<&S::insuredCardClassification, model::InsuredCardClassification, S>("InsuredCardClassification"),
        textField<&S::insurerNumber, S>("InsurerNumber"),
        textField<&S::insuredCardSymbol, S>("InsuredCardSymbol"),
        textField<&S::insuredIdentificationNumber, S>("InsuredIdentificationNumber"),
        textField<&S::insuredBranchNumber, S>("InsuredBranchNumber"),
        codeField<&S::personalFamily, model::PersonalFamily, S>("PersonalFamilyClassification"),
        textField<&S::insuredName, S>("InsuredName"),
        textField<&S::name, S>("Name"),
        textField<&S::nameOfOther, S>("NameOfOther"),
        textField<&S::nameKana, S>("NameKana"),
        textField<&S::nameOfOtherKana, S>("NameOfOtherKana"),
        codeField<&S::sex1, model::Sex, S>("Sex1"),
        codeField<&S::sex2, model::Sex, S>("Sex2"),
        dateField<&S::birthdate, S>("Birthdate"),
        textField<&S::address, S>("Address"),
        textField<&S::postNumber, S>("PostNumber"),
        dateField<&S::insuredCertificateIssuanceDate, S>("InsuredCertificateIssuanceDate"),
        dateField<&S::insuredCardValidDate, S>("InsuredCardValidDate"),
        dateField<&S::insuredCardExpirationDate, S>("InsuredCardExpirationDate"),
        percentField<&S::insuredPartialContributionRatioPercent, S>("InsuredPartialContributionRatio"),
        Field<S>{"PreschoolClassification",
                 [](S& s, std::string_view name, const std::string& t, const Diag& d) {
                     s.preschool = t == "1";
                     if (t != "1" && !t.empty()) {
                         d.warn(name, "unknown code '" + t + "' (not guessed)");
                     }
                 },
                 [](const S& s) { return std::string(s.preschool ? "1" : ""); }},
        codeField<&S::reasonOfLoss, model::ReasonOfLoss, S>("ReasonOfLoss"),
        textField<&S::insurerName, S>("InsurerName"),
        dateField<&S::qualificationDate, S>("QualificationDate"),
        dateField<&S::disqualificationDate, S>("DisqualificationDate"),
        textField<&S::limitConsentFlag, S>("LimitApplicationCertificateRelatedConsFlg"),
        Field<S>{"LimitApplicationCertificateRelatedConsTime",
                 [](S& s, std::string_view name, const std::string& t, const Diag& d) {
                     s.limitConsentTime = readTime(name, t, d);
                 },
                 [](const S& s) { return timeText(s.limitConsentTime); }},
        textField<&S::specificDiseasesConsentFlag, S>("SpecificDiseasesCertificateRelatedConsFlg"),
    };
    return leaves;
}

const std::vector<Field<Elderly>>& elderlyFields()
{
    static const std::vector<Field<Elderly>> fields{
        dateField<&Elderly::certificateDate, Elderly>("ElderlyRecipientCertificateDate"),
        dateField<&Elderly::validStart, Elderly>("ElderlyRecipientValidStartDate"),
        dateField<&Elderly::validEnd, Elderly>("ElderlyRecipientValidEndDate"),
        percentField<&Elderly::contributionRatioPercent, Elderly>("ElderlyRecipientContributionRatio"),
    };
    return fields;
}

const std::vector<Field<Limit>>& limitFields()
{
    static const std::vector<Field<Limit>> fields{
        codeField<&Limit::classification, model::LimitCertificateClass, Limit>(
            "LimitApplicationCertificateClassification"),
        Field<Limit>{"LimitApplicationCertificateClassificationFlag",
                     [](Limit& l, std::string_view name, const std::string& t, const Diag& d) {
                         l.classificationFlag = t;
                         if (!kLimitFlags.count(t)) {
                             d.warn(name, "unknown code '" + t + "' (kept, not interpreted)");
                         }
                     },
                     [](const Limit& l) { return l.classificationFlag; }},
        dateField<&Limit::certificateDate, Limit>("LimitApplicationCertificateDate"),
        dateField<&Limit::validStart, Limit>("LimitApplicationCertificateValidStartDate"),
        dateField<&Limit::validEnd, Limit>("LimitApplicationCertificateValidEndDate"),
        dateField<&Limit::longTermDate, Limit>("LimitApplicationCertificateLongTermDate"),
    };
    return fields;
}

const std::vector<Field<Disease>>& diseaseFields()
{
    static const std::vector<Field<Disease>> fields{
        Field<Disease>{"SpecificDiseasesDiseaseCategory",
                       [](Disease& c, std::string_view name, const std::string& t, const Diag& d) {
                           c.diseaseCategory = t;
                           if (t != "1" && t != "2" && t != "3") {
                               d.warn(name, "unknown code '" + t + "' (not guessed)");
                           }
                       },
                       [](const Disease& c) { return c.diseaseCategory; }, true},
        dateField<&Disease::certificateDate, Disease>("SpecificDiseasesCertificateDate"),
        dateField<&Disease::validStart, Disease>("SpecificDiseasesValidStartDate"),
        dateField<&Disease::validEnd, Disease>("SpecificDiseasesValidEndDate"),
        Field<Disease>{"SpecificDiseasesSelfPay",
                       [](Disease& c, std::string_view name, const std::string& t, const Diag& d) {
                           long yen = 0;
                           auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), yen);
                           if (ec == std::errc() && p == t.data() + t.size()) {
                               c.selfPayYen = yen;
                           } else {
                               d.warn(name, "not an amount in yen: '" + t + "'");
                           }
                       },
                       [](const Disease& c) { return c.selfPayYen ? std::to_string(*c.selfPayYen) : std::string(); }},
    };
    return fields;
}

const std::array<ConsentTriple, 4> kConsents{{
    {"SpecificHealthCheckupsInfo", &EligibilitySnapshot::specificHealthCheckups},
    {"PharmacistsInfo", &EligibilitySnapshot::pharmacists},
    {"DiagnosisInfo", &EligibilitySnapshot::diagnosis},
    {"OperationInfo", &EligibilitySnapshot::operation},
}};

const TagSet kKnownUnmodelled{"SpecificDiseasesCertificateRelatedConsTime",
                              "PublicExpenseNumber",
                              "BeneficiaryNumber",
                              "WelfareOfficeName",
                              "PublicExpenseResultList",
                              "ArbitraryIdentifier",
                              "ReferenceNumber",
                              "LimitApplicationCertificateChanged",
                              "PrescriptionIssueSelect"};

const TagSet kHeaderTags{"ProcessExecutionTime",
                         "QualificationConfirmationDate",
                         "MedicalInstitutionCode",
                         "ArbitraryFileIdentifier",
                         "ReferenceClassification",
                         "SegmentOfResult",
                         "ErrorCode",
                         "ErrorMessage",
                         "CharacterCodeIdentifier",
                         "ReceptionNumber",
                         "ReceptionDateTime",
                         "NumberOfProcessingResult",
                         "NumberOfNormalProcessing",
                         "NumberOfError"};
const TagSet kUnitTags{"ProcessingResultStatus",
                       "ProcessingResultCode",
                       "ProcessingResultMessage",
                       "QualificationValidity",
                       "ResultList",
                       "ResultOfQualificationConfirmation",
                       "QualificationConfirmSearchInfo",
                       "PrescriptionIssueSelect",
                       "ReferenceNumber",
                       "ReceptionNumber",
                       "ReceptionDateTime",
                       "BulkConfirmUnit"};

std::string textOf(const XmlElement* parent, std::string_view tag)
{
    const XmlElement* c = parent ? parent->child(tag) : nullptr;
    return c ? c->text : std::string();
}

void listUnknown(const XmlElement& e, const TagSet& known, const std::string& path, std::vector<std::string>& unknown)
{
    for (const auto& c : e.children) {
        if (!known.count(c.name)) {
            unknown.push_back(path + "/" + c.name);
        }
    }
}

} // namespace zaitaku::sync::oqs::detail
