#pragma once

// The CardReader backend for Sony RC-S380 readers (054C:06C3) over libusb: each one plugged in
// is a reader named "Sony RC-S380 bus B port P" with the id "rcs380:N" (N in bus/port order).
// Card presence is found by polling (WUPB); a connected card is reported, never polled.

#include "device/reader/CardReader.h"
#include "hardware/rcs380/Session.h"

#include <map>

namespace zaitaku::hardware::rcs380
{

inline constexpr std::uint16_t kSonyVendorId = 0x054C;
inline constexpr std::uint16_t kRcs380ProductId = 0x06C3;
inline constexpr const char* kIdPrefix = "rcs380:";

struct Rcs380Options
{
    // How often waitForChange polls for a card (each poll is a few milliseconds of RF).
    std::chrono::milliseconds pollInterval{200};
    // The fastest bit rate to agree with a card (106 to rule out a rate problem in the field).
    BitRate maxBitRate = BitRate::Kbps212;
};

class Rcs380Reader : public device::CardReader
{
public:
    static Expected<std::unique_ptr<Rcs380Reader>, Error> open(Rcs380Options options = {});

    Expected<std::vector<device::ReaderState>, Error> listReaders() override;
    Expected<device::ReaderState, Error>
    waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout) override;
    Expected<std::unique_ptr<device::CardChannel>, Error> connect(const std::string& reader,
                                                                  device::ShareMode mode) override;

private:
    Rcs380Reader(std::shared_ptr<UsbContext> context, Rcs380Options options)
        : m_context(std::move(context))
        , m_options(options)
    {}
    struct Slot
    {
        UsbLocation location;
        std::shared_ptr<Session> session;
    };
    static std::string nameOf(const UsbLocation& location);
    // Re-enumerates the bus: new readers are opened, vanished ones dropped.
    Expected<void, Error> refresh();
    Expected<device::ReaderState, Error> stateOf(std::size_t index);
    Slot* find(const std::string& reader);

    std::shared_ptr<UsbContext> m_context;
    Rcs380Options m_options;
    std::vector<Slot> m_slots;
};

} // namespace zaitaku::hardware::rcs380
