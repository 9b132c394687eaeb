#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// zaitaku-cli store <init|unlock-check|stats|verify-audit|purge|export|verify-export|import-patients|
//                    change-passphrase|rekey> --db PATH [--passphrase-file FILE] [--json] …
int runStore(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
