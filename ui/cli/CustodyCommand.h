#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// zaitaku-cli custody <deposit|checkout|return|list> --db PATH … [--json]: the card custody ledger
// for facilities that hold residents' cards (F8).
int runCustody(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
