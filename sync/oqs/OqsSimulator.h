#pragma once

// A simulated 資格確認端末 for demos and tests (zaitaku-oqs-sim): it watches req/, answers in res/
// from a synthetic population, and behaves as the bridge assumes a terminal does — the result
// is written (to a temporary name, then renamed) before the request is removed. Nothing here
// is real data; error codes it invents start with "SIM-" (the official ones are not public, Q5).
//
// Population file (docs/OQS.md has the full list):
//   {"medical_institution_code": "1312345678",
//    "issuer": "<RFC 2253 DN of the card CA>",       the default for certificate_serial
//    "bulk_processing_polls": 2,                       downloads answered 処理中 before the result
//    "people": [{"id": "valid",
//                "certificate_serial": "5a1f…",        JPKI user-auth certificate → this person
//                "delay_ms": 0, "system_error": false, "not_registered": false,
//                "result": {"qualification_validity": "1", "insurer_number": "…", …},  tag-named
//                "results": [{…}, {…}]}]}                several: 複数該当
//                "medical": {"regimens": […], "checkups": […]}  YZK/TKK answers (SyntheticMedicalHistory.h)

#include "base/Clock.h"
#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/oqs/OqsResults.h"
#include "sync/oqs/SyntheticMedicalHistory.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace zaitaku::sync::oqs
{

struct SimPerson
{
    std::string id;
    std::string certificateSerial; // lower-case hex, no leading zeros stripped
    std::string certificateIssuer;
    int delayMs = 0;
    bool systemError = false;
    // The card is not registered for insurance use: the card query ends abnormally with a message
    // naming 利用登録 (the real code and wording are not public, Q5; SIM-REG is ours).
    bool notRegistered = false;
    std::vector<ResultUnit> results; // one, or several for 複数該当; empty: 該当資格なし
    SimMedical medical;              // 薬剤・特定健診 answers (SyntheticMedicalHistory.h)
};

struct SimPopulation
{
    std::string medicalInstitutionCode;
    int bulkProcessingPolls = 0;
    std::vector<SimPerson> people;
};

Expected<SimPopulation, Error> loadPopulation(const std::string& path);
Expected<SimPopulation, Error> parsePopulation(const nlohmann::json& json);

// serial (lower-case hex) and issuer (RFC 2253) of a DER certificate; nullopt when not X.509.
struct CertificateKey
{
    std::string serialHex;
    std::string issuer;
};
std::optional<CertificateKey> certificateKeyOf(const std::vector<std::uint8_t>& der);

class OqsSimulator
{
public:
    OqsSimulator(SimPopulation population,
                 std::filesystem::path requestDir,
                 std::filesystem::path resultDir,
                 const base::Clock& clock,
                 TextEncoding encoding = TextEncoding::ShiftJis);

    // Answers every request file present now; returns how many were answered.
    std::size_t pollOnce();
    // pollOnce every `interval` until stop() (another thread or a signal handler).
    void run(std::chrono::milliseconds interval);
    void stop() { m_stop = true; }
    std::size_t answered() const { return m_answered; }
    // The 資格確認 requests of every kind, without the 薬剤・特定健診 ones a gateway asks on its own
    // after a confirmed first visit (issue 33).
    std::size_t eligibilityAnswered() const { return m_eligibilityAnswered; }

private:
    std::string answer(const std::string& fileName, const std::string& bytes);
    std::string answerQualification(const std::string& bytes, bool bulk);
    std::string answerCard(const std::string& bytes);
    std::string answerDownload(const std::string& bytes);
    std::string answerConsented(const std::string& bytes);
    std::string answerMedicalInfo(const std::string& bytes, bool drugs);
    std::string systemError(const std::string& code, const std::string& message, bool bulk);
    ResultUnit unitFor(const SimPerson* person, const std::optional<SearchInfo>& search) const;
    const SimPerson* findBySearch(const SearchInfo& search) const;
    ResultHeader header(const std::optional<base::Date>& date, const std::string& fileId) const;
    std::string write(const ResultFile& file) const;

    struct Reception
    {
        ResultFile result;
        int pollsLeft = 0;
    };

    SimPopulation m_population;
    std::filesystem::path m_requestDir;
    std::filesystem::path m_resultDir;
    const base::Clock& m_clock;
    TextEncoding m_encoding;
    std::map<std::string, Reception> m_receptions;
    int m_nextReception = 1;
    std::atomic<bool> m_stop{false};
    std::atomic<std::size_t> m_answered{0};
    std::atomic<std::size_t> m_eligibilityAnswered{0};
};

} // namespace zaitaku::sync::oqs
