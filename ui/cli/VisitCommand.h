#pragma once

#include "ui/cli/CliContext.h"
#include "verify/visit/VisitEngine.h"

namespace zaitaku::cli
{

// zaitaku-cli visit <first|revisit|fallback|status> --db PATH --patient ID --staff ID … [--json]
// Runs the visit engine (verify/visit) non-interactively from flags: the same engine as the app.
int runVisit(const Args& args, CliContext& ctx);

// The outcome as a person reads it (Japanese first, English beside it).
void printVisitOutcome(CliContext& ctx, const visit::VisitOutcome& outcome);

} // namespace zaitaku::cli
