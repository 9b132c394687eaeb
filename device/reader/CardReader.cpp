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
        if (r.name == selector) {
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

} // namespace zaitaku::device
