#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// `zaitaku-cli route`: today's route from the tablet's own cache, offline (RouteView).
int runRoute(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
