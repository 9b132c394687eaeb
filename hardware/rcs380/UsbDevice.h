#pragma once

// An RC-S380 opened over libusb: interface 0 claimed, its bulk endpoints found from the
// descriptors. libusb errors become device errors (a vanished device is ReaderDetached, so a
// reader pulled out mid-exchange is reported as such, never as a card error).

#include "hardware/rcs380/FrameLink.h"

#include <memory>
#include <string>

struct libusb_context;
struct libusb_device;
struct libusb_device_handle;

namespace zaitaku::hardware::rcs380
{

// A libusb context for one backend or monitor (never the process-wide default one).
class UsbContext
{
public:
    static Expected<std::shared_ptr<UsbContext>, Error> create();
    ~UsbContext();
    UsbContext(const UsbContext&) = delete;
    UsbContext& operator=(const UsbContext&) = delete;
    libusb_context* get() const { return m_context; }

private:
    explicit UsbContext(libusb_context* context)
        : m_context(context)
    {}
    libusb_context* m_context;
};

// Where a USB device sits: stable while it stays plugged in.
struct UsbLocation
{
    int bus = 0;
    int address = 0;
    std::string ports; // "1.4"
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    std::string toString() const; // "bus 1 port 1.4"
};

class UsbDevice : public FrameLink
{
public:
    static Expected<std::unique_ptr<UsbDevice>, Error> open(std::shared_ptr<UsbContext> context, libusb_device* device);
    ~UsbDevice() override;

    Expected<void, Error> write(base::ByteView bytes, std::chrono::milliseconds timeout) override;
    Expected<base::Bytes, Error> read(std::chrono::milliseconds timeout) override;

    const UsbLocation& location() const { return m_location; }
    bool detached() const override { return m_detached; }

private:
    UsbDevice() = default;
    Error failure(int code, const char* during);

    std::shared_ptr<UsbContext> m_context;
    libusb_device_handle* m_handle = nullptr;
    UsbLocation m_location;
    std::uint8_t m_in = 0;
    std::uint8_t m_out = 0;
    bool m_detached = false;
};

// The devices on the bus with this vendor and product id, in a stable order (bus, ports).
Expected<std::vector<UsbLocation>, Error>
findUsbDevices(UsbContext& context, std::uint16_t vendor, std::uint16_t product);
// Opens the device at `location` (matched by bus and address).
Expected<std::unique_ptr<UsbDevice>, Error> openUsbDevice(std::shared_ptr<UsbContext> context,
                                                          const UsbLocation& location);

} // namespace zaitaku::hardware::rcs380
