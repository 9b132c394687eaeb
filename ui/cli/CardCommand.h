#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// `zaitaku-cli card readers|status|read-cert|verify-pin|sign|face-photo …`
int runCard(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
