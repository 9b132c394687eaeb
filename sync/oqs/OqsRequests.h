#pragma once

// Request files the bridge writes into req/ (docs/design/DOMAIN.md §2.1, §2.5), and their parsers (the
// simulator reads them; the round-trip tests hold the two together). Tag names are the ones
// in public code [S:SX-road12][S:4][S:6][S:7]; the card request is ours [I] (docs/OQS.md).

#include "base/Date.h"
#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/oqs/OqsInterface.h"
#include "sync/oqs/TextEncoding.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::oqs
{

// QualificationConfirmSearchInfo: the insurer numbers a query is keyed by (the re-query key).
struct SearchInfo
{
    std::string insurerNumber; // 8 chars; padding as the caller gives it (Q4)
    std::string insuredCardSymbol;
    std::string insuredIdentificationNumber;
    std::string insuredBranchNumber;
    std::optional<base::Date> birthdate;
    std::string limitApplicationCertificateRelatedConsFlg; // "0" / "1" [S:1]; empty: omitted
    std::string arbitraryIdentifier;                       // ours: the gateway's patient id

    friend bool operator==(const SearchInfo&, const SearchInfo&) = default;
};

struct RequestHeader
{
    std::optional<base::Date> qualificationConfirmationDate;
    std::string medicalInstitutionCode; // 10 digits
    std::string arbitraryFileIdentifier;

    friend bool operator==(const RequestHeader&, const RequestHeader&) = default;
};

// OQSsiquc01req (one SearchInfo) and OQSmuquc01req (many).
struct QualificationRequest
{
    RequestHeader header;
    std::vector<SearchInfo> search;
    friend bool operator==(const QualificationRequest&, const QualificationRequest&) = default;
};

// OQSmuquc02req / OQSmuhvq02req: fetch a bulk result by its ReceptionNumber [S:7].
struct BulkDownloadRequest
{
    std::string medicalInstitutionCode;
    std::string receptionNumber;
    std::string arbitraryFileIdentifier;
    friend bool operator==(const BulkDownloadRequest&, const BulkDownloadRequest&) = default;
};

// OQSmuhvq01req: every patient who consented in the date range (訪問診療等) [S:4].
struct ConsentedBulkRequest
{
    RequestHeader header;
    std::optional<base::Date> consentDateFrom;
    std::optional<base::Date> consentDateTo;
    std::string medicalTreatmentFlag = "2"; // 2 = 訪問診療等 [S:4]
    friend bool operator==(const ConsentedBulkRequest&, const ConsentedBulkRequest&) = default;
};

// ZTKsicrt01req [I]: the JPKI user-authentication certificate the card presented at the visit.
// Never the 個人番号: the certificate carries none (docs/design/CARD.md).
struct CardQualificationRequest
{
    RequestHeader header;
    std::vector<std::uint8_t> certificateDer;
    std::string limitApplicationCertificateRelatedConsFlg;
    friend bool operator==(const CardQualificationRequest&, const CardQualificationRequest&) = default;
};

// YZKsiquc01req / TKKsiquc01req: note the different tag names for the same numbers [S:6].
struct MedicalInfoRequest
{
    bool drugs = true; // false: 特定健診 (TKK)
    std::string medicalInstitutionCode;
    std::string insurerNumber;
    std::string insuranceCardSymbol;
    std::string insuredPersonIdentificationNumber;
    std::string branchNumber;
    std::string arbitraryFileIdentifier;
    std::optional<base::Date> startDate; // drugs only
    std::optional<base::Date> endDate;
    std::string fileCategory;          // values unknown (Q7): passed through
    std::string prDiInfClassification; // values unknown (Q7): passed through
    std::string medicalTreatmentFlag = "2";
    friend bool operator==(const MedicalInfoRequest&, const MedicalInfoRequest&) = default;
};

Expected<std::string, Error>
buildQualificationRequest(const QualificationRequest& request, bool bulk, TextEncoding encoding);
Expected<std::string, Error> buildBulkDownloadRequest(const BulkDownloadRequest& request, TextEncoding encoding);
Expected<std::string, Error> buildConsentedBulkRequest(const ConsentedBulkRequest& request, TextEncoding encoding);
Expected<std::string, Error> buildCardQualificationRequest(const CardQualificationRequest& request,
                                                           TextEncoding encoding);
Expected<std::string, Error> buildMedicalInfoRequest(const MedicalInfoRequest& request, TextEncoding encoding);

Expected<QualificationRequest, Error> parseQualificationRequest(std::string_view bytes);
Expected<BulkDownloadRequest, Error> parseBulkDownloadRequest(std::string_view bytes);
Expected<ConsentedBulkRequest, Error> parseConsentedBulkRequest(std::string_view bytes);
Expected<CardQualificationRequest, Error> parseCardQualificationRequest(std::string_view bytes);
Expected<MedicalInfoRequest, Error> parseMedicalInfoRequest(std::string_view bytes);

std::string base64Encode(const std::vector<std::uint8_t>& bytes);
std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text);

} // namespace zaitaku::sync::oqs
