#pragma once

// What the patient answered, and the consent records it yields. Answers are explicit: every offered
// item is recorded given or declined (a decline is evidence too), nothing is defaulted silently.
//   All     → the all-at-once text; every offered item given.
//   None    → every offered item declined (each with its own text shown).
//   PerItem → one answer per offered item, each with its own text.
// 処方箋の発行方法 is recorded as ElectronicPrescription (given = 電子処方箋, declined = 紙).

#include "base/Random.h"
#include "base/Timestamp.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/consent/ConsentOffer.h"
#include "verify/model/OqsCodes.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::consent
{

enum class SelectionMode
{
    All,
    None,
    PerItem,
};

struct ConsentSelection
{
    SelectionMode mode = SelectionMode::None;
    std::map<model::ConsentKind, bool> answers; // PerItem only
    std::optional<model::PrescriptionIssue> prescription;
    std::optional<bool> limit; // 限度額情報を提供する (true) / 提供しない (false); none: not asked
};

// "all", "none", or a comma list of the items given ("diag,pharm,oper,checkup"): listed items are
// given, the other offered items declined. The prescription choice comes separately
// ("electronic" | "paper").
// The 限度額 answer: "provide" | "decline" | empty (not asked).
Expected<ConsentSelection, Error>
parseSelection(std::string_view spec, std::string_view prescription = {}, std::string_view limit = {});
// The same selection with every offered item answered (for PerItem from a partial list).
ConsentSelection completeAgainst(ConsentSelection selection, const ConsentOffer& offer);

struct ConsentContext
{
    std::string patientId;
    std::string language = "ja";
    base::Timestamp at = base::Timestamp::fromUtc({});
    std::string sourceSnapshotId;
};

// The records to store, one per offered item (+ the prescription choice), each with the version
// id and SHA-256 of the text shown. Errors: an unanswered or not-offered item.
Expected<std::vector<model::Consent>, Error> consentRecords(const ConsentSelection& selection,
                                                            const ConsentOffer& offer,
                                                            const ConsentCatalog& catalog,
                                                            const ConsentContext& context,
                                                            base::RandomSource& random);

// A withdrawal of `consent`, shown with the current revocation text.
Expected<model::Consent, Error> revocationRecord(const model::Consent& consent,
                                                 const ConsentCatalog& catalog,
                                                 const ConsentContext& context,
                                                 base::RandomSource& random);

} // namespace zaitaku::consent
