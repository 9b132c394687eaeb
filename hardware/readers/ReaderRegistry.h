#pragma once

// Every card reader on the tablet behind one CardReader: the PC/SC readers (pcscd) and the
// RC-S380s (libusb), listed together with ids "pcsc:N" and "rcs380:N" and chosen by name, id or
// index. A backend that is not there (pcscd stopped, no USB access) does not hide the others'
// readers; when no reader is listed at all, the first backend's error is returned.

#include "device/reader/CardReader.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace zaitaku::hardware
{

class ReaderRegistry : public device::CardReader
{
public:
    struct Backend
    {
        std::string prefix; // "pcsc", "rcs380"
        std::unique_ptr<device::CardReader> reader;
        std::optional<device::Error> openError; // when `reader` could not be opened
    };
    explicit ReaderRegistry(std::vector<Backend> backends)
        : m_backends(std::move(backends))
    {}

    Expected<std::vector<device::ReaderState>, device::Error> listReaders() override;
    Expected<device::ReaderState, device::Error>
    waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout) override;
    Expected<std::unique_ptr<device::CardChannel>, device::Error> connect(const std::string& reader,
                                                                          device::ShareMode mode) override;

private:
    // The backend that lists `reader` (by name or id) and the name it knows it by.
    Expected<std::pair<Backend*, std::string>, device::Error> route(const std::string& reader);

    std::vector<Backend> m_backends;
    // Id and name → (backend, the backend's name for it), from the last listReaders.
    std::map<std::string, std::pair<Backend*, std::string>> m_routes;
};

// PC/SC and RC-S380 together: what the CLI and the app use.
std::unique_ptr<ReaderRegistry> openReaderRegistry();

} // namespace zaitaku::hardware
