#pragma once

// An OperatorInput that answers from a script: what zaitaku-cli runs non-interactively (from its
// flags) and what the scenario and property tests drive. Each PIN in the script is one entry by
// the operator; when the script has no more, the PIN path is left (never a PIN re-sent on its
// own). It keeps what it was shown, so tests can assert on the prompts.

#include "verify/visit/OperatorInput.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::visit
{

struct VisitScript
{
    // Methods in order of preference: the first one the prompt offers is taken.
    std::vector<model::ConfirmMethod> methods{model::ConfirmMethod::Pin, model::ConfirmMethod::Visual};
    std::deque<device::SecretDigits> pins; // one per PIN prompt
    std::optional<device::SecretDigits> codeB;
    std::string lastTryOverrideBy;                   // staff who allow the last PIN try; empty: never
    std::string visualStaffId;                       // empty: the visit's staff
    std::optional<model::VisualReason> visualReason; // empty: the prompt's suggestion
    bool visualMismatch = false;
    std::string consentSpec = "all"; // consent::parseSelection
    std::string prescription;        // "electronic" | "paper" | empty
    std::string limit;               // 限度額: "provide" | "decline" | empty (not asked)
    RevisitDecision onRevisitAllowed = RevisitDecision::Confirm;
    RevisitDecision onRevisitRefused = RevisitDecision::CardPath;
    std::optional<model::FallbackKind> fallbackKind;
    std::string fallbackFields = "{}";
    bool fallbackWhenNoCard = false; // else abort when the card is not presented
    int cardWaits = 0;               // how many more waits for a card before giving up
    int commitRetries = 0;
};

class ScriptedOperator final : public OperatorInput
{
public:
    explicit ScriptedOperator(VisitScript script)
        : m_script(std::move(script))
    {}

    void progress(const VisitProgress& progress) override;
    CardDecision cardMissing(const CardPrompt& prompt) override;
    MethodDecision chooseMethod(const MethodPrompt& prompt) override;
    PinAnswer enterPin(const PinPrompt& prompt) override;
    CodeBAnswer enterCodeB(const CodeBPrompt& prompt) override;
    VisualAnswer attestVisual(const VisualPrompt& prompt) override;
    ConsentAnswer chooseConsent(const ConsentPrompt& prompt) override;
    RevisitDecision reviewRevisit(const RevisitPrompt& prompt) override;
    FallbackAnswer enterFallback(const FallbackPrompt& prompt) override;
    bool retryCommit(const Error& error) override;

    // What the operator was shown (for tests and the CLI's report).
    const std::vector<VisitProgress>& messages() const { return m_messages; }
    const std::vector<MethodPrompt>& methodPrompts() const { return m_methodPrompts; }
    const std::vector<PinPrompt>& pinPrompts() const { return m_pinPrompts; }
    const std::vector<ConsentPrompt>& consentPrompts() const { return m_consentPrompts; }
    const std::vector<FallbackPrompt>& fallbackPrompts() const { return m_fallbackPrompts; }
    // Why the script gave up, when it did ("no offered method matches the script").
    const std::string& gaveUp() const { return m_gaveUp; }

private:
    VisitScript m_script;
    bool m_pinExhausted = false;
    bool m_faceTried = false;
    std::vector<VisitProgress> m_messages;
    std::vector<MethodPrompt> m_methodPrompts;
    std::vector<PinPrompt> m_pinPrompts;
    std::vector<ConsentPrompt> m_consentPrompts;
    std::vector<FallbackPrompt> m_fallbackPrompts;
    std::string m_gaveUp;
};

} // namespace zaitaku::visit
