#pragma once

// The req/res folder bridge to the facility's 資格確認端末 (docs/design/DOMAIN.md §1.1, F3). Facility software
// talks to the terminal by files: a request written into req/, a result read from res/.
//
// Nothing is half-written and nothing is lost or sent twice:
//   1. the request and its context are journalled in <state>/pending/ (write + fsync + rename);
//   2. it is written in <state>/work/ and renamed into req/ (the terminal never sees a partial
//      file [U:2]); then the journal entry is marked placed;
//   3. res/ is polled with backoff until the deadline; a result is read, parsed, and both files
//      are moved to <state>/archive/YYYYMMDD/ (the raw bytes are kept as received).
// After a restart, pending() lists what was journalled; an entry not yet placed is placed unless
// req/ or res/ already has it. [I] The terminal writes the result before it removes the request
// (the simulator does): so "no request and no result" can only mean "never placed".

#include "base/Clock.h"
#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"
#include "sync/oqs/MedicalInfoResults.h"
#include "sync/oqs/OqsInterface.h"
#include "sync/oqs/OqsRequests.h"
#include "sync/oqs/OqsResults.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zaitaku::sync::oqs
{

struct BridgeConfig
{
    std::filesystem::path requestDir;               // the terminal's req/
    std::filesystem::path resultDir;                // the terminal's res/
    std::filesystem::path stateDir;                 // ours: work/, pending/, archive/
    std::string medicalInstitutionCode;             // 10 digits, written into every request
    TextEncoding encoding = TextEncoding::ShiftJis; // what public writers use [S:4][U:2]
    std::chrono::milliseconds pollFirst{20};
    std::chrono::milliseconds pollMax{1000};
    std::chrono::milliseconds singleTimeout{30000};
    std::chrono::milliseconds bulkTimeout{300000};
};

struct Ticket
{
    std::string fileName; // the request file's name in req/
    Interface iface = Interface::Qualification;
    nlohmann::json context; // what the caller needs to apply the result (patient id, purpose)
};

class OqsBridge
{
public:
    // Creates the state folders; InvalidInput when req/ or res/ is missing.
    static Expected<std::unique_ptr<OqsBridge>, Error>
    open(BridgeConfig config, base::RandomSource& random, const base::Clock& clock);

    const BridgeConfig& config() const { return m_config; }

    // Journals and places one request file.
    Expected<Ticket, Error> submit(Interface iface, const std::string& requestXml, nlohmann::json context);
    // Waits for the result of a placed request. Timeout leaves it pending (nothing is lost); a
    // result that does not parse is archived as rejected and reported as XmlMalformed/XmlEncoding.
    Expected<ResultFile, Error> await(const Ticket& ticket, std::chrono::milliseconds timeout);
    // Everything journalled and not yet answered (after a restart), placing what was not placed.
    Expected<std::vector<Ticket>, Error> pending();
    // Security review L9: the archive keeps every request and result (names, insurer numbers) as
    // exchanged; the days older than `keepDays` are deleted. Returns the days removed (YYYYMMDD).
    // The results themselves stay in the gateway's database.
    std::vector<std::string> purgeArchive(int keepDays);

    // F3: upload (OQSmuquc01) → receipt → download (OQSmuquc02) until SegmentOfResult is no longer
    // 2, with backoff, within the bulk timeout.
    Expected<ResultFile, Error> bulkQualification(const QualificationRequest& request, nlohmann::json context);
    // The single 資格確認 and the card confirmation, submit + await.
    Expected<ResultFile, Error> qualification(const QualificationRequest& request, nlohmann::json context);
    Expected<ResultFile, Error> cardQualification(const CardQualificationRequest& request, nlohmann::json context);
    // 薬剤情報 (YZK) or 特定健診情報 (TKK), submit + await (issue 33).
    Expected<MedicalInfoFile, Error> medicalInfo(const MedicalInfoRequest& request, nlohmann::json context);

private:
    // Polls res/ for the ticket's result and parses it with `parse`; see await().
    template <typename T, typename Parse>
    Expected<T, Error> awaitParsed(const Ticket& ticket, std::chrono::milliseconds timeout, Parse parse);
    OqsBridge(BridgeConfig config, base::RandomSource& random, const base::Clock& clock)
        : m_config(std::move(config))
        , m_random(random)
        , m_clock(clock)
    {}
    std::string newId();
    Expected<void, Error> place(const std::string& fileName, const std::string& bytes);
    void archive(const std::string& requestName, const std::filesystem::path& result, bool rejected);

    BridgeConfig m_config;
    base::RandomSource& m_random;
    const base::Clock& m_clock;
    std::mutex m_idMutex;
};

} // namespace zaitaku::sync::oqs
