#pragma once

// Files zaitaku writes for itself or for another program (key files, export archives, OQS request
// files, face policies) are replaced atomically: written to a temporary file in the same directory,
// fsync'ed, renamed over the target, and the directory fsync'ed. A crash leaves the old file or the
// new one, never half.

#include "base/BaseError.h"
#include "base/Expected.h"

#include <string>
#include <string_view>

namespace zaitaku::base
{

// The temporary is created with O_EXCL|O_NOFOLLOW (a planted symlink is removed, not followed).
Expected<void, Error> writeFileAtomically(const std::string& path, std::string_view content, unsigned mode = 0600);

// Whether a symbolic link at the path itself is followed. Files another program controls (the
// OQS terminal's res/) are read with Refuse, so a link cannot make the gateway read its own keys.
enum class Links
{
    Follow,
    Refuse
};
// Regular files only (a FIFO or device is refused at once, never waited on); at most maxBytes.
Expected<std::string, Error> readSmallFile(const std::string& path, std::size_t maxBytes, Links links = Links::Follow);
// A key file: as readSmallFile with links refused, and refused as well when it is not owned by
// this user or when group or others may read or write it (the error names the chmod to run).
Expected<std::string, Error> readSecretFile(const std::string& path, std::size_t maxBytes);
bool fileExists(const std::string& path);

} // namespace zaitaku::base
