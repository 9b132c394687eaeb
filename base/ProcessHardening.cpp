#include "base/ProcessHardening.h"

#include <cerrno>
#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace zaitaku::base
{

std::string disableCoreDumps()
{
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) {
        return std::string("setrlimit(RLIMIT_CORE, 0): ") + std::strerror(errno);
    }
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return std::string("prctl(PR_SET_DUMPABLE, 0): ") + std::strerror(errno);
    }
    return {};
}

} // namespace zaitaku::base
