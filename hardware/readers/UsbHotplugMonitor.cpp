#include "hardware/readers/UsbHotplugMonitor.h"

#include <atomic>
#include <libusb.h>
#include <thread>

namespace zaitaku::hardware
{

struct UsbHotplugMonitor::Impl
{
    Callback callback;
    libusb_context* context = nullptr;
    libusb_hotplug_callback_handle handle = 0;
    std::atomic<bool> stopping{false};
    std::thread events;

    static int LIBUSB_CALL onEvent(libusb_context*, libusb_device* device, libusb_hotplug_event event, void* self)
    {
        auto* impl = static_cast<Impl*>(self);
        libusb_device_descriptor descriptor{};
        if (libusb_get_device_descriptor(device, &descriptor) != 0) {
            return 0;
        }
        const auto known = findSupportedReader(descriptor.idVendor, descriptor.idProduct);
        if (known) {
            impl->callback(ReaderPlugEvent{event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, *known,
                                           libusb_get_bus_number(device), libusb_get_device_address(device)});
        }
        return 0; // stay registered
    }
};

Expected<std::unique_ptr<UsbHotplugMonitor>, device::Error> UsbHotplugMonitor::start(Callback callback)
{
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) == 0) {
        return Unexpected(device::Error{device::Errc::ServiceUnavailable, "libusb has no hot-plug support here"});
    }
    auto impl = std::make_unique<Impl>();
    impl->callback = std::move(callback);
    if (const int rc = libusb_init(&impl->context); rc != 0) {
        return Unexpected(
            device::Error{device::Errc::ServiceUnavailable, std::string("libusb: ") + libusb_strerror(rc)});
    }
    const int rc = libusb_hotplug_register_callback(
        impl->context,
        static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        &Impl::onEvent, impl.get(), &impl->handle);
    if (rc != 0) {
        libusb_exit(impl->context);
        return Unexpected(device::Error{device::Errc::ServiceUnavailable,
                                        std::string("libusb hot-plug registration: ") + libusb_strerror(rc)});
    }
    Impl* raw = impl.get();
    impl->events = std::thread([raw] {
        while (!raw->stopping) {
            timeval tv{0, 100000}; // wake up to notice `stopping`
            libusb_handle_events_timeout_completed(raw->context, &tv, nullptr);
        }
    });
    return std::unique_ptr<UsbHotplugMonitor>(new UsbHotplugMonitor(std::move(impl)));
}

UsbHotplugMonitor::UsbHotplugMonitor(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

UsbHotplugMonitor::~UsbHotplugMonitor()
{
    m_impl->stopping = true;
    libusb_hotplug_deregister_callback(m_impl->context, m_impl->handle); // also wakes the event loop
    m_impl->events.join();
    libusb_exit(m_impl->context);
}

} // namespace zaitaku::hardware
