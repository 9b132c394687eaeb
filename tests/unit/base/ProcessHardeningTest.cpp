// No core dumps and no ptrace/proc access from other processes of the same user (issue 21, item 2).

#include "base/ProcessHardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::base
{
namespace
{

TEST(ProcessHardeningTest, ACoreDumpIsNeitherAllowedNorRaisableAgain)
{
    // In a child: the test process itself stays dumpable for the sanitizers and debuggers.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        rlimit some{1 << 20, RLIM_INFINITY};
        ::setrlimit(RLIMIT_CORE, &some);
        if (::prctl(PR_GET_DUMPABLE) != 1) {
            ::_exit(10);
        }
        if (!disableCoreDumps().empty()) {
            ::_exit(11);
        }
        rlimit now{};
        ::getrlimit(RLIMIT_CORE, &now);
        if (now.rlim_cur != 0 || now.rlim_max != 0) {
            ::_exit(12);
        }
        if (::prctl(PR_GET_DUMPABLE) != 0) {
            ::_exit(13);
        }
        // The hard limit is 0: an unprivileged process can no longer raise it (root could).
        rlimit again{1 << 20, 1 << 20};
        if (::geteuid() != 0 && ::setrlimit(RLIMIT_CORE, &again) == 0) {
            ::_exit(14);
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: not dumpable before, 11: failed, 12: limit, 13: dumpable, 14: raised";
}

} // namespace
} // namespace zaitaku::base
