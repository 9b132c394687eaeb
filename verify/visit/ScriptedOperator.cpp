#include "verify/visit/ScriptedOperator.h"

namespace zaitaku::visit
{

void ScriptedOperator::progress(const VisitProgress& progress)
{
    m_messages.push_back(progress);
}

CardDecision ScriptedOperator::cardMissing(const CardPrompt& prompt)
{
    if (m_script.cardWaits > 0) {
        --m_script.cardWaits;
        return CardDecision::Wait;
    }
    if (m_script.fallbackWhenNoCard) {
        return CardDecision::Fallback;
    }
    m_gaveUp = prompt.reason;
    return CardDecision::Abort;
}

MethodDecision ScriptedOperator::chooseMethod(const MethodPrompt& prompt)
{
    m_methodPrompts.push_back(prompt);
    for (const auto wanted : m_script.methods) {
        if ((wanted == model::ConfirmMethod::Pin && m_pinExhausted) ||
            (wanted == model::ConfirmMethod::Face && m_faceTried)) {
            continue;
        }
        for (const auto& option : prompt.options) {
            if (option.method != wanted) {
                continue;
            }
            if (option.available) {
                return MethodDecision{MethodDecision::Kind::Method, wanted, {}, std::nullopt};
            }
            // One try left: the PIN is offered again only on a staff override.
            if (wanted == model::ConfirmMethod::Pin && prompt.lastTry && !m_script.lastTryOverrideBy.empty()) {
                return MethodDecision{MethodDecision::Kind::Method, wanted, m_script.lastTryOverrideBy, std::nullopt};
            }
        }
    }
    if (m_script.fallbackKind) {
        return MethodDecision{MethodDecision::Kind::Fallback, model::ConfirmMethod::Visual, {}, std::nullopt};
    }
    m_gaveUp = "no offered method matches the script";
    for (const auto& option : prompt.options) {
        if (!option.available && !option.why.empty()) {
            m_gaveUp += "; " + std::string(base::toCode(option.method)) + ": " + option.why;
        }
    }
    return MethodDecision{};
}

PinAnswer ScriptedOperator::enterPin(const PinPrompt& prompt)
{
    m_pinPrompts.push_back(prompt);
    if (m_script.pins.empty()) {
        m_pinExhausted = true;
        return PinAnswer{};
    }
    PinAnswer answer{std::move(m_script.pins.front())};
    m_script.pins.pop_front();
    return answer;
}

CodeBAnswer ScriptedOperator::enterCodeB(const CodeBPrompt&)
{
    m_faceTried = true;
    if (!m_script.codeB) {
        return CodeBAnswer{};
    }
    CodeBAnswer answer{std::move(m_script.codeB)};
    m_script.codeB.reset();
    return answer;
}

VisualAnswer ScriptedOperator::attestVisual(const VisualPrompt& prompt)
{
    VisualAnswer answer;
    answer.kind = m_script.visualMismatch ? VisualAnswer::Kind::Mismatch : VisualAnswer::Kind::Attested;
    answer.staffId = m_script.visualStaffId;
    answer.reason = m_script.visualReason.value_or(prompt.suggested);
    return answer;
}

ConsentAnswer ScriptedOperator::chooseConsent(const ConsentPrompt& prompt)
{
    m_consentPrompts.push_back(prompt);
    auto selection = consent::parseSelection(m_script.consentSpec, m_script.prescription, m_script.limit);
    if (!selection) {
        m_gaveUp = selection.error().message;
        return ConsentAnswer{};
    }
    if (m_consentPrompts.size() > 1) {
        m_gaveUp =
            "the scripted consent was refused: " + (m_messages.empty() ? std::string() : m_messages.back().message);
        return ConsentAnswer{}; // the same answer again would be refused again
    }
    return ConsentAnswer{*selection};
}

RevisitDecision ScriptedOperator::reviewRevisit(const RevisitPrompt& prompt)
{
    return prompt.allowed ? m_script.onRevisitAllowed : m_script.onRevisitRefused;
}

FallbackAnswer ScriptedOperator::enterFallback(const FallbackPrompt& prompt)
{
    m_fallbackPrompts.push_back(prompt);
    if (!m_script.fallbackKind || m_fallbackPrompts.size() > 1) {
        m_gaveUp = m_fallbackPrompts.size() > 1
                       ? "the scripted fallback was refused: " +
                             (m_messages.empty() ? std::string() : m_messages.back().message)
                       : "online confirmation is not possible (" + prompt.reason + ") and no fallback was given";
        return FallbackAnswer{};
    }
    return FallbackAnswer{m_script.fallbackKind, m_script.fallbackFields};
}

bool ScriptedOperator::retryCommit(const Error& error)
{
    if (m_script.commitRetries > 0) {
        --m_script.commitRetries;
        return true;
    }
    m_gaveUp = error.message;
    return false;
}

} // namespace zaitaku::visit
