#pragma once

// Runs a program with stdin from a string and captures stdout/stderr, with a timeout (the
// child is killed when it expires). For tests that exercise real binaries.

#include <chrono>
#include <string>
#include <vector>

namespace zaitaku::test
{

struct ProcessResult
{
    int exitCode = -1; // -1 when killed by a signal or timed out
    bool timedOut = false;
    std::string out;
    std::string err;
};

ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::string& stdinText,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

} // namespace zaitaku::test
