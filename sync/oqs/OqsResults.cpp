#include "sync/oqs/OqsResults.h"

#include "sync/oqs/Xml.h"
#include "verify/rules/EligibilityCopay.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <set>

namespace zaitaku::sync::oqs
{

using model::EligibilitySnapshot;

namespace
{

// Where a value came from, for warnings ("ResultOfQualificationConfirmation/Sex1: unknown …").
struct Diag
{
    std::vector<std::string>& warnings;
    std::string path;
    void warn(std::string_view tag, const std::string& message) const
    {
        warnings.push_back(path + "/" + std::string(tag) + ": " + message);
    }
};

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

std::optional<model::Date> readDate(std::string_view tag, const std::string& text, const Diag& d)
{
    auto date = model::Date::parseCompact(text);
    if (!date) {
        d.warn(tag, "not a YYYYMMDD date: '" + text + "' (kept in the raw XML)");
        return std::nullopt;
    }
    return *date;
}

std::optional<model::Timestamp> readTime(std::string_view tag, const std::string& text, const Diag& d)
{
    auto time = parseCompactTime(text);
    if (!time) {
        d.warn(tag, "not a YYYYMMDDhhmmss time: '" + text + "' (kept in the raw XML)");
    }
    return time;
}

template <typename E> std::optional<E> readCode(std::string_view tag, const std::string& text, const Diag& d)
{
    auto value = model::fromCode<E>(text);
    if (!value) {
        d.warn(tag, "unknown code '" + text + "' (not guessed)");
        return std::nullopt;
    }
    return *value;
}

template <typename E> std::string codeText(const std::optional<E>& value)
{
    return value ? std::string(model::toCode(*value)) : std::string();
}

std::string dateText(const std::optional<model::Date>& date)
{
    return date ? date->toCompact() : std::string();
}

std::string timeText(const std::optional<model::Timestamp>& time)
{
    return time ? toCompactTime(*time) : std::string();
}

// One leaf of ResultOfQualificationConfirmation: how to read it into, and write it from, a
// snapshot. One table drives the parser, the writer and the known-tag list.
struct Leaf
{
    std::string_view tag;
    void (*read)(EligibilitySnapshot&, const std::string&, const Diag&);
    std::string (*write)(const EligibilitySnapshot&);
};

template <auto Member> Leaf textLeaf(std::string_view tag)
{
    return {tag, [](EligibilitySnapshot& s, const std::string& t, const Diag&) { s.*Member = t; },
            [](const EligibilitySnapshot& s) { return s.*Member; }};
}

#define ZT_DATE_LEAF(tag, member)                                                                                      \
    Leaf                                                                                                               \
    {                                                                                                                  \
        tag, [](EligibilitySnapshot& s, const std::string& t, const Diag& d) { s.member = readDate(tag, t, d); },      \
            [](const EligibilitySnapshot& s) { return dateText(s.member); }                                            \
    }
#define ZT_CODE_LEAF(tag, member, Enum)                                                                                \
    Leaf                                                                                                               \
    {                                                                                                                  \
        tag,                                                                                                           \
            [](EligibilitySnapshot& s, const std::string& t, const Diag& d) { s.member = readCode<Enum>(tag, t, d); }, \
            [](const EligibilitySnapshot& s) { return codeText(s.member); }                                            \
    }
const std::vector<Leaf>& resultLeaves()
{
    static const std::vector<Leaf> leaves = [] {
        std::vector<Leaf> v{
            ZT_CODE_LEAF("InsuredCardClassification", insuredCardClassification, model::InsuredCardClassification),
            textLeaf<&EligibilitySnapshot::insurerNumber>("InsurerNumber"),
            textLeaf<&EligibilitySnapshot::insuredCardSymbol>("InsuredCardSymbol"),
            textLeaf<&EligibilitySnapshot::insuredIdentificationNumber>("InsuredIdentificationNumber"),
            textLeaf<&EligibilitySnapshot::insuredBranchNumber>("InsuredBranchNumber"),
            ZT_CODE_LEAF("PersonalFamilyClassification", personalFamily, model::PersonalFamily),
            textLeaf<&EligibilitySnapshot::insuredName>("InsuredName"),
            textLeaf<&EligibilitySnapshot::name>("Name"),
            textLeaf<&EligibilitySnapshot::nameOfOther>("NameOfOther"),
            textLeaf<&EligibilitySnapshot::nameKana>("NameKana"),
            textLeaf<&EligibilitySnapshot::nameOfOtherKana>("NameOfOtherKana"),
            ZT_CODE_LEAF("Sex1", sex1, model::Sex),
            ZT_CODE_LEAF("Sex2", sex2, model::Sex),
            ZT_DATE_LEAF("Birthdate", birthdate),
            textLeaf<&EligibilitySnapshot::address>("Address"),
            textLeaf<&EligibilitySnapshot::postNumber>("PostNumber"),
            ZT_DATE_LEAF("InsuredCertificateIssuanceDate", insuredCertificateIssuanceDate),
            ZT_DATE_LEAF("InsuredCardValidDate", insuredCardValidDate),
            ZT_DATE_LEAF("InsuredCardExpirationDate", insuredCardExpirationDate),
            Leaf{"InsuredPartialContributionRatio",
                 [](EligibilitySnapshot& s, const std::string& t, const Diag& d) {
                     s.insuredPartialContributionRatioPercent = parsePercent(t);
                     if (!s.insuredPartialContributionRatioPercent) {
                         d.warn("InsuredPartialContributionRatio", "not a percentage: '" + t + "'");
                     }
                 },
                 [](const EligibilitySnapshot& s) { return percentText(s.insuredPartialContributionRatioPercent); }},
            Leaf{"PreschoolClassification",
                 [](EligibilitySnapshot& s, const std::string& t, const Diag& d) {
                     s.preschool = t == "1";
                     if (t != "1" && !t.empty()) {
                         d.warn("PreschoolClassification", "unknown code '" + t + "' (not guessed)");
                     }
                 },
                 [](const EligibilitySnapshot& s) { return std::string(s.preschool ? "1" : ""); }},
            ZT_CODE_LEAF("ReasonOfLoss", reasonOfLoss, model::ReasonOfLoss),
            textLeaf<&EligibilitySnapshot::insurerName>("InsurerName"),
            ZT_DATE_LEAF("QualificationDate", qualificationDate),
            ZT_DATE_LEAF("DisqualificationDate", disqualificationDate),
            textLeaf<&EligibilitySnapshot::limitConsentFlag>("LimitApplicationCertificateRelatedConsFlg"),
            Leaf{"LimitApplicationCertificateRelatedConsTime",
                 [](EligibilitySnapshot& s, const std::string& t, const Diag& d) {
                     s.limitConsentTime = readTime("LimitApplicationCertificateRelatedConsTime", t, d);
                 },
                 [](const EligibilitySnapshot& s) { return timeText(s.limitConsentTime); }},
            textLeaf<&EligibilitySnapshot::specificDiseasesConsentFlag>("SpecificDiseasesCertificateRelatedConsFlg"),
        };
        return v;
    }();
    return leaves;
}

// The four medical-information consent triples (flag, ConsTime, AvailableTime) [S:7][S:5].
struct ConsentTriple
{
    std::string_view prefix;
    model::MedicalInfoConsent EligibilitySnapshot::*member;
};
constexpr std::array<ConsentTriple, 4> kConsents{{
    {"SpecificHealthCheckupsInfo", &EligibilitySnapshot::specificHealthCheckups},
    {"PharmacistsInfo", &EligibilitySnapshot::pharmacists},
    {"DiagnosisInfo", &EligibilitySnapshot::diagnosis},
    {"OperationInfo", &EligibilitySnapshot::operation},
}};

// Known but not modelled: kept in the raw XML, not listed as unknown.
const std::set<std::string, std::less<>> kKnownUnmodelled{"SpecificDiseasesCertificateRelatedConsTime",
                                                          "PublicExpenseNumber",
                                                          "BeneficiaryNumber",
                                                          "WelfareOfficeName",
                                                          "PublicExpenseResultList",
                                                          "ArbitraryIdentifier",
                                                          "ReferenceNumber",
                                                          "LimitApplicationCertificateChanged",
                                                          "PrescriptionIssueSelect"};

const std::set<std::string, std::less<>> kElderlyTags{"ElderlyRecipientCertificateDate",
                                                      "ElderlyRecipientValidStartDate", "ElderlyRecipientValidEndDate",
                                                      "ElderlyRecipientContributionRatio"};
const std::set<std::string, std::less<>> kLimitTags{
    "LimitApplicationCertificateClassification", "LimitApplicationCertificateClassificationFlag",
    "LimitApplicationCertificateDate",           "LimitApplicationCertificateValidStartDate",
    "LimitApplicationCertificateValidEndDate",   "LimitApplicationCertificateLongTermDate"};
// LimitApplicationCertificateClassificationFlag [S:1]: under 70 A01–A06, 70 and over B01–B10.
const std::set<std::string, std::less<>> kLimitFlags{"A01", "A02", "A03", "A04", "A05", "A06", "B01", "B02",
                                                     "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10"};
const std::set<std::string, std::less<>> kDiseaseTags{
    "SpecificDiseasesDiseaseCategory", "SpecificDiseasesCertificateDate", "SpecificDiseasesValidStartDate",
    "SpecificDiseasesValidEndDate", "SpecificDiseasesSelfPay"};

std::string textOf(const XmlElement* parent, std::string_view tag)
{
    const XmlElement* c = parent ? parent->child(tag) : nullptr;
    return c ? c->text : std::string();
}

void listUnknown(const XmlElement& e,
                 const std::set<std::string, std::less<>>& known,
                 const std::string& path,
                 std::vector<std::string>& unknown)
{
    for (const auto& c : e.children) {
        if (!known.count(c.name)) {
            unknown.push_back(path + "/" + c.name);
        }
    }
}

void readElderly(const XmlElement& e, EligibilitySnapshot& s, const Diag& d, std::vector<std::string>& unknown)
{
    model::ElderlyRecipientCertificate info;
    const Diag inner{d.warnings, d.path + "/ElderlyRecipientCertificateInfo"};
    for (const auto& c : e.children) {
        if (c.text.empty()) {
            continue;
        }
        if (c.name == "ElderlyRecipientCertificateDate") {
            info.certificateDate = readDate(c.name, c.text, inner);
        } else if (c.name == "ElderlyRecipientValidStartDate") {
            info.validStart = readDate(c.name, c.text, inner);
        } else if (c.name == "ElderlyRecipientValidEndDate") {
            info.validEnd = readDate(c.name, c.text, inner);
        } else if (c.name == "ElderlyRecipientContributionRatio") {
            info.contributionRatioPercent = parsePercent(c.text);
            if (!info.contributionRatioPercent) {
                inner.warn(c.name, "not a percentage: '" + c.text + "'");
            }
        }
    }
    listUnknown(e, kElderlyTags, inner.path, unknown);
    s.elderlyRecipient = info;
}

void readLimit(const XmlElement& e, EligibilitySnapshot& s, const Diag& d, std::vector<std::string>& unknown)
{
    model::LimitCertificate info;
    const Diag inner{d.warnings, d.path + "/LimitApplicationCertificateRelatedInfo"};
    for (const auto& c : e.children) {
        if (c.text.empty()) {
            continue;
        }
        if (c.name == "LimitApplicationCertificateClassification") {
            info.classification = readCode<model::LimitCertificateClass>(c.name, c.text, inner);
        } else if (c.name == "LimitApplicationCertificateClassificationFlag") {
            info.classificationFlag = c.text;
            if (!kLimitFlags.count(c.text)) {
                inner.warn(c.name, "unknown code '" + c.text + "' (kept, not interpreted)");
            }
        } else if (c.name == "LimitApplicationCertificateDate") {
            info.certificateDate = readDate(c.name, c.text, inner);
        } else if (c.name == "LimitApplicationCertificateValidStartDate") {
            info.validStart = readDate(c.name, c.text, inner);
        } else if (c.name == "LimitApplicationCertificateValidEndDate") {
            info.validEnd = readDate(c.name, c.text, inner);
        } else if (c.name == "LimitApplicationCertificateLongTermDate") {
            info.longTermDate = readDate(c.name, c.text, inner);
        }
    }
    listUnknown(e, kLimitTags, inner.path, unknown);
    s.limitCertificate = info;
}

void readDiseases(const XmlElement& e, EligibilitySnapshot& s, const Diag& d, std::vector<std::string>& unknown)
{
    const std::string listPath = d.path + "/SpecificDiseasesCertificateList";
    listUnknown(e, {"SpecificDiseasesCertificateInfo"}, listPath, unknown);
    for (const auto* item : e.childrenNamed("SpecificDiseasesCertificateInfo")) {
        const Diag inner{d.warnings, listPath + "/SpecificDiseasesCertificateInfo"};
        model::SpecificDiseaseCertificate cert;
        cert.diseaseCategory = textOf(item, "SpecificDiseasesDiseaseCategory");
        if (!cert.diseaseCategory.empty() && cert.diseaseCategory != "1" && cert.diseaseCategory != "2" &&
            cert.diseaseCategory != "3") {
            inner.warn("SpecificDiseasesDiseaseCategory", "unknown code '" + cert.diseaseCategory + "' (not guessed)");
        }
        for (const auto& c : item->children) {
            if (c.text.empty()) {
                continue;
            }
            if (c.name == "SpecificDiseasesCertificateDate") {
                cert.certificateDate = readDate(c.name, c.text, inner);
            } else if (c.name == "SpecificDiseasesValidStartDate") {
                cert.validStart = readDate(c.name, c.text, inner);
            } else if (c.name == "SpecificDiseasesValidEndDate") {
                cert.validEnd = readDate(c.name, c.text, inner);
            } else if (c.name == "SpecificDiseasesSelfPay") {
                long yen = 0;
                auto [p, ec] = std::from_chars(c.text.data(), c.text.data() + c.text.size(), yen);
                if (ec == std::errc() && p == c.text.data() + c.text.size()) {
                    cert.selfPayYen = yen;
                } else {
                    inner.warn(c.name, "not an amount in yen: '" + c.text + "'");
                }
            }
        }
        listUnknown(*item, kDiseaseTags, inner.path, unknown);
        s.specificDiseases.push_back(std::move(cert));
    }
}

void readResultOfQualification(const XmlElement& r,
                               EligibilitySnapshot& s,
                               const Diag& d,
                               std::vector<std::string>& unknown)
{
    std::set<std::string, std::less<>> known(kKnownUnmodelled);
    for (const auto& leaf : resultLeaves()) {
        known.insert(std::string(leaf.tag));
        if (const XmlElement* c = r.child(leaf.tag); c && !c->text.empty()) {
            leaf.read(s, c->text, d);
        }
    }
    for (const auto& consent : kConsents) {
        const std::string prefix(consent.prefix);
        auto& target = s.*consent.member;
        for (const char* suffix : {"ConsFlg", "ConsTime", "AvailableTime"}) {
            known.insert(prefix + suffix);
        }
        target.flag = textOf(&r, prefix + "ConsFlg");
        if (auto t = textOf(&r, prefix + "ConsTime"); !t.empty()) {
            target.consentTime = readTime(prefix + "ConsTime", t, d);
        }
        if (auto t = textOf(&r, prefix + "AvailableTime"); !t.empty()) {
            target.availableTime = readTime(prefix + "AvailableTime", t, d);
        }
    }
    for (const char* container : {"ElderlyRecipientCertificateInfo", "LimitApplicationCertificateRelatedInfo",
                                  "SpecificDiseasesCertificateList"}) {
        known.insert(container);
    }
    if (const XmlElement* e = r.child("ElderlyRecipientCertificateInfo"); e && !e->children.empty()) {
        readElderly(*e, s, d, unknown);
    }
    if (const XmlElement* e = r.child("LimitApplicationCertificateRelatedInfo"); e && !e->children.empty()) {
        readLimit(*e, s, d, unknown);
    }
    if (const XmlElement* e = r.child("SpecificDiseasesCertificateList")) {
        readDiseases(*e, s, d, unknown);
    }
    listUnknown(r, known, d.path, unknown);
    if (s.name.find("●") != std::string::npos) {
        d.warn("Name", "contains ● (a character the insurers' system cannot carry): kept verbatim, staff confirm "
                       "the name (R5)");
    }
}

const std::set<std::string, std::less<>> kHeaderTags{"ProcessExecutionTime",
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
const std::set<std::string, std::less<>> kUnitTags{"ProcessingResultStatus",
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

std::optional<int> readCount(const XmlElement* h, std::string_view tag, const Diag& d)
{
    const auto text = textOf(h, tag);
    if (text.empty()) {
        return std::nullopt;
    }
    int value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || value < 0) {
        d.warn(tag, "not a count: '" + text + "'");
        return std::nullopt;
    }
    return value;
}

Expected<ResultHeader, Error>
readHeader(const XmlElement& root, std::vector<std::string>& warnings, std::vector<std::string>& unknown)
{
    const XmlElement* h = root.child("MessageHeader");
    if (!h) {
        return Unexpected(Error{Errc::XmlMalformed, "the result has no MessageHeader", "MessageHeader"});
    }
    const Diag d{warnings, "MessageHeader"};
    ResultHeader out;
    const auto segment = textOf(h, "SegmentOfResult");
    auto parsed = model::fromCode<model::SegmentOfResult>(segment);
    if (!parsed) {
        // Without it nothing can be decided: a file that "exists" is not a success [U:2].
        return Unexpected(Error{Errc::XmlMalformed,
                                segment.empty()
                                    ? "MessageHeader/SegmentOfResult is missing"
                                    : "MessageHeader/SegmentOfResult has the unknown code '" + segment + "'",
                                "MessageHeader/SegmentOfResult"});
    }
    out.segmentOfResult = *parsed;
    if (auto t = textOf(h, "ProcessExecutionTime"); !t.empty()) {
        out.processExecutionTime = readTime("ProcessExecutionTime", t, d);
    }
    if (auto t = textOf(h, "QualificationConfirmationDate"); !t.empty()) {
        out.qualificationConfirmationDate = readDate("QualificationConfirmationDate", t, d);
    }
    out.medicalInstitutionCode = textOf(h, "MedicalInstitutionCode");
    out.arbitraryFileIdentifier = textOf(h, "ArbitraryFileIdentifier");
    if (auto t = textOf(h, "ReferenceClassification"); !t.empty()) {
        out.referenceClassification = readCode<model::ReferenceClassification>("ReferenceClassification", t, d);
    }
    out.errorCode = textOf(h, "ErrorCode");
    out.errorMessage = textOf(h, "ErrorMessage");
    if (auto t = textOf(h, "CharacterCodeIdentifier"); !t.empty()) {
        out.characterCode = readCode<model::CharacterCode>("CharacterCodeIdentifier", t, d);
    }
    out.receptionNumber = textOf(h, "ReceptionNumber");
    out.receptionDateTime = textOf(h, "ReceptionDateTime");
    out.numberOfProcessingResult = readCount(h, "NumberOfProcessingResult", d);
    out.numberOfNormalProcessing = readCount(h, "NumberOfNormalProcessing", d);
    out.numberOfError = readCount(h, "NumberOfError", d);
    listUnknown(*h, kHeaderTags, "MessageHeader", unknown);
    return out;
}

void copyHeader(const ResultHeader& h, EligibilitySnapshot& s)
{
    s.qualificationConfirmationDate = h.qualificationConfirmationDate;
    s.processExecutionTime = h.processExecutionTime;
    s.referenceClassification = h.referenceClassification;
    s.segmentOfResult = h.segmentOfResult;
    s.errorCode = h.errorCode;
    s.errorMessage = h.errorMessage;
    s.characterCode = h.characterCode;
}

SearchInfo readSearch(const XmlElement& e, const Diag& d)
{
    SearchInfo s;
    s.insurerNumber = textOf(&e, "InsurerNumber");
    s.insuredCardSymbol = textOf(&e, "InsuredCardSymbol");
    s.insuredIdentificationNumber = textOf(&e, "InsuredIdentificationNumber");
    s.insuredBranchNumber = textOf(&e, "InsuredBranchNumber");
    if (auto t = textOf(&e, "Birthdate"); !t.empty()) {
        s.birthdate = readDate("Birthdate", t, d);
    }
    s.limitApplicationCertificateRelatedConsFlg = textOf(&e, "LimitApplicationCertificateRelatedConsFlg");
    s.arbitraryIdentifier = textOf(&e, "ArbitraryIdentifier");
    return s;
}

ResultUnit readUnit(const XmlElement& unit,
                    const std::string& path,
                    const ResultHeader& header,
                    std::vector<std::string>& warnings,
                    std::vector<std::string>& unknown)
{
    const Diag d{warnings, path};
    ResultUnit out;
    auto& s = out.snapshot;
    copyHeader(header, s);
    if (auto t = textOf(&unit, "ProcessingResultStatus"); !t.empty()) {
        s.processingResultStatus = readCode<model::ProcessingResultStatus>("ProcessingResultStatus", t, d);
    }
    s.processingResultCode = textOf(&unit, "ProcessingResultCode");
    s.processingResultMessage = textOf(&unit, "ProcessingResultMessage");
    if (auto t = textOf(&unit, "QualificationValidity"); !t.empty()) {
        s.qualificationValidity = readCode<model::QualificationValidity>("QualificationValidity", t, d);
    }
    if (auto t = textOf(&unit, "PrescriptionIssueSelect"); !t.empty()) {
        s.prescriptionIssue = readCode<model::PrescriptionIssue>("PrescriptionIssueSelect", t, d);
    }
    s.referenceNumber = textOf(&unit, "ReferenceNumber");
    if (const XmlElement* search = unit.child("QualificationConfirmSearchInfo")) {
        out.search = readSearch(*search, Diag{warnings, path + "/QualificationConfirmSearchInfo"});
    }
    std::vector<const XmlElement*> results = unit.childrenNamed("ResultOfQualificationConfirmation");
    if (const XmlElement* list = unit.child("ResultList")) {
        listUnknown(*list, {"ResultOfQualificationConfirmation"}, path + "/ResultList", unknown);
        for (const auto* r : list->childrenNamed("ResultOfQualificationConfirmation")) {
            results.push_back(r);
        }
    }
    out.resultCount = results.size();
    // Several results are 複数該当: the first is read for display, the outcome says "multiple".
    if (!results.empty()) {
        readResultOfQualification(*results.front(), s, Diag{warnings, path + "/ResultOfQualificationConfirmation"},
                                  unknown);
        out.limitApplicationCertificateChanged = textOf(results.front(), "LimitApplicationCertificateChanged");
    }
    listUnknown(unit, kUnitTags, path, unknown);
    return out;
}

void writeResultOfQualification(XmlWriter& w, const EligibilitySnapshot& s, const std::string& limitChanged)
{
    w.open("ResultOfQualificationConfirmation");
    for (const auto& leaf : resultLeaves()) {
        if (auto text = leaf.write(s); !text.empty()) {
            w.leaf(leaf.tag, text);
        }
    }
    if (s.elderlyRecipient) {
        const auto& e = *s.elderlyRecipient;
        w.open("ElderlyRecipientCertificateInfo");
        if (e.certificateDate) {
            w.leaf("ElderlyRecipientCertificateDate", e.certificateDate->toCompact());
        }
        if (e.validStart) {
            w.leaf("ElderlyRecipientValidStartDate", e.validStart->toCompact());
        }
        if (e.validEnd) {
            w.leaf("ElderlyRecipientValidEndDate", e.validEnd->toCompact());
        }
        if (e.contributionRatioPercent) {
            w.leaf("ElderlyRecipientContributionRatio", percentText(e.contributionRatioPercent));
        }
        w.close();
    }
    if (s.limitCertificate) {
        const auto& l = *s.limitCertificate;
        w.open("LimitApplicationCertificateRelatedInfo");
        if (l.classification) {
            w.leaf("LimitApplicationCertificateClassification", model::toCode(*l.classification));
        }
        if (!l.classificationFlag.empty()) {
            w.leaf("LimitApplicationCertificateClassificationFlag", l.classificationFlag);
        }
        for (const auto& [tag, date] : {std::pair{"LimitApplicationCertificateDate", l.certificateDate},
                                        std::pair{"LimitApplicationCertificateValidStartDate", l.validStart},
                                        std::pair{"LimitApplicationCertificateValidEndDate", l.validEnd},
                                        std::pair{"LimitApplicationCertificateLongTermDate", l.longTermDate}}) {
            if (date) {
                w.leaf(tag, date->toCompact());
            }
        }
        w.close();
    }
    if (!s.specificDiseases.empty()) {
        w.open("SpecificDiseasesCertificateList");
        for (const auto& c : s.specificDiseases) {
            w.open("SpecificDiseasesCertificateInfo");
            w.leaf("SpecificDiseasesDiseaseCategory", c.diseaseCategory);
            for (const auto& [tag, date] : {std::pair{"SpecificDiseasesCertificateDate", c.certificateDate},
                                            std::pair{"SpecificDiseasesValidStartDate", c.validStart},
                                            std::pair{"SpecificDiseasesValidEndDate", c.validEnd}}) {
                if (date) {
                    w.leaf(tag, date->toCompact());
                }
            }
            if (c.selfPayYen) {
                w.leaf("SpecificDiseasesSelfPay", std::to_string(*c.selfPayYen));
            }
            w.close();
        }
        w.close();
    }
    for (const auto& consent : kConsents) {
        const std::string prefix(consent.prefix);
        const auto& c = s.*consent.member;
        if (!c.flag.empty()) {
            w.leaf(prefix + "ConsFlg", c.flag);
        }
        if (c.consentTime) {
            w.leaf(prefix + "ConsTime", toCompactTime(*c.consentTime));
        }
        if (c.availableTime) {
            w.leaf(prefix + "AvailableTime", toCompactTime(*c.availableTime));
        }
    }
    if (!limitChanged.empty()) {
        w.leaf("LimitApplicationCertificateChanged", limitChanged);
    }
    w.close();
}

void writeSearch(XmlWriter& w, const SearchInfo& s)
{
    w.open("QualificationConfirmSearchInfo");
    w.leaf("InsurerNumber", s.insurerNumber);
    if (!s.insuredCardSymbol.empty()) {
        w.leaf("InsuredCardSymbol", s.insuredCardSymbol);
    }
    w.leaf("InsuredIdentificationNumber", s.insuredIdentificationNumber);
    if (!s.insuredBranchNumber.empty()) {
        w.leaf("InsuredBranchNumber", s.insuredBranchNumber);
    }
    if (s.birthdate) {
        w.leaf("Birthdate", s.birthdate->toCompact());
    }
    if (!s.limitApplicationCertificateRelatedConsFlg.empty()) {
        w.leaf("LimitApplicationCertificateRelatedConsFlg", s.limitApplicationCertificateRelatedConsFlg);
    }
    if (!s.arbitraryIdentifier.empty()) {
        w.leaf("ArbitraryIdentifier", s.arbitraryIdentifier);
    }
    w.close();
}

void writeUnitBody(XmlWriter& w, const ResultUnit& u, bool bulk)
{
    const auto& s = u.snapshot;
    if (bulk && u.search) {
        writeSearch(w, *u.search);
    }
    if (s.processingResultStatus) {
        w.leaf("ProcessingResultStatus", model::toCode(*s.processingResultStatus));
    }
    if (!s.processingResultCode.empty()) {
        w.leaf("ProcessingResultCode", s.processingResultCode);
    }
    if (!s.processingResultMessage.empty()) {
        w.leaf("ProcessingResultMessage", s.processingResultMessage);
    }
    if (s.qualificationValidity) {
        w.leaf("QualificationValidity", model::toCode(*s.qualificationValidity));
    }
    if (bulk) {
        if (u.resultCount > 0) {
            writeResultOfQualification(w, s, u.limitApplicationCertificateChanged);
        }
        if (!s.referenceNumber.empty()) {
            w.leaf("ReferenceNumber", s.referenceNumber);
        }
        return;
    }
    if (u.resultCount > 0) {
        w.open("ResultList");
        for (std::size_t i = 0; i < u.resultCount; ++i) {
            writeResultOfQualification(w, s, u.limitApplicationCertificateChanged);
        }
        w.close();
    }
    if (u.search) {
        writeSearch(w, *u.search);
    }
    if (s.prescriptionIssue) {
        w.leaf("PrescriptionIssueSelect", model::toCode(*s.prescriptionIssue));
    }
}

} // namespace

Expected<ResultFile, Error> parseResult(std::string_view bytes)
{
    auto doc = parseXml(bytes, {"BulkConfirmUnit"});
    if (!doc) {
        return Unexpected(doc.error());
    }
    if (doc->root.name != "XmlMsg") {
        return Unexpected(
            Error{Errc::XmlMalformed, "the root element is <" + doc->root.name + ">, not <XmlMsg>", doc->root.name});
    }
    ResultFile file;
    file.encoding = doc->encoding;
    file.declaredEncoding = doc->declaredEncoding;
    listUnknown(doc->root, {"MessageHeader", "MessageBody"}, "XmlMsg", file.unknownTags);
    auto header = readHeader(doc->root, file.warnings, file.unknownTags);
    if (!header) {
        return Unexpected(header.error());
    }
    file.header = *header;
    const bool saysSjis = file.header.characterCode == model::CharacterCode::ShiftJis;
    if (file.header.characterCode && saysSjis != (file.encoding == TextEncoding::ShiftJis)) {
        file.warnings.push_back("MessageHeader/CharacterCodeIdentifier: says " +
                                std::string(saysSjis ? "Shift_JIS" : "UTF-8") + " but the file is " +
                                std::string(encodingName(file.encoding)) + " (read as the declaration says)");
    }
    const XmlElement* body = doc->root.child("MessageBody");
    const auto units = body ? body->childrenNamed("BulkConfirmUnit") : std::vector<const XmlElement*>{};
    file.bulk =
        !units.empty() || !file.header.receptionNumber.empty() || (body && !textOf(body, "ReceptionNumber").empty());
    if (body && file.header.receptionNumber.empty()) {
        file.header.receptionNumber =
            textOf(body, "ReceptionNumber"); // the upload receipt carries it in the body [S:7]
        file.header.receptionDateTime = textOf(body, "ReceptionDateTime");
    }
    if (!file.bulk) {
        if (body) {
            auto unit = readUnit(*body, "MessageBody", file.header, file.warnings, file.unknownTags);
            unit.snapshot.rawXml = doc->utf8;
            unit.snapshot.rawEncoding = std::string(encodingName(file.encoding));
            file.units.push_back(std::move(unit));
        } else if (file.header.segmentOfResult == model::SegmentOfResult::Normal) {
            return Unexpected(Error{Errc::XmlMalformed, "a normal result has no MessageBody", "MessageBody"});
        }
        return file;
    }
    for (std::size_t i = 0; i < units.size(); ++i) {
        const std::string path = "MessageBody/BulkConfirmUnit[" + std::to_string(i) + "]";
        auto unit = readUnit(*units[i], path, file.header, file.warnings, file.unknownTags);
        unit.snapshot.rawXml = units[i]->outerXml;
        unit.snapshot.rawEncoding = std::string(encodingName(file.encoding));
        file.units.push_back(std::move(unit));
    }
    if (file.header.numberOfProcessingResult && file.header.segmentOfResult == model::SegmentOfResult::Normal &&
        static_cast<std::size_t>(*file.header.numberOfProcessingResult) != units.size()) {
        file.warnings.push_back("MessageHeader/NumberOfProcessingResult: says " +
                                std::to_string(*file.header.numberOfProcessingResult) + " but the file holds " +
                                std::to_string(units.size()) + " BulkConfirmUnit");
    }
    return file;
}

Expected<std::string, Error> buildResult(const ResultFile& file, TextEncoding encoding)
{
    const auto& h = file.header;
    XmlWriter w;
    w.open("XmlMsg");
    w.open("MessageHeader");
    if (h.processExecutionTime) {
        w.leaf("ProcessExecutionTime", toCompactTime(*h.processExecutionTime));
    }
    if (h.qualificationConfirmationDate) {
        w.leaf("QualificationConfirmationDate", h.qualificationConfirmationDate->toCompact());
    }
    w.leaf("MedicalInstitutionCode", h.medicalInstitutionCode);
    if (!h.arbitraryFileIdentifier.empty()) {
        w.leaf("ArbitraryFileIdentifier", h.arbitraryFileIdentifier);
    }
    if (h.referenceClassification) {
        w.leaf("ReferenceClassification", model::toCode(*h.referenceClassification));
    }
    const bool receipt = file.bulk && file.units.empty() && !h.receptionNumber.empty() &&
                         h.segmentOfResult == model::SegmentOfResult::Normal && !h.numberOfProcessingResult;
    if (file.bulk && !receipt && !h.receptionNumber.empty()) {
        w.leaf("ReceptionNumber", h.receptionNumber);
    }
    w.leaf("SegmentOfResult", model::toCode(h.segmentOfResult));
    if (!h.errorCode.empty()) {
        w.leaf("ErrorCode", h.errorCode);
    }
    if (!h.errorMessage.empty()) {
        w.leaf("ErrorMessage", h.errorMessage);
    }
    if (h.numberOfProcessingResult) {
        w.leaf("NumberOfProcessingResult", std::to_string(*h.numberOfProcessingResult));
    }
    if (h.numberOfNormalProcessing) {
        w.leaf("NumberOfNormalProcessing", std::to_string(*h.numberOfNormalProcessing));
    }
    if (h.numberOfError) {
        w.leaf("NumberOfError", std::to_string(*h.numberOfError));
    }
    w.leaf("CharacterCodeIdentifier", encoding == TextEncoding::ShiftJis ? "1" : "0");
    w.close();
    if (receipt) {
        w.open("MessageBody");
        w.leaf("ReceptionNumber", h.receptionNumber);
        if (!h.receptionDateTime.empty()) {
            w.leaf("ReceptionDateTime", h.receptionDateTime);
        }
        w.close();
    } else if (file.bulk) {
        w.open("MessageBody");
        for (const auto& unit : file.units) {
            w.open("BulkConfirmUnit");
            writeUnitBody(w, unit, true);
            w.close();
        }
        w.close();
    } else if (!file.units.empty()) {
        w.open("MessageBody");
        writeUnitBody(w, file.units.front(), false);
        w.close();
    }
    w.close();
    return w.finish(encoding);
}

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
    j["segment_of_result"] = std::string(model::toCode(h.segmentOfResult));
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
    for (const auto& leaf : resultLeaves()) {
        putIf(j, leaf.tag, leaf.write(s));
    }
    if (s.elderlyRecipient) {
        const auto& e = *s.elderlyRecipient;
        putIf(j, "ElderlyRecipientCertificateDate", dateText(e.certificateDate));
        putIf(j, "ElderlyRecipientValidStartDate", dateText(e.validStart));
        putIf(j, "ElderlyRecipientValidEndDate", dateText(e.validEnd));
        putIf(j, "ElderlyRecipientContributionRatio", percentText(e.contributionRatioPercent));
    }
    if (s.limitCertificate) {
        const auto& l = *s.limitCertificate;
        putIf(j, "LimitApplicationCertificateClassification", codeText(l.classification));
        putIf(j, "LimitApplicationCertificateClassificationFlag", l.classificationFlag);
        putIf(j, "LimitApplicationCertificateDate", dateText(l.certificateDate));
        putIf(j, "LimitApplicationCertificateValidStartDate", dateText(l.validStart));
        putIf(j, "LimitApplicationCertificateValidEndDate", dateText(l.validEnd));
        putIf(j, "LimitApplicationCertificateLongTermDate", dateText(l.longTermDate));
    }
    if (!s.specificDiseases.empty()) {
        auto& list = j["specific_diseases_certificate_info"] = nlohmann::json::array();
        for (const auto& c : s.specificDiseases) {
            nlohmann::json item = nlohmann::json::object();
            putIf(item, "SpecificDiseasesDiseaseCategory", c.diseaseCategory);
            putIf(item, "SpecificDiseasesCertificateDate", dateText(c.certificateDate));
            putIf(item, "SpecificDiseasesValidStartDate", dateText(c.validStart));
            putIf(item, "SpecificDiseasesValidEndDate", dateText(c.validEnd));
            if (c.selfPayYen) {
                item["specific_diseases_self_pay"] = std::to_string(*c.selfPayYen);
            }
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
        for (const auto& tag : kElderlyTags) {
            if (snakeCase(tag) == key) {
                elderly.children.push_back(leafOf(tag));
                placed = true;
            }
        }
        for (const auto& tag : kLimitTags) {
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

std::optional<model::Timestamp> parseCompactTime(std::string_view text)
{
    if (text.size() != 14) {
        return std::nullopt;
    }
    const std::string iso = std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) + "-" +
                            std::string(text.substr(6, 2)) + "T" + std::string(text.substr(8, 2)) + ":" +
                            std::string(text.substr(10, 2)) + ":" + std::string(text.substr(12, 2)) + "+09:00";
    auto parsed = model::Timestamp::parse(iso);
    if (!parsed) {
        return std::nullopt;
    }
    return *parsed;
}

std::string toCompactTime(const model::Timestamp& time)
{
    const auto jst = time.withOffset(model::Timestamp::kJstOffsetMinutes).toString(); // 2025-06-10T14:30:00+09:00
    return jst.substr(0, 4) + jst.substr(5, 2) + jst.substr(8, 2) + jst.substr(11, 2) + jst.substr(14, 2) +
           jst.substr(17, 2);
}

} // namespace zaitaku::sync::oqs
