#pragma once

// Everything the engine asks the people at the door. The CLI answers from its flags
// (ScriptedOperator), the Qt app from its screens (blocking the engine's worker thread until the
// nurse taps), the tests from a script. The engine never decides for the operator where the rules
// leave a choice (which method, whether to keep waiting, whether to retry a failed commit), and
// it never re-sends a PIN the operator did not enter again.

#include "device/mynacard/SecretDigits.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/consent/ConsentOffer.h"
#include "verify/consent/ConsentSelection.h"
#include "verify/model/CareRelationship.h"
#include "verify/model/Evidence.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Visit.h"
#include "verify/visit/VisitError.h"
#include "verify/visit/VisitPorts.h"
#include "verify/visit/VisitState.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::visit
{

// What the screen shows while the engine works (every transition and notable moment).
struct VisitProgress
{
    VisitState state = VisitState::Started;
    std::string message; // Japanese first; short
    std::optional<int> triesLeft;
};

// --- the card -------------------------------------------------------------------------------------
struct CardPrompt
{
    std::string reason; // "カードをリーダーに置いてください", "カードが離れました" …
    bool resuming = false;
};
enum class CardDecision
{
    Wait,     // keep waiting for the card
    Fallback, // go down the F6 ladder
    Abort,
};

// --- choosing how to verify -----------------------------------------------------------------------
struct MethodOption
{
    model::ConfirmMethod method = model::ConfirmMethod::Visual;
    bool available = false;
    std::string why; // when not available
};
struct MethodPrompt
{
    model::CardClass card = model::CardClass::PinCard;
    std::optional<int> triesLeft; // shown before any PIN input
    std::vector<MethodOption> options;
    bool lastTry = false; // one try left: PIN only with a staff override
};
struct MethodDecision
{
    enum class Kind
    {
        Method,
        Fallback,
        Abort,
    } kind = Kind::Abort;
    model::ConfirmMethod method = model::ConfirmMethod::Visual;
    std::string lastTryOverrideBy;               // staff who allow the last PIN try (PIN at one try left only)
    std::optional<model::Assistance> assistedBy; // who helps the patient at the door (seed 004 Q1)
};

// --- PIN ------------------------------------------------------------------------------------------
struct PinPrompt
{
    int triesLeft = 0; // shown before input
    bool lastTry = false;
};
struct PinAnswer
{
    std::optional<device::SecretDigits> pin; // none: back to the methods
};

// --- face -----------------------------------------------------------------------------------------
struct CodeBPrompt
{
    int triesLeft = 0;
};
struct CodeBAnswer
{
    std::optional<device::SecretDigits> codeB; // 照合番号B (14 digits); none: back
};

// --- visual ---------------------------------------------------------------------------------------
struct VisualPrompt
{
    std::string statement;                    // what staff confirm
    std::vector<model::VisualReason> reasons; // offered, most likely first
    model::VisualReason suggested = model::VisualReason::CannotEnterPin;
};
struct VisualAnswer
{
    enum class Kind
    {
        Attested,
        Mismatch, // the person does not match the photo: F6
        Back,
    } kind = Kind::Back;
    std::string staffId;
    model::VisualReason reason = model::VisualReason::CannotEnterPin;
};

// --- consent --------------------------------------------------------------------------------------
struct ConsentPrompt
{
    consent::ConsentOffer offer;
    std::string language = "ja";
    std::string textVersion; // shown on the screen
};
struct ConsentAnswer
{
    std::optional<consent::ConsentSelection> selection; // none: abort
};

// --- revisit --------------------------------------------------------------------------------------
struct RevisitPrompt
{
    bool allowed = false;
    std::vector<std::string> reasons;  // codes (rules::RequeryReason and the engine's own)
    std::vector<std::string> messages; // Japanese explanations
    std::optional<CachedResult> latest;
    std::optional<std::chrono::minutes> age; // of the cached result: shown, never today's confirmation
    model::RequeryState requery = model::RequeryState::Pending; // what recording now would say
    std::optional<CachedResult> fresh;                          // OQS's answer for today (Answered)
    std::vector<std::string> changes; // 保険者/負担割合 differences from the cached result (Japanese)
};
enum class RevisitDecision
{
    Confirm,  // allowed: record the revisit (re-query)
    CardPath, // do F1 with the card
    Fallback,
    Abort,
};

// --- fallback -------------------------------------------------------------------------------------
struct FallbackOption
{
    model::FallbackKind kind = model::FallbackKind::Moushitatesho;
    bool available = false;
    std::string why;
    std::vector<std::string> requiredFields;
};
struct FallbackPrompt
{
    std::string reason;                 // why online confirmation did not happen
    std::vector<FallbackOption> ladder; // in F6 order
    // The 申立書's claim numbers the newest cached result suggests (① current / ② former), for
    // staff to confirm with the patient; empty when there is none.
    std::map<std::string, std::string> suggestedFields;
    std::optional<base::Date> patientBirthdate; // the roster's: the 70/75 limits of documents (R2)
};
struct FallbackAnswer
{
    std::optional<model::FallbackKind> kind; // none: abort
    std::string fieldsJson = "{}";           // what staff transcribed
};

class OperatorInput
{
public:
    virtual ~OperatorInput() = default;

    virtual void progress(const VisitProgress& progress) = 0;
    virtual CardDecision cardMissing(const CardPrompt& prompt) = 0;
    virtual MethodDecision chooseMethod(const MethodPrompt& prompt) = 0;
    virtual PinAnswer enterPin(const PinPrompt& prompt) = 0;
    virtual CodeBAnswer enterCodeB(const CodeBPrompt& prompt) = 0;
    virtual VisualAnswer attestVisual(const VisualPrompt& prompt) = 0;
    virtual ConsentAnswer chooseConsent(const ConsentPrompt& prompt) = 0;
    virtual RevisitDecision reviewRevisit(const RevisitPrompt& prompt) = 0;
    virtual FallbackAnswer enterFallback(const FallbackPrompt& prompt) = 0;
    // The store refused the record (disk full …): retry (true) or give up (false, nothing kept).
    virtual bool retryCommit(const Error& error) = 0;
};

} // namespace zaitaku::visit
