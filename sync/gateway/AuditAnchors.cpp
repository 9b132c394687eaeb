#include "sync/gateway/AuditAnchors.h"

#include "base/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace zaitaku::sync::gateway
{

std::string AuditAnchor::line() const
{
    return std::to_string(seq) + " " + hash + " " + at;
}

Expected<void, Error> appendAuditAnchor(const std::string& path, const AuditAnchor& anchor)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return Unexpected(Error{Errc::StoreIo, "cannot open " + path + ": " + std::strerror(errno), "audit_anchors"});
    }
    const std::string text = anchor.line() + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!written) {
        return Unexpected(
            Error{Errc::StoreIo, "cannot append to " + path + ": " + std::strerror(err), "audit_anchors"});
    }
    return {};
}

Expected<std::optional<AuditAnchor>, Error> currentAuditAnchor(GatewayStorage& storage)
{
    auto last = storage.lastAuditRow();
    if (!last) {
        return Unexpected(last.error());
    }
    if (!*last) {
        return std::optional<AuditAnchor>();
    }
    return std::optional<AuditAnchor>(AuditAnchor{(*last)->seq, (*last)->hash, (*last)->at});
}

Expected<void, Error> checkAuditAnchors(GatewayStorage& storage,
                                        const std::vector<AuditAnchor>& anchors,
                                        std::vector<sql::AuditProblem>& problems)
{
    for (const auto& anchor : anchors) {
        auto rows = storage.auditRows(anchor.seq - 1, 1);
        if (!rows) {
            return Unexpected(rows.error());
        }
        if (rows->empty() || rows->front().seq != anchor.seq) {
            problems.push_back({anchor.seq, "the anchor of " + anchor.at + " names row " + std::to_string(anchor.seq) +
                                                ", which the chain no longer has (rows removed, or an older copy "
                                                "restored: the audit trail since then is gone)"});
        } else if (rows->front().hash != anchor.hash) {
            problems.push_back({anchor.seq, "the chain was rewritten: row " + std::to_string(anchor.seq) +
                                                " is not the one anchored at " + anchor.at});
        }
    }
    return {};
}

Expected<std::vector<AuditAnchor>, Error> readAuditAnchors(const std::string& path,
                                                           std::vector<sql::AuditProblem>& problems)
{
    std::vector<AuditAnchor> out;
    if (!base::fileExists(path)) {
        return out;
    }
    auto text = base::readSmallFile(path, 64 * 1024 * 1024, base::Links::Refuse);
    if (!text) {
        return Unexpected(Error{Errc::StoreIo, "cannot read " + path + ": " + text.error().message, "audit_anchors"});
    }
    std::istringstream lines(*text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        std::istringstream fields(line);
        AuditAnchor anchor;
        if (!(fields >> anchor.seq >> anchor.hash >> anchor.at) || anchor.seq < 1 || anchor.hash.size() != 64) {
            problems.push_back({0, "audit-anchors line " + std::to_string(number) + " does not parse"});
            continue;
        }
        out.push_back(std::move(anchor));
    }
    return out;
}

} // namespace zaitaku::sync::gateway
