#pragma once

// One RC-S380 in use: its link (the USB device), its chipset, and whether a card connection holds it. The
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
    // A session over any frame link (the emulated chip in tests and the benchmark).
    static Expected<std::shared_ptr<Session>, Error> open(std::unique_ptr<FrameLink> link);

    // Powers the field, wakes a Type B card (WUPB) and reads its SENSB_RES. `keepField` leaves
    // RF on for an activation; otherwise RF goes off again (the card loses power and state).
    Expected<std::optional<TypeBCard>, Error> sense(bool keepField);

    Chipset& chipset() { return m_chipset; }
    bool detached() const { return m_link->detached(); }
    std::mutex& mutex() { return m_mutex; }

    // The card a channel is connected to, if any (polling would disturb it: report it instead).
    std::optional<base::Bytes> connectedAtr;

    static constexpr std::chrono::microseconds kSenseWait{30000};

private:
    explicit Session(std::unique_ptr<FrameLink> link)
        : m_link(std::move(link))
        , m_chipset(*m_link)
    {}
    std::unique_ptr<FrameLink> m_link;
    Chipset m_chipset;
    std::mutex m_mutex;
};

} // namespace zaitaku::hardware::rcs380
