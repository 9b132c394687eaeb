#include "support/rcs380/UmockdevRcs380.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <linux/usbdevice_fs.h>
#include <stdexcept>
#include <string>
#include <sys/ioctl.h>
#include <umockdev.h>
#include <unistd.h>

namespace zaitaku::test
{

namespace
{

constexpr const char* kSysfsPath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4";
constexpr const char* kDevNode = "/dev/bus/usb/001/004";

// The device as a real RC-S380 describes itself (full speed, one configuration, vendor-class
// interface 0 with bulk-in 0x81 and bulk-out 0x02, 64-byte packets), as sysfs "descriptors".
constexpr const char* kDevice =
    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-4\n"
    "N: bus/usb/001/004\n"
    "E: DEVNAME=/dev/bus/usb/001/004\n"
    "E: DEVTYPE=usb_device\n"
    "E: SUBSYSTEM=usb\n"
    "E: BUSNUM=001\n"
    "E: DEVNUM=004\n"
    "E: PRODUCT=54c/6c3/111\n"
    "A: busnum=1\n"
    "A: devnum=4\n"
    "A: speed=12\n"
    "A: idVendor=054c\n"
    "A: idProduct=06c3\n"
    "A: manufacturer=SONY\n"
    "A: product=RC-S380/P\n"
    "A: bConfigurationValue=1\n"
    "A: bNumConfigurations=1\n"
    "A: dev=189:3\n"
    "H: "
    "descriptors="
    "12010002000000404C05C3061101010203010902200001010080FA0904000002FFFFFF000705810240000007050202400000\n";

struct Urb
{
    UMockdevIoctlData* urb = nullptr;    // the client's struct usbdevfs_urb (ref held)
    UMockdevIoctlData* buffer = nullptr; // its buffer (owned by `urb`'s tree)
    bool in = false;
    int status = 0;
    int actual = 0;
    zaitaku::base::Bytes payload;
};

} // namespace

struct UmockdevRcs380::Impl
{
    UMockdevTestbed* testbed = nullptr;
    UMockdevIoctlBase* handler = nullptr;
    mutable std::mutex mutex;
    Rcs380Emulator emulator;
    std::deque<Urb> pendingIn;
    std::deque<Urb> completed;
    bool plugged = false;
    bool attached = false;
    int claimError = 0;
    int writes = 0;
    int unplugAfter = -1;

    void serveReads()
    {
        while (!pendingIn.empty()) {
            auto data = emulator.read();
            if (!data) {
                return;
            }
            Urb urb = pendingIn.front();
            pendingIn.pop_front();
            urb.payload = std::move(*data);
            urb.actual = static_cast<int>(std::min<std::size_t>(urb.payload.size(), urb.buffer->data_len));
            completed.push_back(std::move(urb));
        }
    }

    void failEverything()
    {
        plugged = false;
        while (!pendingIn.empty()) {
            Urb urb = pendingIn.front();
            pendingIn.pop_front();
            urb.status = -ENODEV;
            completed.push_back(std::move(urb));
        }
    }

    // One ioctl from a client (libusb in this process or a child). Runs on umockdev's worker.
    void handle(UMockdevIoctlClient* client)
    {
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        std::lock_guard lock(mutex);
        auto done = [client](long result, int error) { umockdev_ioctl_client_complete(client, result, error); };
        if (request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY) {
            if (completed.empty()) {
                done(-1, plugged ? EAGAIN : ENODEV);
                return;
            }
            Urb urb = completed.front();
            completed.pop_front();
            auto* raw = reinterpret_cast<usbdevfs_urb*>(urb.urb->data);
            raw->status = urb.status;
            raw->actual_length = urb.actual;
            if (urb.in && urb.actual > 0) {
                std::memcpy(urb.buffer->data, urb.payload.data(), static_cast<std::size_t>(urb.actual));
            }
            UMockdevIoctlData* slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
            umockdev_ioctl_data_set_ptr(slot, 0, urb.urb);
            g_object_unref(urb.urb);
            done(0, 0);
            return;
        }
        if (!plugged) {
            done(-1, ENODEV);
            return;
        }
        switch (request) {
        case USBDEVFS_GET_CAPABILITIES: {
            UMockdevIoctlData* caps = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
            const guint32 value = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
            std::memcpy(caps->data, &value, sizeof value);
            done(0, 0);
            return;
        }
        case USBDEVFS_CLAIMINTERFACE:
        case USBDEVFS_DISCONNECT_CLAIM:
            if (claimError != 0) {
                done(-1, claimError);
                return;
            }
            done(0, 0);
            return;
        case USBDEVFS_RELEASEINTERFACE:
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_RESETEP:
        case USBDEVFS_RESET:
            done(0, 0);
            return;
        case USBDEVFS_GETDRIVER:
        case USBDEVFS_IOCTL:
            done(-1, ENODATA); // no kernel driver bound (port100 not loaded)
            return;
        case USBDEVFS_SUBMITURB:
            submit(arg, done);
            return;
        case USBDEVFS_DISCARDURB: {
            gulong address = 0;
            std::memcpy(&address, arg->data, std::min<std::size_t>(sizeof address, arg->data_len));
            for (auto it = pendingIn.begin(); it != pendingIn.end(); ++it) {
                if (it->urb->client_addr == address) {
                    Urb urb = *it;
                    pendingIn.erase(it);
                    urb.status = -ENOENT;
                    completed.push_back(std::move(urb));
                    done(0, 0);
                    return;
                }
            }
            done(-1, EINVAL);
            return;
        }
        default:
            done(-1, ENOTTY);
        }
    }

    template <typename Done> void submit(UMockdevIoctlData* arg, Done& done)
    {
        UMockdevIoctlData* urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
        auto* raw = reinterpret_cast<usbdevfs_urb*>(urbData->data);
        if (raw->type != USBDEVFS_URB_TYPE_BULK || (raw->endpoint != 0x81 && raw->endpoint != 0x02)) {
            done(-1, EINVAL);
            return;
        }
        Urb urb;
        urb.urb = G_TYPE_CHECK_INSTANCE_CAST(g_object_ref(urbData), UMOCKDEV_TYPE_IOCTL_DATA, UMockdevIoctlData);
        urb.in = (raw->endpoint & 0x80) != 0;
        urb.buffer = umockdev_ioctl_data_resolve(urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
                                                 static_cast<gsize>(raw->buffer_length), nullptr);
        if (urb.in) {
            pendingIn.push_back(std::move(urb));
        } else {
            const zaitaku::base::Bytes bytes(urb.buffer->data, urb.buffer->data + urb.buffer->data_len);
            urb.actual = static_cast<int>(bytes.size());
            completed.push_back(std::move(urb));
            ++writes;
            if (unplugAfter > 0 && --unplugAfter == 0) {
                failEverything(); // gone before the chip answered
                done(0, 0);
                return;
            }
            emulator.write(bytes);
        }
        serveReads();
        done(0, 0);
    }

    static gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self)
    {
        static_cast<Impl*>(self)->handle(client);
        return TRUE;
    }
};

bool underUmockdev()
{
    const char* preload = std::getenv("LD_PRELOAD");
    return preload != nullptr && std::strstr(preload, "libumockdev-preload") != nullptr;
}

void reexecUnderUmockdev(char** argv)
{
    if (underUmockdev()) {
        return;
    }
    const char* previous = std::getenv("LD_PRELOAD");
    const std::string preload =
        std::string("libumockdev-preload.so.0") + (previous && *previous ? std::string(":") + previous : "");
    setenv("LD_PRELOAD", preload.c_str(), 1);
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string asanOptions =
        std::string(asan && *asan ? std::string(asan) + ":" : "") + "verify_asan_link_order=0";
    setenv("ASAN_OPTIONS", asanOptions.c_str(), 1);
    execv("/proc/self/exe", argv);
    std::perror("re-executing under libumockdev-preload");
    std::exit(1);
}

UmockdevRcs380::UmockdevRcs380()
    : m_impl(std::make_unique<Impl>())
{
    if (!underUmockdev()) {
        throw std::runtime_error("UmockdevRcs380 needs libumockdev-preload (see UmockdevMain.cpp)");
    }
    m_impl->testbed = umockdev_testbed_new();
}

UmockdevRcs380::~UmockdevRcs380()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->failEverything();
    }
    if (m_impl->attached) {
        umockdev_testbed_detach_ioctl(m_impl->testbed, kDevNode, nullptr);
    }
    if (m_impl->handler != nullptr) {
        g_object_unref(m_impl->handler);
    }
    g_object_unref(m_impl->testbed);
    for (auto& urb : m_impl->completed) {
        g_object_unref(urb.urb);
    }
}

void UmockdevRcs380::plug()
{
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_string(m_impl->testbed, kDevice, &error)) {
        const std::string what = error ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev: cannot add the RC-S380: " + what);
    }
    if (m_impl->handler == nullptr) {
        m_impl->handler = umockdev_ioctl_base_new();
        g_signal_connect(m_impl->handler, "handle-ioctl", G_CALLBACK(&Impl::onIoctl), m_impl.get());
    }
    if (!umockdev_testbed_attach_ioctl(m_impl->testbed, kDevNode, m_impl->handler, &error)) {
        const std::string what = error ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev: cannot attach the usbdevfs handler: " + what);
    }
    m_impl->attached = true;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->plugged = true;
    }
    umockdev_testbed_uevent(m_impl->testbed, kSysfsPath, "add");
}

void UmockdevRcs380::unplug()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->failEverything();
    }
    umockdev_testbed_uevent(m_impl->testbed, kSysfsPath, "remove");
    umockdev_testbed_remove_device(m_impl->testbed, kSysfsPath);
    if (m_impl->attached) {
        umockdev_testbed_detach_ioctl(m_impl->testbed, kDevNode, nullptr);
        m_impl->attached = false;
    }
}

void UmockdevRcs380::unplugAfterWrites(int writes)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->unplugAfter = writes;
}

void UmockdevRcs380::refuseClaim(int error)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->claimError = error;
}

void UmockdevRcs380::withEmulator(const std::function<void(Rcs380Emulator&)>& f)
{
    std::lock_guard lock(m_impl->mutex);
    f(m_impl->emulator);
}

int UmockdevRcs380::bulkWrites() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->writes;
}

} // namespace zaitaku::test
