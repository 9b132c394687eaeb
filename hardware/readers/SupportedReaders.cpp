#include "hardware/readers/SupportedReaders.h"

#include <array>

namespace zaitaku::hardware
{

namespace
{

// USB ids from docs/design/CARD.md §1 (libccid 1.5.2 Info.plist for the CCID readers).
constexpr std::array<SupportedReader, 4> kReaders{{
    {0x054C, 0x06C3, "Sony PaSoRi RC-S380", ReaderTransport::Rcs380},
    {0x054C, 0x0DC8, "Sony PaSoRi RC-S300/S", ReaderTransport::Pcsc},
    {0x054C, 0x0DC9, "Sony PaSoRi RC-S300/P", ReaderTransport::Pcsc},
    {0x054C, 0x0D8F, "Sony RC-S660/U", ReaderTransport::Pcsc},
}};

} // namespace

std::span<const SupportedReader> supportedReaders()
{
    return kReaders;
}

std::optional<SupportedReader> findSupportedReader(std::uint16_t vendor, std::uint16_t product)
{
    for (const auto& r : kReaders) {
        if (r.vendor == vendor && r.product == product) {
            return r;
        }
    }
    return std::nullopt;
}

std::string_view transportName(ReaderTransport transport)
{
    return transport == ReaderTransport::Pcsc ? "pcsc" : "rcs380";
}

} // namespace zaitaku::hardware
