#pragma once

// Result files read from res/ (docs/design/DOMAIN.md §2.2–§2.4): the single 資格確認 result, the bulk upload
// receipt (ReceptionNumber) and the bulk result (BulkConfirmUnit[]), and the card result (same
// layout as the single one). The reader never guesses: an unknown code value is a warning and
// the field stays empty; an unknown tag is listed; the whole file is kept. The writer exists for
// the simulator and the golden tests.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/oqs/OqsRequests.h"
#include "sync/oqs/TextEncoding.h"
#include "verify/model/EligibilitySnapshot.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::oqs
{

struct ResultHeader
{
    std::optional<base::Timestamp> processExecutionTime;
    std::optional<base::Date> qualificationConfirmationDate;
    std::string medicalInstitutionCode;
    std::string arbitraryFileIdentifier;
    std::optional<model::ReferenceClassification> referenceClassification;
    model::SegmentOfResult segmentOfResult = model::SegmentOfResult::Normal;
    std::string errorCode;
    std::string errorMessage;
    std::optional<model::CharacterCode> characterCode;
    // bulk only [S:7]
    std::string receptionNumber;
    std::string receptionDateTime;
    std::optional<int> numberOfProcessingResult;
    std::optional<int> numberOfNormalProcessing;
    std::optional<int> numberOfError;
};

// One patient: MessageBody of a single result, or one BulkConfirmUnit.
struct ResultUnit
{
    model::EligibilitySnapshot snapshot; // header fields copied in; rawXml = this unit's XML
    std::optional<SearchInfo> search;    // the echo of the query
    std::string limitApplicationCertificateChanged;
    std::size_t resultCount = 0; // ResultOfQualificationConfirmation elements (1 when confirmed)
};

struct ResultFile
{
    bool bulk = false;
    ResultHeader header;
    std::vector<ResultUnit> units;
    std::vector<std::string> warnings;    // unknown code values, ● in names, encoding disagreements
    std::vector<std::string> unknownTags; // element paths the codec does not know
    TextEncoding encoding = TextEncoding::Utf8;
    std::string declaredEncoding;
};

// XmlMalformed / XmlEncoding for files that cannot be accepted (no XmlMsg, no SegmentOfResult,
// an unknown SegmentOfResult: nothing can be decided without it).
Expected<ResultFile, Error> parseResult(std::string_view bytes);

// For the simulator: header + units (each unit's snapshot supplies the body). Bulk when
// file.bulk; a receipt when bulk and no units but a ReceptionNumber.
Expected<std::string, Error> buildResult(const ResultFile& file, TextEncoding encoding);

// The check order public clients use [U:2][S:2 result.ts]: SegmentOfResult → ProcessingResultStatus
// → QualificationValidity (and exactly one result).
enum class Outcome
{
    Processing,      // SegmentOfResult 2: poll again
    SystemError,     // SegmentOfResult 9
    QueryFailed,     // ProcessingResultStatus 2
    Confirmed,       // Validity 1 and one result
    NotConfirmed,    // Validity 2, 3, 4
    MultipleMatches, // Validity 5 (or several results): staff resolve
    Unknown,         // a code the codec does not know: never treated as confirmed
};
Outcome outcomeOf(const model::EligibilitySnapshot& snapshot, std::size_t resultCount);
std::string_view outcomeName(Outcome outcome);

// What the codec understood, keyed by the XML tag names in snake_case (`insurer_number`,
// `elderly_recipient_contribution_ratio`, …) with the values as written, plus `outcome`,
// `copay_percent` (rules engine, for the QualificationConfirmationDate), `warnings` and
// `unknown_tags`. A single result → an object; a bulk result → an array; a receipt → an object.
nlohmann::json resultToJson(const ResultFile& file);
std::string snakeCase(std::string_view tag);
// The reverse, for the simulator's population: a unit from tag-named keys with XML values
// ({"qualification_validity": "1", "insurer_number": "…", "elderly_recipient_contribution_ratio":
// "020", …}). Warnings for values the codec would warn about; InvalidInput for an unknown key.
Expected<ResultUnit, Error> unitFromTagJson(const nlohmann::json& json, std::vector<std::string>& warnings);

// "YYYYMMDDhhmmss" in JST [S:2 util.ts].
std::optional<base::Timestamp> parseCompactTime(std::string_view text);
std::string toCompactTime(const base::Timestamp& time);

} // namespace zaitaku::sync::oqs
