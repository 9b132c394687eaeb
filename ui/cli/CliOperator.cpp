#include "ui/cli/CliOperator.h"

#include "ui/cli/SecretPrompt.h"

#include <ostream>

namespace zaitaku::cli
{

void CliOperator::progress(const visit::VisitProgress& progress)
{
    m_script.progress(progress);
    if (!m_quiet && !progress.message.empty()) {
        m_ctx.err << "[" << base::labelOf(progress.state) << "] " << progress.message << "\n";
    }
}

visit::PinAnswer CliOperator::enterPin(const visit::PinPrompt& prompt)
{
    if (!m_promptForPin) {
        return m_script.enterPin(prompt);
    }
    // One typed PIN per visit from a prompt: a second entry after a wrong PIN is the person's
    // decision, so it is asked for again (never re-sent).
    if (m_typedPins >= 3) {
        return {};
    }
    ++m_typedPins;
    const std::string label = "暗証番号 (残り" + std::to_string(prompt.triesLeft) + "回, 空で中止) PIN, " +
                              std::to_string(prompt.triesLeft) + " tries left: ";
    std::string typed = readSecretLine(m_ctx, label.c_str());
    if (typed.empty()) {
        return {};
    }
    auto pin = device::makeAuthPin(typed);
    wipe(typed);
    if (!pin) {
        m_ctx.err << "暗証番号は4桁の数字です (the PIN is 4 digits)\n";
        return {};
    }
    return visit::PinAnswer{std::move(*pin)};
}

} // namespace zaitaku::cli
