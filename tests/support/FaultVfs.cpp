#include "support/FaultVfs.h"

#include <atomic>
#include <cstring>
#include <sqlite3.h>

namespace zaitaku::testing
{

namespace
{

std::atomic<int> g_countdown{-1}; // -1: disarmed
std::atomic<bool> g_fired{false};
sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs{};

struct FaultFile
{
    sqlite3_file base; // must be first: SQLite sees a sqlite3_file
    sqlite3_file* real;
};

sqlite3_file* real(sqlite3_file* f)
{
    return reinterpret_cast<FaultFile*>(f)->real;
}

// True when this write-side operation is the one to fail.
bool shouldFail()
{
    int left = g_countdown.load();
    while (left >= 0) {
        if (g_countdown.compare_exchange_weak(left, left - 1)) {
            if (left == 0) {
                g_fired = true;
                return true;
            }
            return false;
        }
    }
    return false;
}

int xClose(sqlite3_file* f)
{
    const int rc = real(f)->pMethods != nullptr ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
    sqlite3_free(real(f));
    return rc;
}
int xRead(sqlite3_file* f, void* p, int n, sqlite3_int64 off)
{
    return real(f)->pMethods->xRead(real(f), p, n, off);
}
int xWrite(sqlite3_file* f, const void* p, int n, sqlite3_int64 off)
{
    return shouldFail() ? SQLITE_FULL : real(f)->pMethods->xWrite(real(f), p, n, off);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size)
{
    return shouldFail() ? SQLITE_FULL : real(f)->pMethods->xTruncate(real(f), size);
}
int xSync(sqlite3_file* f, int flags)
{
    return shouldFail() ? SQLITE_IOERR_FSYNC : real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size)
{
    return real(f)->pMethods->xFileSize(real(f), size);
}
int xLock(sqlite3_file* f, int level)
{
    return real(f)->pMethods->xLock(real(f), level);
}
int xUnlock(sqlite3_file* f, int level)
{
    return real(f)->pMethods->xUnlock(real(f), level);
}
int xCheckReservedLock(sqlite3_file* f, int* out)
{
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg)
{
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int xSectorSize(sqlite3_file* f)
{
    return real(f)->pMethods->xSectorSize(real(f));
}
int xDeviceCharacteristics(sqlite3_file* f)
{
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int xShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** p)
{
    return real(f)->pMethods->xShmMap(real(f), region, size, extend, p);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags)
{
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f)
{
    real(f)->pMethods->xShmBarrier(real(f));
}
int xShmUnmap(sqlite3_file* f, int deleteFlag)
{
    return real(f)->pMethods->xShmUnmap(real(f), deleteFlag);
}
int xFetch(sqlite3_file* f, sqlite3_int64 off, int amount, void** p)
{
    return real(f)->pMethods->xFetch(real(f), off, amount, p);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p)
{
    return real(f)->pMethods->xUnfetch(real(f), off, p);
}

const sqlite3_io_methods kMethods{3,
                                  xClose,
                                  xRead,
                                  xWrite,
                                  xTruncate,
                                  xSync,
                                  xFileSize,
                                  xLock,
                                  xUnlock,
                                  xCheckReservedLock,
                                  xFileControl,
                                  xSectorSize,
                                  xDeviceCharacteristics,
                                  xShmMap,
                                  xShmLock,
                                  xShmBarrier,
                                  xShmUnmap,
                                  xFetch,
                                  xUnfetch};

int xOpen(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* outFlags)
{
    auto* ff = reinterpret_cast<FaultFile*>(file);
    ff->real = static_cast<sqlite3_file*>(sqlite3_malloc(g_base->szOsFile));
    if (ff->real == nullptr) {
        return SQLITE_NOMEM;
    }
    std::memset(ff->real, 0, static_cast<std::size_t>(g_base->szOsFile));
    const int rc = g_base->xOpen(g_base, name, ff->real, flags, outFlags);
    // SQLite calls xClose even after a failed xOpen when pMethods is set.
    ff->base.pMethods = &kMethods;
    return rc;
}

} // namespace

void FaultVfs::install()
{
    if (g_base != nullptr) {
        return;
    }
    g_base = sqlite3_vfs_find(nullptr);
    g_vfs = *g_base;
    g_vfs.zName = kName;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile));
    g_vfs.xOpen = xOpen;
    g_vfs.pNext = nullptr;
    sqlite3_vfs_register(&g_vfs, 0);
}

void FaultVfs::failAt(int n)
{
    g_fired = false;
    g_countdown = n;
}

void FaultVfs::disarm()
{
    g_countdown = -1;
}

bool FaultVfs::fired()
{
    return g_fired;
}

} // namespace zaitaku::testing
