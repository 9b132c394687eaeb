#include "hardware/readers/ReaderRegistry.h"

#include "device/reader/PcscReader.h"
#include "hardware/rcs380/Rcs380Reader.h"

namespace zaitaku::hardware
{

namespace
{

using device::Errc;
using device::Error;
using device::ReaderState;

} // namespace

Expected<std::vector<ReaderState>, Error> ReaderRegistry::listReaders()
{
    std::vector<ReaderState> out;
    std::optional<Error> firstError;
    bool anyBackend = false;
    for (auto& backend : m_backends) {
        if (!backend.reader) {
            firstError = firstError ? firstError : backend.openError;
            continue;
        }
        auto list = backend.reader->listReaders();
        if (!list) {
            firstError = firstError ? firstError : std::optional<Error>(list.error());
            continue;
        }
        anyBackend = true;
        for (std::size_t i = 0; i < list->size(); ++i) {
            ReaderState state = (*list)[i];
            if (state.id.empty()) {
                state.id = backend.prefix + ":" + std::to_string(i);
            }
            out.push_back(std::move(state));
        }
    }
    if (!anyBackend && firstError) {
        return Unexpected(*firstError);
    }
    return out;
}

Expected<std::pair<ReaderRegistry::Backend*, std::string>, Error> ReaderRegistry::route(const std::string& reader)
{
    for (auto& backend : m_backends) {
        if (!backend.reader) {
            continue;
        }
        auto list = backend.reader->listReaders();
        if (!list) {
            continue;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto& state = (*list)[i];
            const std::string id = state.id.empty() ? backend.prefix + ":" + std::to_string(i) : state.id;
            if (state.name == reader || id == reader) {
                return std::pair{&backend, state.name};
            }
        }
    }
    return Unexpected(Error{Errc::NoReader, "no reader named '" + reader + "'", "reader"});
}

Expected<ReaderState, Error>
ReaderRegistry::waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout)
{
    auto routed = route(reader);
    if (!routed) {
        return Unexpected(routed.error());
    }
    return routed->first->reader->waitForChange(routed->second, cardPresent, timeout);
}

Expected<std::unique_ptr<device::CardChannel>, Error> ReaderRegistry::connect(const std::string& reader,
                                                                              device::ShareMode mode)
{
    auto routed = route(reader);
    if (!routed) {
        return Unexpected(routed.error());
    }
    return routed->first->reader->connect(routed->second, mode);
}

std::unique_ptr<ReaderRegistry> openReaderRegistry()
{
    std::vector<ReaderRegistry::Backend> backends;
    {
        auto pcsc = device::PcscReader::open();
        ReaderRegistry::Backend b{"pcsc", nullptr, std::nullopt};
        if (pcsc) {
            b.reader = std::move(*pcsc);
        } else {
            b.openError = pcsc.error();
        }
        backends.push_back(std::move(b));
    }
    {
        auto rcs380 = rcs380::Rcs380Reader::open();
        ReaderRegistry::Backend b{"rcs380", nullptr, std::nullopt};
        if (rcs380) {
            b.reader = std::move(*rcs380);
        } else {
            b.openError = rcs380.error();
        }
        backends.push_back(std::move(b));
    }
    return std::make_unique<ReaderRegistry>(std::move(backends));
}

} // namespace zaitaku::hardware
