#include "ui/cli/SecretPrompt.h"

#include "base/AtomicFile.h"

#include <istream>
#include <openssl/crypto.h>
#include <ostream>
#include <termios.h>
#include <unistd.h>

namespace zaitaku::cli
{

std::string readSecretLine(CliContext& ctx, const char* prompt)
{
    ctx.err << prompt << std::flush;
    termios saved{};
    const bool tty = ctx.interactive && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        termios silent = saved;
        silent.c_lflag &= static_cast<tcflag_t>(~ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    std::string line;
    std::getline(ctx.in, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    }
    ctx.err << "\n";
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

std::optional<std::string>
secretFromFileOrPrompt(CliContext& ctx, const std::string& path, const char* prompt, std::string& problem)
{
    std::string secret;
    if (path.empty()) {
        secret = readSecretLine(ctx, prompt);
    } else {
        auto content = base::readSecretFile(path, 4096); // owner-only, no links (review L2)
        if (!content) {
            problem = content.error().message;
            return std::nullopt;
        }
        secret = content->substr(0, content->find_first_of("\r\n"));
        wipe(*content);
    }
    if (secret.empty()) {
        problem = path.empty() ? "nothing was typed" : path + " is empty";
        return std::nullopt;
    }
    return secret;
}

std::string secretOnCommandLine(const std::string& option, const std::string& fileOption)
{
    return option +
           " is refused: a secret on the command line is visible to every user (ps, /proc) and stays in "
           "shell history; use " +
           fileOption + " FILE (mode 0600) or type it at the prompt";
}

void wipe(std::string& secret)
{
    if (!secret.empty()) {
        OPENSSL_cleanse(secret.data(), secret.size());
    }
    secret.clear();
}

} // namespace zaitaku::cli
