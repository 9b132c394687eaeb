#pragma once

// A card-reader backend: lists its readers, waits for insert/remove, opens connections.
// PC/SC (pcsc-lite) is the main implementation; hardware/rcs380 adds a libusb one.

#include "device/reader/CardChannel.h"

#include <memory>
#include <string>
#include <vector>

namespace zaitaku::device
{

struct ReaderState
{
    std::string name;
    bool cardPresent = false;
    base::Bytes atr;
    // A short stable handle, "pcsc:0" or "rcs380:0" (set by the backend or the reader registry).
    std::string id;
    // Why the reader is listed but cannot be used now (permissions, held by another program).
    std::string problem;
};

enum class ShareMode
{
    Shared,
    Exclusive, // while a PIN is verified: no other application may talk to the card
};

class CardReader
{
public:
    virtual ~CardReader() = default;

    virtual Expected<std::vector<ReaderState>, Error> listReaders() = 0;
    // Blocks until the reader's card presence differs from `cardPresent`, or the timeout passes
    // (Errc::Timeout). A reader that disappears gives Errc::ReaderDetached.
    virtual Expected<ReaderState, Error>
    waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout) = 0;
    virtual Expected<std::unique_ptr<CardChannel>, Error> connect(const std::string& reader, ShareMode mode) = 0;
};

// Picks a reader by exact name, by id ("rcs380:0"), by index ("0", "1"), or the first with a card
// when `selector` is empty.
Expected<ReaderState, Error> selectReader(const std::vector<ReaderState>& readers, const std::string& selector);

struct ConnectedCard
{
    ReaderState reader;
    std::unique_ptr<CardChannel> channel;
};

// Lists the readers, picks one with selectReader, and connects to its card (Errc::NoCard when
// the chosen reader is empty).
Expected<ConnectedCard, Error> connectSelected(CardReader& backend, const std::string& selector, ShareMode mode);

} // namespace zaitaku::device
