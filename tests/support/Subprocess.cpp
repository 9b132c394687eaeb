#include "support/Subprocess.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace zaitaku::test
{

namespace
{

std::string tempPath(const char* tag)
{
    char pattern[] = "/tmp/zaitaku-test-XXXXXX";
    const int fd = mkstemp(pattern);
    if (fd >= 0) {
        close(fd);
    }
    return std::string(pattern) + tag;
}

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::remove(path.c_str());
    return ss.str();
}

} // namespace

ProcessResult
runProcess(const std::vector<std::string>& argv, const std::string& stdinText, std::chrono::milliseconds timeout)
{
    const std::string inPath = tempPath(".in");
    const std::string outPath = tempPath(".out");
    const std::string errPath = tempPath(".err");
    std::ofstream(inPath, std::ios::binary) << stdinText;

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, inPath.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);

    ProcessResult result;
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        result.err = "posix_spawn failed";
        return result;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            result.timedOut = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!result.timedOut && WIFEXITED(status)) {
        result.exitCode = WEXITSTATUS(status);
    }
    std::remove(inPath.c_str());
    result.out = slurp(outPath);
    result.err = slurp(errPath);
    return result;
}

int spawnProcess(const std::vector<std::string>& argv, int* stdoutFd)
{
    int fds[2] = {-1, -1};
    if (stdoutFd && pipe(fds) != 0) {
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (stdoutFd) {
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        posix_spawn_file_actions_addclose(&actions, fds[1]);
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (stdoutFd) {
        close(fds[1]);
        *stdoutFd = rc == 0 ? fds[0] : (close(fds[0]), -1);
    }
    return rc == 0 ? pid : -1;
}

bool signalAndReap(int pid, int signal)
{
    if (pid <= 0) {
        return false;
    }
    ::kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == signal;
}

std::string readLine(int fd, std::chrono::milliseconds timeout)
{
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char c = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        if (read(fd, &c, 1) != 1 || c == '\n') {
            break;
        }
        line += c;
    }
    return line;
}

int GatewayProcess::start(int port)
{
    int out = -1;
    m_pid = spawnProcess({m_program, "serve", "--data-dir", m_dataDir, "--listen", "127.0.0.1:" + std::to_string(port)},
                         &out);
    const std::string line = out >= 0 ? readLine(out, std::chrono::seconds(30)) : std::string();
    if (out >= 0) {
        close(out);
    }
    // {"ca_fingerprint":"…","listening":"https://127.0.0.1:PORT","port":PORT}
    const auto key = line.find("\"port\":");
    m_port = key == std::string::npos ? 0 : std::atoi(line.c_str() + key + 7);
    return m_port;
}

bool GatewayProcess::kill(int signal)
{
    const bool wasRunning = signalAndReap(m_pid, signal);
    m_pid = -1;
    return wasRunning;
}

} // namespace zaitaku::test
