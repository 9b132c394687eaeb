#include "hardware/rcs380/Session.h"

namespace zaitaku::hardware::rcs380
{

Expected<std::shared_ptr<Session>, Error> Session::open(std::shared_ptr<UsbContext> context,
                                                        const UsbLocation& location)
{
    auto usb = openUsbDevice(std::move(context), location);
    if (!usb) {
        return Unexpected(usb.error());
    }
    return open(std::unique_ptr<FrameLink>(std::move(*usb)));
}

Expected<std::shared_ptr<Session>, Error> Session::open(std::unique_ptr<FrameLink> link)
{
    std::shared_ptr<Session> session(new Session(std::move(link)));
    if (auto ready = session->m_chipset.initialise(); !ready) {
        return Unexpected(ready.error());
    }
    return session;
}

Expected<std::optional<TypeBCard>, Error> Session::sense(bool keepField)
{
    if (auto on = m_chipset.startTypeB(); !on) {
        return Unexpected(on.error());
    }
    auto answer = m_chipset.inCommRf(sensbWakeUp(), kSenseWait);
    if (!answer) {
        return Unexpected(answer.error());
    }
    std::optional<TypeBCard> card;
    if (!answer->timedOut) {
        // Something that is not a Type B answer (another card type, noise) counts as no card.
        if (auto parsed = parseSensbResponse(answer->frame)) {
            card = *parsed;
        }
    }
    if (!keepField || !card) {
        if (auto off = m_chipset.switchRf(false); !off) {
            return Unexpected(off.error());
        }
    }
    return card;
}

} // namespace zaitaku::hardware::rcs380
