#pragma once

// An RC-S380 on an emulated USB bus (umockdev): sysfs and /dev/bus/usb entries for 054C:06C3 and
// a usbdevfs ioctl handler that carries libusb's bulk URBs to and from Rcs380Emulator, so the
// driver runs unchanged on libusb, down to the kernel interface. The process (and its children)
// must run under libumockdev-preload (reexecUnderUmockdev arranges that). Plug and unplug send
// uevents, so libusb's hot-plug sees them.

#include "support/rcs380/Rcs380Emulator.h"

#include <functional>
#include <memory>
#include <mutex>

namespace zaitaku::test
{

class UmockdevRcs380
{
public:
    UmockdevRcs380();
    ~UmockdevRcs380();
    UmockdevRcs380(const UmockdevRcs380&) = delete;
    UmockdevRcs380& operator=(const UmockdevRcs380&) = delete;

    // Adds the reader to the bus (constructed unplugged) and announces it.
    void plug();
    // Pulls it out: transfers in flight fail with ENODEV, the device leaves sysfs and /dev.
    void unplug();
    // Pulls it out by itself after `writes` more bulk-out transfers (mid-exchange).
    void unplugAfterWrites(int writes);

    // Claiming the interface fails with `error` (EBUSY: another program holds the reader), or
    // succeeds again with 0.
    void refuseClaim(int error);

    // Runs `f` on the emulator under the lock the USB handler thread takes.
    void withEmulator(const std::function<void(Rcs380Emulator&)>& f);
    int bulkWrites() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// true when this process runs under libumockdev-preload.
bool underUmockdev();
// Call first in main(): re-executes the program under libumockdev-preload (as umockdev-wrapper
// would), so CTest and gtest discovery can run the binary directly. ASan is told not to insist
// on coming first in the preload list. Returns only when already under umockdev.
void reexecUnderUmockdev(char** argv);

} // namespace zaitaku::test
