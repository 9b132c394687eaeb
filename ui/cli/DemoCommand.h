#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// `zaitaku-cli demo`: the embedded demo. Today it walks one patient through the worked example
// of docs/design/DOMAIN.md §7 with the rules engine; the gateway, the OQS simulator and the virtual card
// join it as their issues land.
int runDemo(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
