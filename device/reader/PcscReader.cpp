#include "device/reader/PcscReader.h"

#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <winscard.h>

namespace zaitaku::device
{

struct PcscReader::Context
{
    SCARDCONTEXT handle = 0;
    ~Context()
    {
        if (handle != 0) {
            SCardReleaseContext(handle);
        }
    }
};

namespace
{

Error pcscError(LONG rv, const std::string& what)
{
    const std::string text = what + ": " + pcsc_stringify_error(rv);
    switch (rv) {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
        return Error{Errc::ServiceUnavailable, text};
    case SCARD_E_NO_READERS_AVAILABLE:
        return Error{Errc::NoReader, text};
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
        return Error{Errc::ReaderDetached, text};
    case SCARD_E_NO_SMARTCARD:
        return Error{Errc::NoCard, text};
    case SCARD_W_REMOVED_CARD:
        return Error{Errc::CardRemoved, text};
    case SCARD_W_RESET_CARD:
        return Error{Errc::CardReset, text};
    case SCARD_E_TIMEOUT:
        return Error{Errc::Timeout, text};
    case SCARD_E_SHARING_VIOLATION:
        return Error{Errc::Busy, text};
    case SCARD_E_CANCELLED:
        return Error{Errc::Cancelled, text};
    default:
        return Error{Errc::TransmitFailed, text};
    }
}

DWORD toPcsc(Disposition d)
{
    switch (d) {
    case Disposition::Leave:
        return SCARD_LEAVE_CARD;
    case Disposition::Unpower:
        return SCARD_UNPOWER_CARD;
    case Disposition::Reset:
        break;
    }
    return SCARD_RESET_CARD;
}

// Runs `call` on a worker thread and waits at most `timeout` for its result: pcsc-lite calls have
// no timeout of their own, so a hung card or driver would hang the caller. On time-out the worker
// is left to finish (it holds what it needs), and `abandoned` gets its late result to release
// whatever it acquired.
template <typename Result>
std::optional<Result>
callWithin(std::chrono::milliseconds timeout, std::function<Result()> call, std::function<void(Result&)> abandoned = {})
{
    struct Job
    {
        std::mutex mutex;
        std::condition_variable done;
        std::optional<Result> result;
        bool gaveUp = false;
    };
    auto job = std::make_shared<Job>();
    std::thread([job, call = std::move(call), abandoned = std::move(abandoned)] {
        Result result = call();
        std::lock_guard lock(job->mutex);
        if (job->gaveUp) {
            if (abandoned) {
                abandoned(result);
            }
            return;
        }
        job->result = std::move(result);
        job->done.notify_all();
    }).detach();
    std::unique_lock lock(job->mutex);
    if (!job->done.wait_for(lock, timeout, [&] { return job->result.has_value(); })) {
        job->gaveUp = true;
        return std::nullopt;
    }
    return std::move(job->result);
}

struct TransmitResult
{
    LONG rv = SCARD_S_SUCCESS;
    base::Bytes response;
};

struct ConnectResult
{
    LONG rv = SCARD_S_SUCCESS;
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
};

class PcscChannel final : public CardChannel
{
public:
    PcscChannel(std::shared_ptr<PcscReader::Context> context,
                std::string reader,
                SCARDHANDLE card,
                DWORD protocol,
                base::Bytes atr)
        : m_context(std::move(context))
        , m_reader(std::move(reader))
        , m_card(card)
        , m_protocol(protocol)
        , m_atr(std::move(atr))
    {}

    ~PcscChannel() override { (void)disconnect(Disposition::Reset); }

    // SCardTransmit has no timeout of its own: it runs on a worker thread and the caller waits at
    // most `timeout`. A transmit that does not come back marks the channel hung; the worker keeps
    // the context alive until it returns.
    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds timeout) override
    {
        if (m_closed || m_hung) {
            return Unexpected(Error{Errc::TransmitFailed, "the connection to the card is closed"});
        }
        // One copy for the worker, however often the job is copied, wiped when the last holder goes.
        auto shared = std::shared_ptr<base::Bytes>(new base::Bytes(command.begin(), command.end()), [](base::Bytes* b) {
            base::wipe(*b);
            delete b;
        });
        auto done =
            callWithin<TransmitResult>(timeout, [context = m_context, card = m_card, protocol = m_protocol, shared] {
                const base::Bytes& cmd = *shared;
                std::vector<BYTE> buffer(65536 + 2);
                DWORD length = static_cast<DWORD>(buffer.size());
                const SCARD_IO_REQUEST pci{protocol, sizeof(SCARD_IO_REQUEST)};
                TransmitResult out;
                out.rv = SCardTransmit(card, &pci, cmd.data(), static_cast<DWORD>(cmd.size()), nullptr, buffer.data(),
                                       &length);
                if (out.rv == SCARD_S_SUCCESS) {
                    out.response.assign(buffer.begin(), buffer.begin() + length);
                }
                return out;
            });
        if (!done) {
            m_hung = true;
            return Unexpected(
                Error{Errc::Timeout, "the card did not answer within " + std::to_string(timeout.count()) + " ms"});
        }
        if (done->rv != SCARD_S_SUCCESS) {
            // A card pulled mid-command shows up as "not transacted"; ask pcscd whether it left.
            if (done->rv == SCARD_E_NOT_TRANSACTED && cardLeft(std::chrono::seconds(1))) {
                return Unexpected(Error{Errc::CardRemoved, "the card was removed during a command"});
            }
            return Unexpected(pcscError(done->rv, "SCardTransmit"));
        }
        return std::move(done->response);
    }

    base::Bytes atr() const override { return m_atr; }

    Expected<void, Error> disconnect(Disposition disposition) override
    {
        if (m_closed || m_hung) {
            m_closed = true;
            return {};
        }
        m_closed = true;
        const LONG rv = SCardDisconnect(m_card, toPcsc(disposition));
        if (rv != SCARD_S_SUCCESS && rv != SCARD_W_REMOVED_CARD && rv != SCARD_E_NO_SMARTCARD) {
            return Unexpected(pcscError(rv, "SCardDisconnect"));
        }
        return {};
    }

private:
    bool cardLeft(std::chrono::milliseconds within)
    {
        SCARD_READERSTATE state{};
        state.szReader = m_reader.c_str();
        state.dwCurrentState = SCARD_STATE_PRESENT;
        const LONG rv = SCardGetStatusChange(m_context->handle, static_cast<DWORD>(within.count()), &state, 1);
        return rv == SCARD_S_SUCCESS && (state.dwEventState & SCARD_STATE_EMPTY) != 0;
    }

    std::shared_ptr<PcscReader::Context> m_context;
    std::string m_reader;
    SCARDHANDLE m_card;
    DWORD m_protocol;
    base::Bytes m_atr;
    bool m_closed = false;
    bool m_hung = false;
};

base::Bytes atrOf(const SCARD_READERSTATE& state)
{
    return base::Bytes(state.rgbAtr, state.rgbAtr + std::min<DWORD>(state.cbAtr, sizeof state.rgbAtr));
}

} // namespace

PcscReader::PcscReader(std::shared_ptr<Context> context)
    : m_context(std::move(context))
{}

PcscReader::~PcscReader() = default;

Expected<std::unique_ptr<PcscReader>, Error> PcscReader::open()
{
    auto context = std::make_shared<Context>();
    const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context->handle);
    if (rv != SCARD_S_SUCCESS) {
        context->handle = 0;
        return Unexpected(pcscError(rv, "cannot reach pcscd (is it running?)"));
    }
    return std::unique_ptr<PcscReader>(new PcscReader(std::move(context)));
}

Expected<std::vector<ReaderState>, Error> PcscReader::listReaders()
{
    DWORD length = 0;
    LONG rv = SCardListReaders(m_context->handle, nullptr, nullptr, &length);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) {
        return std::vector<ReaderState>{};
    }
    if (rv != SCARD_S_SUCCESS) {
        return Unexpected(pcscError(rv, "SCardListReaders"));
    }
    std::string names(length, '\0');
    rv = SCardListReaders(m_context->handle, nullptr, names.data(), &length);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) {
        return std::vector<ReaderState>{};
    }
    if (rv != SCARD_S_SUCCESS) {
        return Unexpected(pcscError(rv, "SCardListReaders"));
    }
    std::vector<ReaderState> readers;
    for (const char* p = names.c_str(); *p != '\0'; p += std::strlen(p) + 1) {
        readers.push_back(ReaderState{p, false, {}, {}, {}});
    }
    std::vector<SCARD_READERSTATE> states(readers.size());
    for (std::size_t i = 0; i < readers.size(); ++i) {
        states[i].szReader = readers[i].name.c_str();
        states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    rv = SCardGetStatusChange(m_context->handle, 0, states.data(), static_cast<DWORD>(states.size()));
    if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
        return Unexpected(pcscError(rv, "SCardGetStatusChange"));
    }
    for (std::size_t i = 0; i < readers.size(); ++i) {
        readers[i].cardPresent = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0;
        if (readers[i].cardPresent) {
            readers[i].atr = atrOf(states[i]);
        }
    }
    return readers;
}

Expected<ReaderState, Error>
PcscReader::waitForChange(const std::string& reader, bool cardPresent, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    SCARD_READERSTATE state{};
    state.szReader = reader.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const LONG rv =
            SCardGetStatusChange(m_context->handle, static_cast<DWORD>(std::max<long>(0, left.count())), &state, 1);
        if (rv == SCARD_E_TIMEOUT) {
            return Unexpected(Error{Errc::Timeout, "no card change on '" + reader + "' within " +
                                                       std::to_string(timeout.count()) + " ms"});
        }
        if (rv != SCARD_S_SUCCESS) {
            return Unexpected(pcscError(rv, "SCardGetStatusChange"));
        }
        if ((state.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) != 0) {
            return Unexpected(Error{Errc::ReaderDetached, "reader '" + reader + "' is gone"});
        }
        const bool present = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
        if (present != cardPresent) {
            return ReaderState{reader, present, present ? atrOf(state) : base::Bytes{}, {}, {}};
        }
        state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        if (std::chrono::steady_clock::now() >= deadline) {
            return Unexpected(Error{Errc::Timeout, "no card change on '" + reader + "'"});
        }
    }
}

Expected<std::unique_ptr<CardChannel>, Error> PcscReader::connect(const std::string& reader, ShareMode mode)
{
    // pcscd powers the card up inside SCardConnect: a card that hangs there would hang us.
    auto connected = callWithin<ConnectResult>(
        kConnectTimeout,
        [context = m_context, reader,
         share = mode == ShareMode::Exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED] {
            ConnectResult out;
            out.rv = SCardConnect(context->handle, reader.c_str(), share, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                                  &out.card, &out.protocol);
            return out;
        },
        [](ConnectResult& late) {
            if (late.rv == SCARD_S_SUCCESS) {
                SCardDisconnect(late.card, SCARD_RESET_CARD); // nobody is left to use it
            }
        });
    if (!connected) {
        return Unexpected(Error{Errc::Timeout, "the card on '" + reader + "' did not come up within " +
                                                   std::to_string(kConnectTimeout.count()) + " ms"});
    }
    if (connected->rv != SCARD_S_SUCCESS) {
        return Unexpected(pcscError(connected->rv, "SCardConnect to '" + reader + "'"));
    }
    const SCARDHANDLE card = connected->card;
    DWORD protocol = connected->protocol;
    BYTE atr[MAX_ATR_SIZE];
    DWORD atrLength = sizeof atr;
    DWORD state = 0;
    DWORD nameLength = 0;
    if (SCardStatus(card, nullptr, &nameLength, &state, &protocol, atr, &atrLength) != SCARD_S_SUCCESS) {
        atrLength = 0;
    }
    return std::unique_ptr<CardChannel>(
        std::make_unique<PcscChannel>(m_context, reader, card, protocol, base::Bytes(atr, atr + atrLength)));
}

} // namespace zaitaku::device
