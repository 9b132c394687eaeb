#include "verify/consent/ConsentSelection.h"

namespace zaitaku::consent
{

namespace
{

Error invalid(const std::string& message, const char* field = "consent")
{
    return Error{Errc::InvalidSelection, message, field};
}

model::Consent recordFor(model::ConsentKind kind,
                         bool given,
                         const ConsentText& text,
                         const ConsentContext& context,
                         base::RandomSource& random)
{
    model::Consent c;
    c.id = base::makeUuid(random);
    c.patientId = context.patientId;
    c.kind = kind;
    c.given = given;
    c.textVersion = text.versionId();
    c.textSha256 = text.sha256;
    c.consentTime = context.at;
    c.sourceSnapshotId = context.sourceSnapshotId;
    return c;
}

} // namespace

Expected<ConsentSelection, Error>
parseSelection(std::string_view spec, std::string_view prescription, std::string_view limit)
{
    ConsentSelection selection;
    if (spec == "all") {
        selection.mode = SelectionMode::All;
    } else if (spec == "none") {
        selection.mode = SelectionMode::None;
    } else {
        selection.mode = SelectionMode::PerItem;
        std::size_t start = 0;
        while (start <= spec.size()) {
            const std::size_t comma = std::min(spec.find(',', start), spec.size());
            const std::string item(spec.substr(start, comma - start));
            auto kind = base::fromCode<model::ConsentKind>(item);
            if (!kind || *kind == model::ConsentKind::ElectronicPrescription || *kind == model::ConsentKind::Limit ||
                !textFor(*kind)) {
                return Unexpected(invalid("'" + item +
                                          "' is not a consent item (all, none, or a list of diag, pharm, "
                                          "oper, checkup)"));
            }
            if (selection.answers.count(*kind) != 0) {
                return Unexpected(invalid("'" + item + "' is listed twice"));
            }
            selection.answers[*kind] = true;
            start = comma + 1;
        }
    }
    if (prescription == "electronic") {
        selection.prescription = model::PrescriptionIssue::Electronic;
    } else if (prescription == "paper") {
        selection.prescription = model::PrescriptionIssue::Paper;
    } else if (!prescription.empty()) {
        return Unexpected(
            invalid("the prescription choice is 'electronic' or 'paper', not '" + std::string(prescription) + "'",
                    "prescription"));
    }
    if (limit == "provide" || limit == "decline") {
        selection.limit = limit == "provide";
    } else if (!limit.empty()) {
        return Unexpected(
            invalid("the 限度額 answer is 'provide' or 'decline', not '" + std::string(limit) + "'", "limit"));
    }
    return selection;
}

ConsentSelection completeAgainst(ConsentSelection selection, const ConsentOffer& offer)
{
    if (selection.mode == SelectionMode::PerItem) {
        for (const auto kind : offer.items) {
            selection.answers.try_emplace(kind, false);
        }
    }
    return selection;
}

Expected<std::vector<model::Consent>, Error> consentRecords(const ConsentSelection& selection,
                                                            const ConsentOffer& offer,
                                                            const ConsentCatalog& catalog,
                                                            const ConsentContext& context,
                                                            base::RandomSource& random)
{
    std::vector<model::Consent> out;
    for (const auto& [kind, given] : selection.answers) {
        if (!offer.offers(kind)) {
            std::string why = offer.notes.empty() ? std::string() : " (" + offer.notes.front() + ")";
            return Unexpected(Error{Errc::NotOffered,
                                    std::string(base::labelOf(kind)) + " is not offered at this visit" + why,
                                    std::string(base::toCode(kind))});
        }
    }
    std::optional<ConsentText> allText;
    if (selection.mode == SelectionMode::All && !offer.items.empty()) {
        auto text = catalog.current(context.language, TextId::All);
        if (!text) {
            return Unexpected(text.error());
        }
        allText = *text;
    }
    for (const auto kind : offer.items) {
        bool given = selection.mode == SelectionMode::All;
        if (selection.mode == SelectionMode::PerItem) {
            auto answer = selection.answers.find(kind);
            if (answer == selection.answers.end()) {
                return Unexpected(Error{Errc::Unanswered, std::string(base::labelOf(kind)) + " has no answer",
                                        std::string(base::toCode(kind))});
            }
            given = answer->second;
        }
        auto id = textFor(kind);
        auto text = allText ? Expected<ConsentText, Error>(*allText) : catalog.current(context.language, *id);
        if (!text) {
            return Unexpected(text.error());
        }
        out.push_back(recordFor(kind, given, *text, context, random));
    }
    if (offer.prescriptionChoice && selection.prescription) {
        auto text = catalog.current(context.language, TextId::Prescription);
        if (!text) {
            return Unexpected(text.error());
        }
        out.push_back(recordFor(model::ConsentKind::ElectronicPrescription,
                                *selection.prescription == model::PrescriptionIssue::Electronic, *text, context,
                                random));
    }
    if (offer.limitChoice && selection.limit) {
        auto text = catalog.current(context.language, TextId::Limit);
        if (!text) {
            return Unexpected(text.error());
        }
        out.push_back(recordFor(model::ConsentKind::Limit, *selection.limit, *text, context, random));
    }
    return out;
}

Expected<model::Consent, Error> revocationRecord(const model::Consent& consent,
                                                 const ConsentCatalog& catalog,
                                                 const ConsentContext& context,
                                                 base::RandomSource& random)
{
    auto text = catalog.current(context.language, TextId::Revocation);
    if (!text) {
        return Unexpected(text.error());
    }
    model::Consent r = recordFor(consent.kind, false, *text, context, random);
    r.patientId = consent.patientId;
    r.revokesConsentId = consent.id;
    return r;
}

} // namespace zaitaku::consent
