#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// zaitaku-cli visit <first|revisit|fallback|status> --db PATH --patient ID --staff ID … [--json]
// Runs the visit engine (verify/visit) non-interactively from flags: the same engine as the app.
int runVisit(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
