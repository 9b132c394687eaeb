#pragma once

// The readers zaitaku knows, by USB id: which transport reaches each (hardware/READERS.md has the
// matrix with how each was tested). Used by the hot-plug monitor and the udev rules' test.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace zaitaku::hardware
{

enum class ReaderTransport
{
    Pcsc,   // CCID: pcscd + libccid
    Rcs380, // vendor class: zaitaku's libusb driver (hardware/rcs380)
};

struct SupportedReader
{
    std::uint16_t vendor;
    std::uint16_t product;
    std::string_view model;
    ReaderTransport transport;
};

std::span<const SupportedReader> supportedReaders();
std::optional<SupportedReader> findSupportedReader(std::uint16_t vendor, std::uint16_t product);
std::string_view transportName(ReaderTransport transport);

} // namespace zaitaku::hardware
