#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// Dispatches `zaitaku-cli <command> ...` (args excludes the program name).
int runCli(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
