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

// A backend that could not be opened stays in the list with its error (what listReaders reports
// when no backend works at all).
template <typename Reader>
ReaderRegistry::Backend backendOf(std::string prefix, Expected<std::unique_ptr<Reader>, Error> opened)
{
    if (!opened) {
        return {std::move(prefix), nullptr, opened.error()};
    }
    return {std::move(prefix), std::move(*opened), std::nullopt};
}

// The id a reader goes by: its own, or the backend prefix and its place in the backend's list.
std::string idOf(const ReaderRegistry::Backend& backend, const ReaderState& state, std::size_t index)
{
    return state.id.empty() ? backend.prefix + ":" + std::to_string(index) : state.id;
}

} // namespace

Expected<std::vector<ReaderState>, Error> ReaderRegistry::listReaders()
{
    m_routes.clear();
    std::vector<ReaderState> out;
    std::optional<Error> firstError;
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
        for (std::size_t i = 0; i < list->size(); ++i) {
            ReaderState state = (*list)[i];
            state.id = idOf(backend, state, i);
            m_routes[state.id] = {&backend, state.name};
            m_routes.try_emplace(state.name, &backend, state.name);
            out.push_back(std::move(state));
        }
    }
    // No reader anywhere and a backend is down: that is the news (e.g. "pcscd is not running"),
    // not an empty list.
    if (out.empty() && firstError) {
        return Unexpected(*firstError);
    }
    return out;
}

Expected<std::pair<ReaderRegistry::Backend*, std::string>, Error> ReaderRegistry::route(const std::string& reader)
{
    // From the last listing when it names the reader (connectSelected lists just before it
    // connects): listing again would poll every RC-S380's field a second time.
    if (!m_routes.contains(reader)) {
        (void)listReaders();
    }
    if (auto it = m_routes.find(reader); it != m_routes.end()) {
        return it->second;
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
    backends.push_back(backendOf("pcsc", device::PcscReader::open()));
    backends.push_back(backendOf("rcs380", rcs380::Rcs380Reader::open()));
    return std::make_unique<ReaderRegistry>(std::move(backends));
}

} // namespace zaitaku::hardware
