#pragma once

#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

// zaitaku-cli face <match|verify|calibrate|probe>: face verification from the command line
// (docs/FACE.md). Nothing it computes is stored; only `probe` writes a file, where it is told to.
int runFace(const Args& args, CliContext& ctx);

} // namespace zaitaku::cli
