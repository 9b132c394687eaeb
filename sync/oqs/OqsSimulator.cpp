#include "sync/oqs/OqsSimulator.h"

#include "base/AtomicFile.h"
#include "base/BoundedJson.h"
#include "sync/oqs/MedicalInfoResults.h"
#include "sync/oqs/OqsInterface.h"
#include "sync/oqs/Xml.h"

#include <algorithm>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <thread>

namespace zaitaku::sync::oqs
{

namespace fs = std::filesystem;

namespace
{

Unexpected<Error> bad(const std::string& message, const std::string& field = {})
{
    return Unexpected(Error{Errc::InvalidInput, message, field});
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

std::optional<CertificateKey> certificateKeyOf(const std::vector<std::uint8_t>& der)
{
    const unsigned char* p = der.data();
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
    if (!cert) {
        return std::nullopt;
    }
    CertificateKey key;
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr),
                                                   BN_free);
    char* hex = bn ? BN_bn2hex(bn.get()) : nullptr;
    if (!hex) {
        return std::nullopt;
    }
    key.serialHex = lower(hex);
    OPENSSL_free(hex);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    X509_NAME_print_ex(bio.get(), X509_get_issuer_name(cert.get()), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    key.issuer.assign(data, static_cast<std::size_t>(len));
    return key;
}

Expected<SimPopulation, Error> parsePopulation(const nlohmann::json& json)
{
    if (!json.is_object() || !json.contains("people") || !json["people"].is_array()) {
        return bad("a population is an object with a 'people' array");
    }
    SimPopulation out;
    out.medicalInstitutionCode = json.value("medical_institution_code", "1312345678");
    out.bulkProcessingPolls = json.value("bulk_processing_polls", 0);
    const std::string defaultIssuer = json.value("issuer", "");
    for (std::size_t i = 0; i < json["people"].size(); ++i) {
        const auto& p = json["people"][i];
        const std::string where = "people[" + std::to_string(i) + "]";
        if (!p.is_object() || !p.contains("id")) {
            return bad(where + " needs an 'id'", where);
        }
        SimPerson person;
        person.id = p["id"].get<std::string>();
        person.certificateSerial = lower(p.value("certificate_serial", ""));
        person.certificateIssuer = p.value("certificate_issuer", defaultIssuer);
        person.delayMs = p.value("delay_ms", 0);
        person.systemError = p.value("system_error", false);
        person.notRegistered = p.value("not_registered", false);
        std::vector<nlohmann::json> results;
        if (p.contains("result")) {
            results.push_back(p["result"]);
        }
        for (const auto& r : p.value("results", nlohmann::json::array())) {
            results.push_back(r);
        }
        for (const auto& r : results) {
            std::vector<std::string> warnings;
            auto unit = unitFromTagJson(r, warnings);
            if (!unit) {
                return bad(where + " (" + person.id + "): " + unit.error().message, where + "." + unit.error().field);
            }
            unit->resultCount = 1;
            person.results.push_back(std::move(*unit));
        }
        if (p.contains("medical")) {
            auto medical = parseSimMedical(p["medical"]);
            if (!medical) {
                return bad(where + " (" + person.id + "): " + medical.error().message, where + ".medical");
            }
            person.medical = std::move(*medical);
        }
        out.people.push_back(std::move(person));
    }
    return out;
}

Expected<SimPopulation, Error> loadPopulation(const std::string& path)
{
    auto text = base::readSmallFile(path, kMaxXmlBytes);
    if (!text) {
        return bad("cannot read the population file: " + text.error().message, path);
    }
    auto json = base::parseJson(*text);
    if (json.is_discarded()) {
        return bad(path + " is not JSON", path);
    }
    return parsePopulation(json);
}

OqsSimulator::OqsSimulator(
    SimPopulation population, fs::path requestDir, fs::path resultDir, const base::Clock& clock, TextEncoding encoding)
    : m_population(std::move(population))
    , m_requestDir(std::move(requestDir))
    , m_resultDir(std::move(resultDir))
    , m_clock(clock)
    , m_encoding(encoding)
{}

ResultHeader OqsSimulator::header(const std::optional<base::Date>& date, const std::string& fileId) const
{
    ResultHeader h;
    h.processExecutionTime = m_clock.nowJst();
    h.qualificationConfirmationDate = date ? date : std::optional<base::Date>(m_clock.nowJst().localDate());
    h.medicalInstitutionCode = m_population.medicalInstitutionCode;
    h.arbitraryFileIdentifier = fileId;
    h.segmentOfResult = model::SegmentOfResult::Normal;
    return h;
}

std::string OqsSimulator::write(const ResultFile& file) const
{
    auto xml = buildResult(file, m_encoding);
    if (!xml) {
        // A population value Shift_JIS cannot carry: answer in UTF-8 rather than not at all.
        xml = buildResult(file, TextEncoding::Utf8);
    }
    return xml ? *xml : std::string();
}

const SimPerson* OqsSimulator::findBySearch(const SearchInfo& search) const
{
    auto trim = [](std::string s) {
        const auto first = s.find_first_not_of(" 0");
        return first == std::string::npos ? std::string() : s.substr(first);
    };
    for (const auto& person : m_population.people) {
        for (const auto& r : person.results) {
            const auto& s = r.snapshot;
            // InsurerNumber padding is Q4: both zero- and space-padded forms match [S:SX-road26].
            if (trim(s.insurerNumber) == trim(search.insurerNumber) &&
                s.insuredIdentificationNumber == search.insuredIdentificationNumber &&
                (search.insuredCardSymbol.empty() || s.insuredCardSymbol == search.insuredCardSymbol) &&
                (!search.birthdate || s.birthdate == search.birthdate)) {
                return &person;
            }
        }
    }
    return nullptr;
}

ResultUnit OqsSimulator::unitFor(const SimPerson* person, const std::optional<SearchInfo>& search) const
{
    ResultUnit unit;
    if (person && person->systemError) {
        unit.snapshot.processingResultStatus = model::ProcessingResultStatus::Failed;
        unit.snapshot.processingResultCode = "SIM-E0001";
        unit.snapshot.processingResultMessage = "照会処理でエラーが発生しました（シミュレーター）";
    } else if (!person || person->results.empty()) {
        unit.snapshot.processingResultStatus = model::ProcessingResultStatus::Normal;
        unit.snapshot.qualificationValidity = model::QualificationValidity::NoQualification;
    } else {
        unit = person->results.front();
        if (!unit.snapshot.processingResultStatus) {
            unit.snapshot.processingResultStatus = model::ProcessingResultStatus::Normal;
        }
        if (person->results.size() > 1) {
            unit.snapshot.qualificationValidity = model::QualificationValidity::MultipleMatches;
            unit.resultCount = person->results.size();
        } else if (unit.snapshot.qualificationValidity == model::QualificationValidity::NoQualification) {
            unit.resultCount = 0;
        }
    }
    unit.search = search;
    if (search) {
        unit.snapshot.referenceNumber = search->arbitraryIdentifier;
    }
    return unit;
}

std::string OqsSimulator::systemError(const std::string& code, const std::string& message, bool bulk)
{
    ResultFile file;
    file.bulk = bulk;
    file.header = header(std::nullopt, "");
    file.header.segmentOfResult = model::SegmentOfResult::Abnormal;
    file.header.errorCode = code;
    file.header.errorMessage = message;
    return write(file);
}

std::string OqsSimulator::answerQualification(const std::string& bytes, bool bulk)
{
    auto request = parseQualificationRequest(bytes);
    if (!request) {
        return systemError("SIM-9001", "要求ファイルを読み取れません: " + request.error().message, bulk);
    }
    ResultFile file;
    file.bulk = bulk;
    file.header = header(request->header.qualificationConfirmationDate, request->header.arbitraryFileIdentifier);
    file.header.referenceClassification = model::ReferenceClassification::InsuredCardInfo;
    if (!bulk) {
        const SimPerson* person = findBySearch(request->search.front());
        if (person && person->delayMs > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(person->delayMs));
        }
        if (person && person->systemError) {
            return systemError("SIM-9999", "システムエラー（シミュレーター）", false);
        }
        file.units.push_back(unitFor(person, request->search.front()));
        return write(file);
    }
    // Upload: keep the answer under a reception number; the download fetches it.
    ResultFile result = file;
    int normal = 0;
    for (const auto& search : request->search) {
        auto unit = unitFor(findBySearch(search), search);
        normal += unit.snapshot.processingResultStatus == model::ProcessingResultStatus::Normal ? 1 : 0;
        result.units.push_back(std::move(unit));
    }
    char number[16];
    std::snprintf(number, sizeof number, "R%09d", m_nextReception++);
    result.header.receptionNumber = number;
    result.header.numberOfProcessingResult = static_cast<int>(result.units.size());
    result.header.numberOfNormalProcessing = normal;
    result.header.numberOfError = static_cast<int>(result.units.size()) - normal;
    m_receptions[number] = Reception{result, m_population.bulkProcessingPolls};
    file.header.receptionNumber = number;
    file.header.receptionDateTime = toCompactTime(m_clock.nowJst());
    return write(file);
}

std::string OqsSimulator::answerDownload(const std::string& bytes)
{
    auto request = parseBulkDownloadRequest(bytes);
    if (!request) {
        return systemError("SIM-9001", "要求ファイルを読み取れません: " + request.error().message, true);
    }
    auto it = m_receptions.find(request->receptionNumber);
    if (it == m_receptions.end()) {
        return systemError("SIM-9002", "受付番号が見つかりません: " + request->receptionNumber, true);
    }
    if (it->second.pollsLeft > 0) {
        --it->second.pollsLeft;
        ResultFile processing;
        processing.bulk = true;
        processing.header = it->second.result.header;
        processing.header.segmentOfResult = model::SegmentOfResult::Processing;
        processing.header.numberOfProcessingResult = 0;
        return write(processing);
    }
    ResultFile done = it->second.result;
    done.header.processExecutionTime = m_clock.nowJst();
    m_receptions.erase(it);
    return write(done);
}

std::string OqsSimulator::answerConsented(const std::string& bytes)
{
    auto request = parseConsentedBulkRequest(bytes);
    if (!request) {
        return systemError("SIM-9001", "要求ファイルを読み取れません: " + request.error().message, true);
    }
    ResultFile result;
    result.bulk = true;
    result.header = header(request->header.qualificationConfirmationDate, request->header.arbitraryFileIdentifier);
    for (const auto& person : m_population.people) {
        if (person.results.empty()) {
            continue;
        }
        const auto& s = person.results.front().snapshot;
        bool consented = false;
        for (const auto* c : {&s.pharmacists, &s.diagnosis, &s.operation, &s.specificHealthCheckups}) {
            if (c->flag == "1" && c->consentTime) {
                const auto day = c->consentTime->localDate();
                consented = consented || ((!request->consentDateFrom || *request->consentDateFrom <= day) &&
                                          (!request->consentDateTo || day <= *request->consentDateTo));
            }
        }
        if (consented) {
            result.units.push_back(unitFor(&person, std::nullopt));
        }
    }
    char number[16];
    std::snprintf(number, sizeof number, "R%09d", m_nextReception++);
    result.header.receptionNumber = number;
    result.header.numberOfProcessingResult = static_cast<int>(result.units.size());
    m_receptions[number] = Reception{result, m_population.bulkProcessingPolls};
    ResultFile receipt;
    receipt.bulk = true;
    receipt.header = result.header;
    receipt.header.numberOfProcessingResult.reset();
    receipt.header.receptionDateTime = toCompactTime(m_clock.nowJst());
    return write(receipt);
}

std::string OqsSimulator::answerCard(const std::string& bytes)
{
    auto request = parseCardQualificationRequest(bytes);
    if (!request) {
        return systemError("SIM-9001", "要求ファイルを読み取れません: " + request.error().message, false);
    }
    ResultFile file;
    file.header = header(request->header.qualificationConfirmationDate, request->header.arbitraryFileIdentifier);
    file.header.referenceClassification = model::ReferenceClassification::MyNumberCard;
    const auto key = certificateKeyOf(request->certificateDer);
    const SimPerson* person = nullptr;
    for (const auto& p : m_population.people) {
        if (key && !p.certificateSerial.empty() && p.certificateSerial == key->serialHex &&
            (p.certificateIssuer.empty() || p.certificateIssuer == key->issuer)) {
            person = &p;
        }
    }
    if (person && person->delayMs > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(person->delayMs));
    }
    if (person && person->systemError) {
        return systemError("SIM-9999", "システムエラー（シミュレーター）", false);
    }
    if (person && person->notRegistered) {
        return systemError("SIM-REG", "マイナンバーカードの健康保険証利用登録がされていません（シミュレーター）",
                           false);
    }
    file.units.push_back(unitFor(person, std::nullopt));
    return write(file);
}

std::string OqsSimulator::answer(const std::string& fileName, const std::string& bytes)
{
    const auto name = parseFileName(fileName);
    switch (name->iface) {
    case Interface::Qualification:
        return answerQualification(bytes, false);
    case Interface::BulkUpload:
        return answerQualification(bytes, true);
    case Interface::BulkDownload:
    case Interface::ConsentedBulkDownload:
        return answerDownload(bytes);
    case Interface::ConsentedBulkUpload:
        return answerConsented(bytes);
    case Interface::CardQualification:
        return answerCard(bytes);
    case Interface::DrugInfo:
        return answerMedicalInfo(bytes, true);
    case Interface::CheckupInfo:
        return answerMedicalInfo(bytes, false);
    }
    return systemError("SIM-9003", "この要求はシミュレーターでは扱いません", false);
}

// YZK / TKK: the person by the header's insurer numbers, their synthetic history within the
// request's dates (drugs) or the last five years (checkups). ResultCode 1 = the information
// follows [S:6]; other codes are not public (Q5): "SIM-…" ones are ours.
std::string OqsSimulator::answerMedicalInfo(const std::string& bytes, bool drugs)
{
    MedicalInfoFile file;
    file.kind = drugs ? MedicalInfoKind::Drugs : MedicalInfoKind::Checkups;
    file.processExecutionTime = m_clock.nowJst();
    auto request = parseMedicalInfoRequest(bytes);
    const SimPerson* person = nullptr;
    if (request) {
        SearchInfo search;
        search.insurerNumber = request->insurerNumber;
        search.insuredCardSymbol = request->insuranceCardSymbol;
        search.insuredIdentificationNumber = request->insuredPersonIdentificationNumber;
        person = findBySearch(search);
    }
    if (!request) {
        file.resultCode = "SIM-9001";
        file.messageContents = "要求ファイルを読み取れません（シミュレーター）: " + request.error().message;
    } else if (!person || person->results.empty()) {
        file.resultCode = "SIM-0002";
        file.messageContents = "該当する資格がありません（シミュレーター）";
    } else if (person->systemError) {
        file.resultCode = "SIM-9999";
        file.messageContents = "システムエラー（シミュレーター）";
    } else {
        const auto& s = person->results.front().snapshot;
        model::MedicalInfoSubject subject{s.name, s.nameKana, s.birthdate,
                                          s.sex1 ? std::string(base::toCode(*s.sex1)) : std::string()};
        const auto today = m_clock.nowJst().localDate();
        const auto to = request->endDate.value_or(today);
        file.resultCode = "1";
        if (drugs) {
            const auto from =
                request->startDate.value_or(base::Date::fromSysDays(to.sysDays() - std::chrono::days(1095)));
            file.medication = synthesizeMedication(person->medical, from, to);
            file.medication.subject = std::move(subject);
        } else {
            file.checkups = synthesizeCheckups(person->medical, to);
            file.checkups.subject = std::move(subject);
        }
    }
    auto xml = buildMedicalInfoResult(file, m_encoding);
    if (!xml) {
        xml = buildMedicalInfoResult(file, TextEncoding::Utf8);
    }
    return xml ? *xml : std::string();
}

std::size_t OqsSimulator::pollOnce()
{
    std::vector<fs::path> requests;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_requestDir, ec)) {
        const auto name = parseFileName(entry.path().filename().string());
        if (name && name->request) {
            requests.push_back(entry.path());
        }
    }
    std::sort(requests.begin(), requests.end());
    std::size_t count = 0;
    for (const auto& path : requests) {
        const std::string fileName = path.filename().string();
        const auto name = parseFileName(fileName);
        auto bytes = base::readSmallFile(path.string(), kMaxXmlBytes + 1);
        const std::string xml =
            bytes ? answer(fileName, *bytes)
                  : systemError("SIM-9001", "要求ファイルを読み取れません: " + bytes.error().message, false);
        const fs::path result = m_resultDir / fileNameOf(name->iface, false, name->id);
        // The result first (complete, then renamed into place), then the request goes.
        if (!base::writeFileAtomically(result.string(), xml, 0644)) {
            continue; // res/ not writable now: the request stays and is answered on a later poll
        }
        fs::remove(path, ec);
        ++count;
        if (name->iface != Interface::DrugInfo && name->iface != Interface::CheckupInfo) {
            ++m_eligibilityAnswered;
        }
        ++m_answered;
    }
    return count;
}

void OqsSimulator::run(std::chrono::milliseconds interval)
{
    while (!m_stop) {
        if (pollOnce() == 0) {
            std::this_thread::sleep_for(interval);
        }
    }
}

} // namespace zaitaku::sync::oqs
