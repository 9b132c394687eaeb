#pragma once

// The PC/SC (pcsc-lite) backend. Honours PCSCLITE_CSOCK_NAME, so tests can use a private pcscd.

#include "device/reader/CardReader.h"

#include <memory>

namespace zaitaku::device
{

class PcscReader final : public CardReader
{
public:
    // Establishes a PC/SC context; Errc::ServiceUnavailable when pcscd is not running.
    static Expected<std::unique_ptr<PcscReader>, Error> open();
    ~PcscReader() override;

    Expected<std::vector<ReaderState>, Error> listReaders() override;
    Expected<ReaderState, Error>
    waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout) override;
    // Errc::Timeout when the card does not come up within kConnectTimeout (a hung card or driver).
    Expected<std::unique_ptr<CardChannel>, Error> connect(const std::string& reader, ShareMode mode) override;

    static constexpr std::chrono::milliseconds kConnectTimeout{5000};

    struct Context;

private:
    explicit PcscReader(std::shared_ptr<Context> context);
    std::shared_ptr<Context> m_context;
};

} // namespace zaitaku::device
