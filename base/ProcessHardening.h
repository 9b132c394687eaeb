#pragma once

// Every zaitaku program holds secrets in memory (store keys, the gateway's CA and database keys,
// PIN digits while a VERIFY is on its way). A core dump would write them to disk in the clear,
// and a dumpable process can be read by any other process of the same user through ptrace or
// /proc/PID/mem. Each main() calls disableCoreDumps() before it touches a secret.

#include <string>

namespace zaitaku::base
{

// Sets RLIMIT_CORE to 0 (soft and hard) and PR_SET_DUMPABLE to 0. Empty on success, else what
// failed (the caller decides whether to go on; every program here refuses to start).
std::string disableCoreDumps();

} // namespace zaitaku::base
