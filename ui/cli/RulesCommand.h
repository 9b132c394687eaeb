#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// `zaitaku-cli rules`            one JSON request on stdin → one JSON object on stdout
// `zaitaku-cli rules <rule> --field value …`   the same, explained in Japanese and English
int runRules(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
