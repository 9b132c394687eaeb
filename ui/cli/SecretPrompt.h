#pragma once

// Reads a secret (PIN) line: without echo from a terminal, or as a plain line from a pipe (tests,
// automation). The buffer is wiped by the caller via SecretDigits; nothing is logged.

#include "ui/cli/CliContext.h"

#include <optional>
#include <string>

namespace zaitaku::cli
{

std::string readSecretLine(CliContext& ctx, const char* prompt);

// A secret that must not be on a command line (visible in ps, /proc/PID/cmdline and shell
// history): the first line of `path` when it is set, else typed at `prompt`. nullopt, with the
// reason in `problem`, when the file cannot be read or the secret is empty.
std::optional<std::string>
secretFromFileOrPrompt(CliContext& ctx, const std::string& path, const char* prompt, std::string& problem);

// The refusal of a secret given on the command line (`option`), naming the ways that are allowed.
std::string secretOnCommandLine(const std::string& option, const std::string& fileOption);
void wipe(std::string& secret);

} // namespace zaitaku::cli
