#pragma once

// One RC-S380 in use: its USB device, its chipset, and whether a card connection holds it. The
// reader backend polls through it; a card channel borrows it while connected.

#include "hardware/rcs380/Chipset.h"
#include "hardware/rcs380/TypeB.h"
#include "hardware/rcs380/UsbDevice.h"

#include <mutex>
#include <optional>

namespace zaitaku::hardware::rcs380
{

class Session
{
public:
    static Expected<std::shared_ptr<Session>, Error> open(std::shared_ptr<UsbContext> context,
                                                          const UsbLocation& location);

    // Powers the field, wakes a Type B card (WUPB) and reads its SENSB_RES. `keepField` leaves
    // RF on for an activation; otherwise RF goes off again (the card loses power and state).
    Expected<std::optional<TypeBCard>, Error> sense(bool keepField);

    Chipset& chipset() { return m_chipset; }
    const UsbDevice& usb() const { return *m_usb; }
    std::mutex& mutex() { return m_mutex; }

    // The card a channel is connected to, if any (polling would disturb it: report it instead).
    std::optional<Bytes> connectedAtr;

    static constexpr std::chrono::microseconds kSenseWait{30000};

private:
    Session(std::unique_ptr<UsbDevice> usb)
        : m_usb(std::move(usb))
        , m_chipset(*m_usb)
    {}
    std::unique_ptr<UsbDevice> m_usb;
    Chipset m_chipset;
    std::mutex m_mutex;
};

} // namespace zaitaku::hardware::rcs380
