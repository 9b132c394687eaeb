#pragma once

// Tells the app when a supported reader is plugged in or pulled out (libusb hot-plug callbacks on
// a thread of its own). The callback runs on that thread: hand the event to the UI thread.

#include "base/Expected.h"
#include "device/DeviceError.h"
#include "hardware/readers/SupportedReaders.h"

#include <functional>
#include <memory>

namespace zaitaku::hardware
{

struct ReaderPlugEvent
{
    bool added = false;
    SupportedReader reader;
    int bus = 0;
    int address = 0;
};

class UsbHotplugMonitor
{
public:
    using Callback = std::function<void(const ReaderPlugEvent&)>;
    // Starts watching; readers already plugged in are reported as added first.
    static Expected<std::unique_ptr<UsbHotplugMonitor>, device::Error> start(Callback callback);
    ~UsbHotplugMonitor();
    UsbHotplugMonitor(const UsbHotplugMonitor&) = delete;
    UsbHotplugMonitor& operator=(const UsbHotplugMonitor&) = delete;

    struct Impl;

private:
    explicit UsbHotplugMonitor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::hardware
