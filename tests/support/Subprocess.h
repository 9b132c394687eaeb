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

// Starts a program in the background (stdin and stderr on /dev/null). With `stdoutFd`, its stdout
// is a pipe the caller reads (readLine) and closes; else /dev/null.
int spawnProcess(const std::vector<std::string>& argv, int* stdoutFd);
// Sends `signal` and waits; true when the process ended by that signal (it was still running).
bool signalAndReap(int pid, int signal);
// One line from `fd` (without the newline); empty on timeout or end of file.
std::string readLine(int fd, std::chrono::milliseconds timeout);

// zaitaku-gateway serve on loopback as its own process, for tests that kill it.
class GatewayProcess
{
public:
    GatewayProcess(std::string program, std::string dataDir)
        : m_program(std::move(program))
        , m_dataDir(std::move(dataDir))
    {}
    ~GatewayProcess() { kill(9); }
    // Starts on `port` (0: any) and waits for its "listening" line; the port it listens on.
    int start(int port = 0);
    // true when it was running.
    bool kill(int signal);
    int port() const { return m_port; }
    int pid() const { return m_pid; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }

private:
    std::string m_program;
    std::string m_dataDir;
    int m_pid = -1;
    int m_port = 0;
};

} // namespace zaitaku::test
