// The XML side of result files: reading (parseResult) and writing (buildResult), both driven by
// the field tables of OqsResultFields.

#include "sync/oqs/OqsResultFields.h"

#include <charconv>

namespace zaitaku::sync::oqs
{

using model::EligibilitySnapshot;

namespace detail
{

namespace
{

void readResultOfQualification(const XmlElement& r,
                               EligibilitySnapshot& s,
                               const Diag& d,
                               std::vector<std::string>& unknown)
{
    TagSet known(kKnownUnmodelled);
    for (const auto& leaf : resultLeaves()) {
        known.insert(std::string(leaf.tag));
        if (const XmlElement* c = r.child(leaf.tag); c && !c->text.empty()) {
            leaf.read(s, leaf.tag, c->text, d);
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
        s.elderlyRecipient =
            readGroup(*e, elderlyFields(), Diag{d.warnings, d.path + "/ElderlyRecipientCertificateInfo"}, unknown);
    }
    if (const XmlElement* e = r.child("LimitApplicationCertificateRelatedInfo"); e && !e->children.empty()) {
        s.limitCertificate =
            readGroup(*e, limitFields(), Diag{d.warnings, d.path + "/LimitApplicationCertificateRelatedInfo"}, unknown);
    }
    if (const XmlElement* list = r.child("SpecificDiseasesCertificateList")) {
        const std::string listPath = d.path + "/SpecificDiseasesCertificateList";
        listUnknown(*list, {"SpecificDiseasesCertificateInfo"}, listPath, unknown);
        for (const auto* item : list->childrenNamed("SpecificDiseasesCertificateInfo")) {
            s.specificDiseases.push_back(readGroup(
                *item, diseaseFields(), Diag{d.warnings, listPath + "/SpecificDiseasesCertificateInfo"}, unknown));
        }
    }
    listUnknown(r, known, d.path, unknown);
    if (s.name.find("●") != std::string::npos) {
        d.warn("Name", "contains ● (a character the insurers' system cannot carry): kept verbatim, staff confirm "
                       "the name (R5)");
    }
}

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
    auto parsed = base::fromCode<model::SegmentOfResult>(segment);
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

void writeResultOfQualification(XmlWriter& w, const EligibilitySnapshot& s, const std::string& limitChanged)
{
    w.open("ResultOfQualificationConfirmation");
    writeGroup(w, s, resultLeaves());
    if (s.elderlyRecipient) {
        w.open("ElderlyRecipientCertificateInfo");
        writeGroup(w, *s.elderlyRecipient, elderlyFields());
        w.close();
    }
    if (s.limitCertificate) {
        w.open("LimitApplicationCertificateRelatedInfo");
        writeGroup(w, *s.limitCertificate, limitFields());
        w.close();
    }
    if (!s.specificDiseases.empty()) {
        w.open("SpecificDiseasesCertificateList");
        for (const auto& c : s.specificDiseases) {
            w.open("SpecificDiseasesCertificateInfo");
            writeGroup(w, c, diseaseFields());
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
        w.leaf("ProcessingResultStatus", base::toCode(*s.processingResultStatus));
    }
    if (!s.processingResultCode.empty()) {
        w.leaf("ProcessingResultCode", s.processingResultCode);
    }
    if (!s.processingResultMessage.empty()) {
        w.leaf("ProcessingResultMessage", s.processingResultMessage);
    }
    if (s.qualificationValidity) {
        w.leaf("QualificationValidity", base::toCode(*s.qualificationValidity));
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
        w.leaf("PrescriptionIssueSelect", base::toCode(*s.prescriptionIssue));
    }
}

} // namespace

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

} // namespace detail

using namespace detail;

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
        w.leaf("ReferenceClassification", base::toCode(*h.referenceClassification));
    }
    const bool receipt = file.bulk && file.units.empty() && !h.receptionNumber.empty() &&
                         h.segmentOfResult == model::SegmentOfResult::Normal && !h.numberOfProcessingResult;
    if (file.bulk && !receipt && !h.receptionNumber.empty()) {
        w.leaf("ReceptionNumber", h.receptionNumber);
    }
    w.leaf("SegmentOfResult", base::toCode(h.segmentOfResult));
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

} // namespace zaitaku::sync::oqs
