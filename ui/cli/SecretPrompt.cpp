#include "ui/cli/SecretPrompt.h"

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

void wipe(std::string& secret)
{
    if (!secret.empty()) {
        OPENSSL_cleanse(secret.data(), secret.size());
    }
    secret.clear();
}

} // namespace zaitaku::cli
