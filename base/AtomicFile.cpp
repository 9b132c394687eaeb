#include "base/AtomicFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace zaitaku::base
{

namespace
{

Error ioError(const std::string& what, const std::string& path, int err)
{
    Errc code = Errc::FileIo;
    if (err == ENOSPC || err == EDQUOT) {
        code = Errc::DiskFull;
    } else if (err == EROFS || err == EACCES || err == EPERM) {
        code = Errc::ReadOnly;
    } else if (err == ENOENT) {
        code = Errc::FileNotFound;
    }
    return Error{code, what + " " + path + ": " + std::strerror(err)};
}

bool writeAll(int fd, std::string_view content)
{
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

Expected<void, Error> writeFileAtomically(const std::string& path, std::string_view content, unsigned mode)
{
    const std::string tmp = path + ".tmp";
    // A leftover (or planted) temporary is removed, never written through: O_EXCL|O_NOFOLLOW
    // create a new file or fail, so a symlink at the temporary name cannot redirect the write.
    (void)::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        return Unexpected(ioError("cannot create", tmp, errno));
    }
    if (!writeAll(fd, content) || ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return Unexpected(ioError("cannot write", tmp, err));
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return Unexpected(ioError("cannot replace", path, err));
    }
    const std::string dir = std::filesystem::path(path).parent_path().empty()
                                ? std::string(".")
                                : std::filesystem::path(path).parent_path().string();
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        (void)::fsync(dirFd); // the rename itself must survive a power loss
        ::close(dirFd);
    }
    return {};
}

Expected<std::string, Error> readSmallFile(const std::string& path, std::size_t maxBytes, Links links)
{
    // O_NONBLOCK: a FIFO or device at the path must not hang the caller (it is refused below).
    const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (links == Links::Refuse ? O_NOFOLLOW : 0);
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP && links == Links::Refuse) {
            return Unexpected(Error{Errc::FileRefused, path + " is a symbolic link: refused"});
        }
        return Unexpected(ioError("cannot open", path, err));
    }
    struct stat st
    {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Unexpected(Error{Errc::FileRefused, path + " is not a regular file: refused"});
    }
    std::string content;
    // Secrets pass through here: no reallocation leaves copies behind, and the stack buffer is
    // wiped however the read ends (security review L2).
    content.reserve(std::min<std::size_t>(maxBytes, 64 * 1024) + 1);
    char buffer[4096];
    struct WipeBuffer
    {
        char* bytes;
        std::size_t size;
        ~WipeBuffer() { ::explicit_bzero(bytes, size); }
    } wipeBuffer{buffer, sizeof buffer};
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            return Unexpected(ioError("cannot read", path, err));
        }
        if (n == 0) {
            break;
        }
        content.append(buffer, static_cast<std::size_t>(n));
        if (content.size() > maxBytes) {
            ::close(fd);
            return Unexpected(
                Error{Errc::FileRefused, path + " is larger than " + std::to_string(maxBytes) + " bytes"});
        }
    }
    ::close(fd);
    return content;
}

Expected<std::string, Error> readSecretFile(const std::string& path, std::size_t maxBytes)
{
    struct stat st
    {};
    if (::lstat(path.c_str(), &st) != 0) {
        return Unexpected(ioError("cannot open", path, errno));
    }
    if (S_ISREG(st.st_mode) && ((st.st_mode & 077) != 0 || st.st_uid != ::geteuid())) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return Unexpected(Error{Errc::FileRefused, path + " holds a secret but is " +
                                                       (st.st_uid != ::geteuid() ? std::string("owned by another user")
                                                                                 : "mode " + std::string(mode)) +
                                                       ": refused (chown to this user and chmod 600 " + path + ")"});
    }
    return readSmallFile(path, maxBytes, Links::Refuse);
}

bool fileExists(const std::string& path)
{
    struct stat st
    {};
    return ::stat(path.c_str(), &st) == 0;
}

} // namespace zaitaku::base
