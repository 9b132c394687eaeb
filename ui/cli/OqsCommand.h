#pragma once

// zaitaku-cli oqs parse|build-request, and the zaitaku-oqs-sim program (docs/OQS.md).

#include "ui/cli/CliContext.h"

#include <atomic>

namespace zaitaku::cli
{

int runOqs(const Args& args, CliContext& ctx);
// zaitaku-oqs-sim --population FILE --dir DIR [--encoding shift_jis|utf-8] [--interval-ms N]
int runOqsSimulator(const Args& args, CliContext& ctx, const std::atomic<bool>& stop);

} // namespace zaitaku::cli
