#include "sync/oqs/OqsRequests.h"

#include "sync/oqs/Xml.h"

#include <openssl/evp.h>

namespace zaitaku::sync::oqs
{

namespace
{

Unexpected<Error> malformed(const std::string& message, const std::string& field)
{
    return Unexpected(Error{Errc::XmlMalformed, message, field});
}

std::string textOf(const XmlElement* parent, std::string_view tag)
{
    const XmlElement* c = parent ? parent->child(tag) : nullptr;
    return c ? c->text : std::string();
}

Expected<std::optional<base::Date>, Error> dateOf(const XmlElement* parent, std::string_view tag, std::string_view path)
{
    const auto text = textOf(parent, tag);
    if (text.empty()) {
        return std::optional<base::Date>();
    }
    auto date = base::Date::parseCompact(text);
    if (!date) {
        return malformed(std::string(path) + "/" + std::string(tag) + " is not a YYYYMMDD date: '" + text + "'",
                         std::string(path) + "/" + std::string(tag));
    }
    return std::optional<base::Date>(*date);
}

void leafIf(XmlWriter& w, std::string_view tag, std::string_view value)
{
    if (!value.empty()) {
        w.leaf(tag, value);
    }
}

void writeDate(XmlWriter& w, std::string_view tag, const std::optional<base::Date>& date)
{
    if (date) {
        w.leaf(tag, date->toCompact());
    }
}

void writeHeader(XmlWriter& w, const RequestHeader& h)
{
    w.open("MessageHeader");
    writeDate(w, "QualificationConfirmationDate", h.qualificationConfirmationDate);
    w.leaf("MedicalInstitutionCode", h.medicalInstitutionCode);
    leafIf(w, "ArbitraryFileIdentifier", h.arbitraryFileIdentifier);
    w.close();
}

Expected<RequestHeader, Error> readHeader(const XmlElement& root)
{
    const XmlElement* h = root.child("MessageHeader");
    if (!h) {
        return malformed("the request has no MessageHeader", "MessageHeader");
    }
    RequestHeader out;
    auto date = dateOf(h, "QualificationConfirmationDate", "MessageHeader");
    if (!date) {
        return Unexpected(date.error());
    }
    out.qualificationConfirmationDate = *date;
    out.medicalInstitutionCode = textOf(h, "MedicalInstitutionCode");
    out.arbitraryFileIdentifier = textOf(h, "ArbitraryFileIdentifier");
    return out;
}

Expected<XmlDocument, Error> requestDocument(std::string_view bytes)
{
    auto doc = parseXml(bytes);
    if (!doc) {
        return doc;
    }
    if (doc->root.name != "XmlMsg") {
        return malformed("the root element is <" + doc->root.name + ">, not <XmlMsg>", doc->root.name);
    }
    return doc;
}

} // namespace

Expected<std::string, Error> buildQualificationRequest(const QualificationRequest& r, bool bulk, TextEncoding encoding)
{
    if (r.search.empty() || (!bulk && r.search.size() != 1)) {
        return Unexpected(
            Error{Errc::InvalidInput,
                  bulk ? "a bulk request needs at least one patient" : "a single request names one patient", "search"});
    }
    XmlWriter w;
    w.open("XmlMsg");
    writeHeader(w, r.header);
    w.open("MessageBody");
    for (const auto& s : r.search) {
        w.open("QualificationConfirmSearchInfo");
        w.leaf("InsurerNumber", s.insurerNumber);
        leafIf(w, "InsuredCardSymbol", s.insuredCardSymbol); // omitted when empty [U:2]
        w.leaf("InsuredIdentificationNumber", s.insuredIdentificationNumber);
        leafIf(w, "InsuredBranchNumber", s.insuredBranchNumber); // absent for 後期 [U:2]
        writeDate(w, "Birthdate", s.birthdate);
        leafIf(w, "LimitApplicationCertificateRelatedConsFlg", s.limitApplicationCertificateRelatedConsFlg);
        leafIf(w, "ArbitraryIdentifier", s.arbitraryIdentifier);
        w.close();
    }
    w.close();
    w.close();
    return w.finish(encoding);
}

Expected<QualificationRequest, Error> parseQualificationRequest(std::string_view bytes)
{
    auto doc = requestDocument(bytes);
    if (!doc) {
        return Unexpected(doc.error());
    }
    QualificationRequest out;
    auto header = readHeader(doc->root);
    if (!header) {
        return Unexpected(header.error());
    }
    out.header = *header;
    const XmlElement* body = doc->root.child("MessageBody");
    if (!body) {
        return malformed("the request has no MessageBody", "MessageBody");
    }
    for (const auto* info : body->childrenNamed("QualificationConfirmSearchInfo")) {
        SearchInfo s;
        s.insurerNumber = textOf(info, "InsurerNumber");
        s.insuredCardSymbol = textOf(info, "InsuredCardSymbol");
        s.insuredIdentificationNumber = textOf(info, "InsuredIdentificationNumber");
        s.insuredBranchNumber = textOf(info, "InsuredBranchNumber");
        auto birth = dateOf(info, "Birthdate", "QualificationConfirmSearchInfo");
        if (!birth) {
            return Unexpected(birth.error());
        }
        s.birthdate = *birth;
        s.limitApplicationCertificateRelatedConsFlg = textOf(info, "LimitApplicationCertificateRelatedConsFlg");
        s.arbitraryIdentifier = textOf(info, "ArbitraryIdentifier");
        if (s.insurerNumber.empty() || s.insuredIdentificationNumber.empty()) {
            return malformed("QualificationConfirmSearchInfo needs InsurerNumber and InsuredIdentificationNumber",
                             "QualificationConfirmSearchInfo");
        }
        out.search.push_back(std::move(s));
    }
    if (out.search.empty()) {
        return malformed("the request has no QualificationConfirmSearchInfo", "MessageBody");
    }
    return out;
}

Expected<std::string, Error> buildBulkDownloadRequest(const BulkDownloadRequest& r, TextEncoding encoding)
{
    XmlWriter w;
    w.open("XmlMsg");
    w.open("MessageHeader");
    w.leaf("MedicalInstitutionCode", r.medicalInstitutionCode);
    leafIf(w, "ArbitraryFileIdentifier", r.arbitraryFileIdentifier);
    w.close();
    w.open("MessageBody");
    w.leaf("ReceptionNumber", r.receptionNumber);
    w.close();
    w.close();
    return w.finish(encoding);
}

Expected<BulkDownloadRequest, Error> parseBulkDownloadRequest(std::string_view bytes)
{
    auto doc = requestDocument(bytes);
    if (!doc) {
        return Unexpected(doc.error());
    }
    BulkDownloadRequest out;
    const XmlElement* h = doc->root.child("MessageHeader");
    out.medicalInstitutionCode = textOf(h, "MedicalInstitutionCode");
    out.arbitraryFileIdentifier = textOf(h, "ArbitraryFileIdentifier");
    out.receptionNumber = textOf(doc->root.child("MessageBody"), "ReceptionNumber");
    if (out.receptionNumber.empty()) {
        return malformed("a download request needs MessageBody/ReceptionNumber", "MessageBody/ReceptionNumber");
    }
    return out;
}

Expected<std::string, Error> buildConsentedBulkRequest(const ConsentedBulkRequest& r, TextEncoding encoding)
{
    XmlWriter w;
    w.open("XmlMsg");
    writeHeader(w, r.header);
    w.open("MessageBody");
    writeDate(w, "ConsentDateFrom", r.consentDateFrom);
    writeDate(w, "ConsentDateTo", r.consentDateTo);
    w.leaf("MedicalTreatmentFlag", r.medicalTreatmentFlag);
    w.close();
    w.close();
    return w.finish(encoding);
}

Expected<ConsentedBulkRequest, Error> parseConsentedBulkRequest(std::string_view bytes)
{
    auto doc = requestDocument(bytes);
    if (!doc) {
        return Unexpected(doc.error());
    }
    ConsentedBulkRequest out;
    auto header = readHeader(doc->root);
    if (!header) {
        return Unexpected(header.error());
    }
    out.header = *header;
    const XmlElement* body = doc->root.child("MessageBody");
    auto from = dateOf(body, "ConsentDateFrom", "MessageBody");
    auto to = dateOf(body, "ConsentDateTo", "MessageBody");
    if (!from) {
        return Unexpected(from.error());
    }
    if (!to) {
        return Unexpected(to.error());
    }
    out.consentDateFrom = *from;
    out.consentDateTo = *to;
    out.medicalTreatmentFlag = textOf(body, "MedicalTreatmentFlag");
    return out;
}

Expected<std::string, Error> buildCardQualificationRequest(const CardQualificationRequest& r, TextEncoding encoding)
{
    if (r.certificateDer.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "a card request needs the card's certificate", "certificate"});
    }
    XmlWriter w;
    w.open("XmlMsg");
    writeHeader(w, r.header);
    w.open("MessageBody");
    // [I] Our tag: the official card channel is not public (Q1).
    w.leaf("ZaitakuAuthenticationCertificate", base64Encode(r.certificateDer));
    leafIf(w, "LimitApplicationCertificateRelatedConsFlg", r.limitApplicationCertificateRelatedConsFlg);
    w.close();
    w.close();
    return w.finish(encoding);
}

Expected<CardQualificationRequest, Error> parseCardQualificationRequest(std::string_view bytes)
{
    auto doc = requestDocument(bytes);
    if (!doc) {
        return Unexpected(doc.error());
    }
    CardQualificationRequest out;
    auto header = readHeader(doc->root);
    if (!header) {
        return Unexpected(header.error());
    }
    out.header = *header;
    const XmlElement* body = doc->root.child("MessageBody");
    auto der = base64Decode(textOf(body, "ZaitakuAuthenticationCertificate"));
    if (!der || der->empty()) {
        return malformed("MessageBody/ZaitakuAuthenticationCertificate is not a base64 certificate",
                         "MessageBody/ZaitakuAuthenticationCertificate");
    }
    out.certificateDer = std::move(*der);
    out.limitApplicationCertificateRelatedConsFlg = textOf(body, "LimitApplicationCertificateRelatedConsFlg");
    return out;
}

Expected<std::string, Error> buildMedicalInfoRequest(const MedicalInfoRequest& r, TextEncoding encoding)
{
    XmlWriter w;
    w.open("XmlMsg");
    w.open("MessageHeader");
    w.leaf("MedicalInstitutionCode", r.medicalInstitutionCode);
    w.leaf("InsurerNumber", r.insurerNumber);
    leafIf(w, "InsuranceCardSymbol", r.insuranceCardSymbol);
    w.leaf("InsuredPersonIdentificationNumber", r.insuredPersonIdentificationNumber);
    leafIf(w, "BranchNumber", r.branchNumber);
    leafIf(w, "ArbitraryFileIdentifier", r.arbitraryFileIdentifier);
    w.close();
    w.open("MessageBody");
    if (r.drugs) {
        writeDate(w, "StartDate", r.startDate);
        writeDate(w, "EndDate", r.endDate);
    }
    leafIf(w, "FileCategory", r.fileCategory);
    leafIf(w, "PrDiInfClassification", r.prDiInfClassification);
    w.leaf("MedicalTreatmentFlag", r.medicalTreatmentFlag);
    w.close();
    w.close();
    return w.finish(encoding);
}

Expected<MedicalInfoRequest, Error> parseMedicalInfoRequest(std::string_view bytes)
{
    auto doc = requestDocument(bytes);
    if (!doc) {
        return Unexpected(doc.error());
    }
    MedicalInfoRequest out;
    const XmlElement* h = doc->root.child("MessageHeader");
    const XmlElement* body = doc->root.child("MessageBody");
    out.medicalInstitutionCode = textOf(h, "MedicalInstitutionCode");
    out.insurerNumber = textOf(h, "InsurerNumber");
    out.insuranceCardSymbol = textOf(h, "InsuranceCardSymbol");
    out.insuredPersonIdentificationNumber = textOf(h, "InsuredPersonIdentificationNumber");
    out.branchNumber = textOf(h, "BranchNumber");
    out.arbitraryFileIdentifier = textOf(h, "ArbitraryFileIdentifier");
    auto start = dateOf(body, "StartDate", "MessageBody");
    auto end = dateOf(body, "EndDate", "MessageBody");
    if (!start) {
        return Unexpected(start.error());
    }
    if (!end) {
        return Unexpected(end.error());
    }
    out.drugs = body && (body->child("StartDate") || body->child("EndDate"));
    out.startDate = *start;
    out.endDate = *end;
    out.fileCategory = textOf(body, "FileCategory");
    out.prDiInfClassification = textOf(body, "PrDiInfClassification");
    out.medicalTreatmentFlag = textOf(body, "MedicalTreatmentFlag");
    return out;
}

std::string base64Encode(const std::vector<std::uint8_t>& bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text)
{
    std::string clean;
    for (char c : text) {
        if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
            clean += c;
        }
    }
    if (clean.empty() || clean.size() % 4 != 0) {
        return std::nullopt;
    }
    std::vector<std::uint8_t> out(clean.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    if (n < 0) {
        return std::nullopt;
    }
    std::size_t size = static_cast<std::size_t>(n);
    if (clean.size() >= 2 && clean[clean.size() - 1] == '=') {
        --size;
        if (clean[clean.size() - 2] == '=') {
            --size;
        }
    }
    out.resize(size);
    return out;
}

} // namespace zaitaku::sync::oqs
