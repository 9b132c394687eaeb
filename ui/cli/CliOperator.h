#pragma once

// The visit engine's operator at the command line: answers from the flags (a ScriptedOperator),
// asks for a PIN on the terminal (without echo) when no --pin-file was given, and prints what the
// engine reports to stderr so a person running it sees the same messages as on the tablet.

#include "ui/cli/CliContext.h"
#include "verify/visit/ScriptedOperator.h"

namespace zaitaku::cli
{

class CliOperator final : public visit::OperatorInput
{
public:
    CliOperator(CliContext& ctx, visit::VisitScript script, bool promptForPin, bool quiet)
        : m_ctx(ctx)
        , m_script(std::move(script))
        , m_promptForPin(promptForPin)
        , m_quiet(quiet)
    {}

    void progress(const visit::VisitProgress& progress) override;
    visit::CardDecision cardMissing(const visit::CardPrompt& prompt) override { return m_script.cardMissing(prompt); }
    visit::MethodDecision chooseMethod(const visit::MethodPrompt& prompt) override
    {
        return m_script.chooseMethod(prompt);
    }
    visit::PinAnswer enterPin(const visit::PinPrompt& prompt) override;
    visit::CodeBAnswer enterCodeB(const visit::CodeBPrompt& prompt) override { return m_script.enterCodeB(prompt); }
    visit::VisualAnswer attestVisual(const visit::VisualPrompt& prompt) override
    {
        return m_script.attestVisual(prompt);
    }
    visit::ConsentAnswer chooseConsent(const visit::ConsentPrompt& prompt) override
    {
        return m_script.chooseConsent(prompt);
    }
    visit::RevisitDecision reviewRevisit(const visit::RevisitPrompt& prompt) override
    {
        return m_script.reviewRevisit(prompt);
    }
    visit::FallbackAnswer enterFallback(const visit::FallbackPrompt& prompt) override
    {
        return m_script.enterFallback(prompt);
    }
    bool retryCommit(const visit::Error& error) override { return m_script.retryCommit(error); }

    const std::string& gaveUp() const { return m_script.gaveUp(); }

private:
    CliContext& m_ctx;
    visit::ScriptedOperator m_script;
    bool m_promptForPin;
    bool m_quiet;
    int m_typedPins = 0;
};

} // namespace zaitaku::cli
