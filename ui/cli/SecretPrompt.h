#pragma once

// Reads a secret (PIN) line: without echo from a terminal, or as a plain line from a pipe (tests,
// automation). The buffer is wiped by the caller via SecretDigits; nothing is logged.

#include "ui/cli/CliContext.h"

#include <string>

namespace zaitaku::cli
{

std::string readSecretLine(CliContext& ctx, const char* prompt);
void wipe(std::string& secret);

} // namespace zaitaku::cli
