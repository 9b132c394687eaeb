#pragma once

// The tablet's side of the gateway (docs/PROTOCOL.md, "Sync protocol"):
//   zaitaku-cli enroll --gateway https://HOST:PORT [--code-file FILE] --db PATH [--label NAME] [--json]
//   zaitaku-cli sync --db PATH [--json]
//   zaitaku-cli sync-status --db PATH [--json]
//   zaitaku-cli precheck --db PATH [--date YYYY-MM-DD] [--patients ID,ID…] [--json]
//   zaitaku-cli medinfo --db PATH --patient ID [--fetch --staff ID [--service-kind K]] [--json]
// All take the store's unlock options (--passphrase-file | --device-key | --recovery-code-file).

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

int runEnroll(const Args& args, CliContext& ctx);
int runSync(const Args& args, CliContext& ctx);
int runSyncStatus(const Args& args, CliContext& ctx);
int runPrecheck(const Args& args, CliContext& ctx);
int runRequery(const Args& args, CliContext& ctx);
int runSyncRetry(const Args& args, CliContext& ctx);
int runMedicalInfo(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
