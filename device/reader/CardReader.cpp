#include "device/reader/CardReader.h"

#include <algorithm>

namespace zaitaku::device
{

Expected<ReaderState, Error> selectReader(const std::vector<ReaderState>& readers, const std::string& selector)
{
    if (readers.empty()) {
        return Unexpected(Error{Errc::NoReader, "no card reader is connected"});
    }
    if (selector.empty()) {
        for (const auto& r : readers) {
            if (r.cardPresent) {
                return r;
            }
        }
        return Unexpected(Error{Errc::NoCard, "no card is on any reader"});
    }
    for (const auto& r : readers) {
        if (r.name == selector || (!r.id.empty() && r.id == selector)) {
            return r;
        }
    }
    if (!selector.empty() &&
        std::all_of(selector.begin(), selector.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        selector.size() < 4) {
        const std::size_t index = std::stoul(selector);
        if (index < readers.size()) {
            return readers[index];
        }
    }
    return Unexpected(Error{Errc::NoReader, "no reader named or numbered '" + selector + "'", "reader"});
}

Expected<ConnectedCard, Error> connectSelected(CardReader& backend, const std::string& selector, ShareMode mode)
{
    auto readers = backend.listReaders();
    if (!readers) {
        return Unexpected(readers.error());
    }
    auto reader = selectReader(*readers, selector);
    if (!reader) {
        return Unexpected(reader.error());
    }
    if (!reader->cardPresent) {
        return Unexpected(Error{Errc::NoCard, "no card on '" + reader->name + "'"});
    }
    // By id when the backend gave one: unambiguous even if two backends' readers share a name.
    auto channel = backend.connect(reader->id.empty() ? reader->name : reader->id, mode);
    if (!channel) {
        return Unexpected(channel.error());
    }
    return ConnectedCard{std::move(*reader), std::move(*channel)};
}

} // namespace zaitaku::device
