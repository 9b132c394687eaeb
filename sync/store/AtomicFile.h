#pragma once

// Files the store writes next to the database (the key file, export archives) are replaced
// atomically: written to a temporary file in the same directory, fsync'ed, renamed over the
// target, and the directory fsync'ed. A crash leaves the old file or the new one, never half.

#include "sync/SyncError.h"
#include "verify/model/Expected.h"

#include <string>
#include <string_view>

namespace zaitaku::sync::store
{

Expected<void, Error> writeFileAtomically(const std::string& path, std::string_view content, unsigned mode = 0600);
Expected<std::string, Error> readSmallFile(const std::string& path, std::size_t maxBytes);
bool fileExists(const std::string& path);

} // namespace zaitaku::sync::store
