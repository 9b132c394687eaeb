#include "hardware/rcs380/UsbDevice.h"

#include <algorithm>
#include <libusb.h>

namespace zaitaku::hardware::rcs380
{

namespace
{

using device::Errc;

unsigned timeoutOf(std::chrono::milliseconds timeout)
{
    // libusb reads 0 as "forever": every transfer here has a bound.
    return static_cast<unsigned>(std::clamp<std::int64_t>(timeout.count(), 1, 600000));
}

UsbLocation locationOf(libusb_device* device)
{
    UsbLocation out;
    out.bus = libusb_get_bus_number(device);
    out.address = libusb_get_device_address(device);
    std::uint8_t ports[8];
    const int depth = libusb_get_port_numbers(device, ports, 8);
    for (int i = 0; i < depth; ++i) {
        if (i > 0) {
            out.ports += '.';
        }
        out.ports += std::to_string(ports[i]);
    }
    libusb_device_descriptor descriptor{};
    if (libusb_get_device_descriptor(device, &descriptor) == 0) {
        out.vendor = descriptor.idVendor;
        out.product = descriptor.idProduct;
    }
    return out;
}

} // namespace

Expected<std::shared_ptr<UsbContext>, Error> UsbContext::create()
{
    libusb_context* context = nullptr;
    const int rc = libusb_init(&context);
    if (rc != 0) {
        return Unexpected(Error{Errc::ServiceUnavailable, std::string("libusb: ") + libusb_strerror(rc)});
    }
    return std::shared_ptr<UsbContext>(new UsbContext(context));
}

UsbContext::~UsbContext()
{
    libusb_exit(m_context);
}

std::string UsbLocation::toString() const
{
    return "bus " + std::to_string(bus) + (ports.empty() ? " address " + std::to_string(address) : " port " + ports);
}

Expected<std::vector<UsbLocation>, Error>
findUsbDevices(UsbContext& context, std::uint16_t vendor, std::uint16_t product)
{
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(context.get(), &list);
    if (count < 0) {
        return Unexpected(Error{Errc::ServiceUnavailable, std::string("libusb cannot list devices: ") +
                                                              libusb_strerror(static_cast<int>(count))});
    }
    std::vector<UsbLocation> out;
    for (ssize_t i = 0; i < count; ++i) {
        UsbLocation location = locationOf(list[i]);
        if (location.vendor == vendor && location.product == product) {
            out.push_back(std::move(location));
        }
    }
    libusb_free_device_list(list, 1);
    std::sort(out.begin(), out.end(), [](const UsbLocation& a, const UsbLocation& b) {
        return std::tie(a.bus, a.ports, a.address) < std::tie(b.bus, b.ports, b.address);
    });
    return out;
}

Expected<std::unique_ptr<UsbDevice>, Error> openUsbDevice(std::shared_ptr<UsbContext> context,
                                                          const UsbLocation& location)
{
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(context->get(), &list);
    if (count < 0) {
        return Unexpected(Error{Errc::ServiceUnavailable, "libusb cannot list devices"});
    }
    Expected<std::unique_ptr<UsbDevice>, Error> out =
        Unexpected(Error{Errc::ReaderDetached, "the reader at " + location.toString() + " is gone"});
    for (ssize_t i = 0; i < count; ++i) {
        if (libusb_get_bus_number(list[i]) == location.bus && libusb_get_device_address(list[i]) == location.address) {
            out = UsbDevice::open(context, list[i]);
            break;
        }
    }
    libusb_free_device_list(list, 1);
    return out;
}

Expected<std::unique_ptr<UsbDevice>, Error> UsbDevice::open(std::shared_ptr<UsbContext> context, libusb_device* device)
{
    std::unique_ptr<UsbDevice> out(new UsbDevice());
    out->m_context = std::move(context);
    out->m_location = locationOf(device);
    libusb_config_descriptor* config = nullptr;
    if (const int rc = libusb_get_active_config_descriptor(device, &config); rc != 0) {
        return Unexpected(out->failure(rc, "reading the configuration"));
    }
    if (config->bNumInterfaces > 0 && config->interface[0].num_altsetting > 0) {
        const libusb_interface_descriptor& interface = config->interface[0].altsetting[0];
        for (int e = 0; e < interface.bNumEndpoints; ++e) {
            const libusb_endpoint_descriptor& endpoint = interface.endpoint[e];
            if ((endpoint.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) {
                continue;
            }
            ((endpoint.bEndpointAddress & LIBUSB_ENDPOINT_IN) ? out->m_in : out->m_out) = endpoint.bEndpointAddress;
        }
    }
    libusb_free_config_descriptor(config);
    if (out->m_in == 0 || out->m_out == 0) {
        return Unexpected(Error{Errc::UnsupportedCard, "the reader at " + out->m_location.toString() +
                                                           " has no bulk endpoints on interface 0"});
    }
    if (const int rc = libusb_open(device, &out->m_handle); rc != 0) {
        return Unexpected(out->failure(rc, "opening the reader"));
    }
    // The kernel's port100 NFC driver may hold the interface: take it over while we use it.
    libusb_set_auto_detach_kernel_driver(out->m_handle, 1);
    if (const int rc = libusb_claim_interface(out->m_handle, 0); rc != 0) {
        return Unexpected(out->failure(rc, "claiming interface 0"));
    }
    return out;
}

UsbDevice::~UsbDevice()
{
    if (m_handle != nullptr) {
        libusb_release_interface(m_handle, 0);
        libusb_close(m_handle);
    }
}

Error UsbDevice::failure(int code, const char* during)
{
    const std::string where = "RC-S380 at " + m_location.toString() + ": " + during + ": " + libusb_strerror(code);
    switch (code) {
    case LIBUSB_ERROR_NO_DEVICE:
        m_detached = true;
        return Error{Errc::ReaderDetached, where};
    case LIBUSB_ERROR_TIMEOUT:
        return Error{Errc::Timeout, where};
    case LIBUSB_ERROR_ACCESS:
        return Error{Errc::ServiceUnavailable,
                     where + " (install hardware/udev/60-zaitaku-readers.rules and join the plugdev group)"};
    case LIBUSB_ERROR_BUSY:
        return Error{Errc::Busy, where};
    default:
        return Error{Errc::TransmitFailed, where};
    }
}

Expected<void, Error> UsbDevice::write(base::ByteView bytes, std::chrono::milliseconds timeout)
{
    int sent = 0;
    const int rc = libusb_bulk_transfer(m_handle, m_out, const_cast<std::uint8_t*>(bytes.data()),
                                        static_cast<int>(bytes.size()), &sent, timeoutOf(timeout));
    if (rc != 0) {
        return Unexpected(failure(rc, "sending"));
    }
    if (static_cast<std::size_t>(sent) != bytes.size()) {
        return Unexpected(Error{Errc::TransmitFailed, "RC-S380: short write"});
    }
    return {};
}

Expected<base::Bytes, Error> UsbDevice::read(std::chrono::milliseconds timeout)
{
    base::Bytes buffer(kMaxFrameData + 16);
    int received = 0;
    const int rc = libusb_bulk_transfer(m_handle, m_in, buffer.data(), static_cast<int>(buffer.size()), &received,
                                        timeoutOf(timeout));
    if (rc != 0) {
        return Unexpected(failure(rc, "receiving"));
    }
    buffer.resize(static_cast<std::size_t>(received));
    return buffer;
}

} // namespace zaitaku::hardware::rcs380
