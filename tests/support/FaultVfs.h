#pragma once

// A SQLite VFS that wraps the default one and fails the N-th write-side operation (xWrite,
// xSync, xTruncate) of any file: SQLITE_FULL for writes and truncates, SQLITE_IOERR_FSYNC for
// syncs. It sits below SQLCipher's codec, so it sees the encrypted pages as the disk would.

namespace zaitaku::testing
{

class FaultVfs
{
public:
    static constexpr const char* kName = "zaitaku-fault";
    static void install();     // registers the VFS (not as default); idempotent
    static void failAt(int n); // counts write-side operations from now; fails number n (0-based)
    static void disarm();
    static bool fired();
};

} // namespace zaitaku::testing
