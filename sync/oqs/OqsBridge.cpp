#include "sync/oqs/OqsBridge.h"

#include "base/AtomicFile.h"
#include "base/BoundedJson.h"
#include "sync/oqs/Xml.h"

#include <algorithm>
#include <thread>

namespace zaitaku::sync::oqs
{

namespace fs = std::filesystem;

namespace
{

constexpr std::string_view kPlaced = ".placed";
constexpr std::string_view kContext = ".context.json";

Unexpected<Error> ioError(const std::string& message)
{
    return Unexpected(Error{Errc::StoreIo, message});
}

std::string resultNameFor(const std::string& requestName)
{
    auto parsed = parseFileName(requestName);
    return parsed ? fileNameOf(parsed->iface, false, parsed->id) : std::string();
}

} // namespace

Expected<std::unique_ptr<OqsBridge>, Error>
OqsBridge::open(BridgeConfig config, base::RandomSource& random, const base::Clock& clock)
{
    for (const auto* dir : {&config.requestDir, &config.resultDir}) {
        if (!fs::is_directory(*dir)) {
            return Unexpected(
                Error{Errc::InvalidInput,
                      "the terminal folder " + dir->string() + " does not exist (check oqs.req_dir / oqs.res_dir)",
                      dir->string()});
        }
    }
    std::error_code ec;
    for (const char* sub : {"work", "pending", "archive"}) {
        fs::create_directories(config.stateDir / sub, ec);
        if (!ec) {
            // Requests and results name patients' insurer numbers: ours alone.
            fs::permissions(config.stateDir, fs::perms::owner_all, fs::perm_options::replace, ec);
        }
        if (!ec) {
            fs::permissions(config.stateDir / sub, fs::perms::owner_all, fs::perm_options::replace, ec);
        }
        if (ec) {
            return ioError("cannot create " + (config.stateDir / sub).string() + " (0700): " + ec.message());
        }
    }
    return std::unique_ptr<OqsBridge>(new OqsBridge(std::move(config), random, clock));
}

std::string OqsBridge::newId()
{
    // 12 characters like the public samples [S:7]: 4 of date (MMDD) and 8 random hex.
    std::lock_guard lock(m_idMutex);
    std::uint8_t bytes[4];
    m_random.fill(bytes);
    static const char* hex = "0123456789abcdef";
    const auto date = m_clock.nowJst().localDate().toCompact();
    std::string id = date.substr(4, 4);
    for (auto b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

Expected<void, Error> OqsBridge::place(const std::string& fileName, const std::string& bytes)
{
    const fs::path work = m_config.stateDir / "work" / fileName;
    if (auto done = base::writeFileAtomically(work.string(), bytes, 0600); !done) {
        return Unexpected(fromBase(done.error()));
    }
    std::error_code ec;
    fs::rename(work, m_config.requestDir / fileName, ec); // one rename: the terminal sees all or nothing
    if (ec) {
        return ioError("cannot move the request into " + m_config.requestDir.string() + ": " + ec.message());
    }
    fs::rename(m_config.stateDir / "pending" / fileName,
               m_config.stateDir / "pending" / (fileName + std::string(kPlaced)), ec);
    if (ec) {
        return ioError("cannot mark " + fileName + " placed: " + ec.message());
    }
    return {};
}

Expected<Ticket, Error> OqsBridge::submit(Interface iface, const std::string& requestXml, nlohmann::json context)
{
    Ticket ticket{fileNameOf(iface, true, newId()), iface, std::move(context)};
    const fs::path pending = m_config.stateDir / "pending";
    if (auto done = base::writeFileAtomically((pending / (ticket.fileName + std::string(kContext))).string(),
                                              ticket.context.dump());
        !done) {
        return Unexpected(fromBase(done.error()));
    }
    if (auto done = base::writeFileAtomically((pending / ticket.fileName).string(), requestXml); !done) {
        return Unexpected(fromBase(done.error()));
    }
    if (auto done = place(ticket.fileName, requestXml); !done) {
        return Unexpected(done.error());
    }
    return ticket;
}

std::vector<std::string> OqsBridge::purgeArchive(int keepDays)
{
    const auto oldestKept = m_clock.nowJst().localDate().addDays(-keepDays);
    std::vector<std::string> removed;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_config.stateDir / "archive", ec)) {
        const std::string name = entry.path().filename().string();
        auto day = base::Date::parseCompact(name);
        if (!day || !(*day < oldestKept) || !entry.is_directory(ec) || entry.is_symlink(ec)) {
            continue; // not one of our day folders, or still within the window
        }
        if (fs::remove_all(entry.path(), ec) != static_cast<std::uintmax_t>(-1) && !ec) {
            removed.push_back(name);
        }
    }
    std::sort(removed.begin(), removed.end());
    return removed;
}

void OqsBridge::archive(const std::string& requestName, const fs::path& result, bool rejected)
{
    const fs::path day = m_config.stateDir / "archive" / m_clock.nowJst().localDate().toCompact();
    std::error_code ec;
    fs::create_directories(day, ec);
    fs::permissions(day, fs::perms::owner_all, fs::perm_options::replace, ec);
    const fs::path pending = m_config.stateDir / "pending";
    fs::rename(pending / (requestName + std::string(kPlaced)), day / requestName, ec);
    fs::rename(pending / (requestName + std::string(kContext)), day / (requestName + std::string(kContext)), ec);
    fs::rename(result, day / (result.filename().string() + (rejected ? ".rejected" : "")), ec);
}

Expected<ResultFile, Error> OqsBridge::await(const Ticket& ticket, std::chrono::milliseconds timeout)
{
    return awaitParsed<ResultFile>(ticket, timeout, [](std::string_view bytes) { return parseResult(bytes); });
}

Expected<MedicalInfoFile, Error> OqsBridge::medicalInfo(const MedicalInfoRequest& request, nlohmann::json context)
{
    auto xml = buildMedicalInfoRequest(request, m_config.encoding);
    if (!xml) {
        return Unexpected(xml.error());
    }
    const auto iface = request.drugs ? Interface::DrugInfo : Interface::CheckupInfo;
    auto ticket = submit(iface, *xml, std::move(context));
    if (!ticket) {
        return Unexpected(ticket.error());
    }
    const auto kind = request.drugs ? MedicalInfoKind::Drugs : MedicalInfoKind::Checkups;
    return awaitParsed<MedicalInfoFile>(*ticket, m_config.singleTimeout,
                                        [kind](std::string_view bytes) { return parseMedicalInfoResult(bytes, kind); });
}

template <typename T, typename Parse>
Expected<T, Error> OqsBridge::awaitParsed(const Ticket& ticket, std::chrono::milliseconds timeout, Parse parse)
{
    const fs::path result = m_config.resultDir / resultNameFor(ticket.fileName);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto wait = m_config.pollFirst;
    int unreadable = 0;
    for (;;) {
        std::error_code ec;
        if (fs::exists(result, ec)) {
            auto bytes = base::readSmallFile(result.string(), kMaxXmlBytes + 1, base::Links::Refuse);
            auto parsed = bytes ? parse(*bytes) : Expected<T, Error>(Unexpected(fromBase(bytes.error())));
            if (parsed) {
                archive(ticket.fileName, result, false);
                return parsed;
            }
            // A terminal that writes in place may be mid-write: give it a few polls before refusing.
            if (++unreadable >= 5 || std::chrono::steady_clock::now() >= deadline) {
                archive(ticket.fileName, result, true);
                Error error = parsed.error();
                error.message = result.filename().string() + ": " + error.message;
                return Unexpected(error);
            }
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return Unexpected(Error{Errc::Timeout,
                                    "no result for " + ticket.fileName + " within " + std::to_string(timeout.count()) +
                                        " ms; it stays pending",
                                    ticket.fileName});
        }
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
            wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()) +
                      std::chrono::milliseconds(1)));
        wait = std::min(wait * 2, m_config.pollMax);
    }
}

Expected<std::vector<Ticket>, Error> OqsBridge::pending()
{
    std::vector<Ticket> out;
    std::error_code ec;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(m_config.stateDir / "pending", ec)) {
        entries.push_back(entry.path());
    }
    if (ec) {
        return ioError("cannot list " + (m_config.stateDir / "pending").string() + ": " + ec.message());
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& path : entries) {
        std::string name = path.filename().string();
        if (name.ends_with(kContext)) {
            continue;
        }
        const bool placed = name.ends_with(kPlaced);
        if (placed) {
            name.resize(name.size() - kPlaced.size());
        }
        auto parsed = parseFileName(name);
        if (!parsed) {
            continue; // an atomic-write temporary
        }
        Ticket ticket{name, parsed->iface, nlohmann::json::object()};
        const auto contextPath = m_config.stateDir / "pending" / (name + std::string(kContext));
        if (auto context = base::readSmallFile(contextPath.string(), kMaxXmlBytes)) {
            ticket.context = base::parseJson(*context);
        }
        if (!placed) {
            const bool inReq = fs::exists(m_config.requestDir / name, ec);
            const bool answered = fs::exists(m_config.resultDir / resultNameFor(name), ec);
            if (inReq || answered) {
                fs::rename(path, m_config.stateDir / "pending" / (name + std::string(kPlaced)), ec);
            } else if (auto bytes = base::readSmallFile(path.string(), kMaxXmlBytes)) {
                if (auto done = place(name, *bytes); !done) {
                    return Unexpected(done.error());
                }
            }
        }
        out.push_back(std::move(ticket));
    }
    return out;
}

Expected<ResultFile, Error> OqsBridge::qualification(const QualificationRequest& request, nlohmann::json context)
{
    auto xml = buildQualificationRequest(request, false, m_config.encoding);
    if (!xml) {
        return Unexpected(xml.error());
    }
    auto ticket = submit(Interface::Qualification, *xml, std::move(context));
    if (!ticket) {
        return Unexpected(ticket.error());
    }
    return await(*ticket, m_config.singleTimeout);
}

Expected<ResultFile, Error> OqsBridge::cardQualification(const CardQualificationRequest& request,
                                                         nlohmann::json context)
{
    auto xml = buildCardQualificationRequest(request, m_config.encoding);
    if (!xml) {
        return Unexpected(xml.error());
    }
    auto ticket = submit(Interface::CardQualification, *xml, std::move(context));
    if (!ticket) {
        return Unexpected(ticket.error());
    }
    return await(*ticket, m_config.singleTimeout);
}

Expected<ResultFile, Error> OqsBridge::bulkQualification(const QualificationRequest& request, nlohmann::json context)
{
    const auto deadline = std::chrono::steady_clock::now() + m_config.bulkTimeout;
    auto left = [&] {
        return std::max<std::chrono::milliseconds>(
            std::chrono::milliseconds(1),
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    };
    auto xml = buildQualificationRequest(request, true, m_config.encoding);
    if (!xml) {
        return Unexpected(xml.error());
    }
    auto upload = submit(Interface::BulkUpload, *xml, context);
    if (!upload) {
        return Unexpected(upload.error());
    }
    auto receipt = await(*upload, left());
    if (!receipt) {
        return receipt;
    }
    if (receipt->header.segmentOfResult == model::SegmentOfResult::Abnormal ||
        receipt->header.receptionNumber.empty()) {
        return Unexpected(
            Error{Errc::OqsFailed,
                  "the bulk upload was refused: " + receipt->header.errorCode + " " + receipt->header.errorMessage,
                  "ReceptionNumber"});
    }
    auto wait = m_config.pollFirst;
    for (;;) {
        BulkDownloadRequest download{m_config.medicalInstitutionCode, receipt->header.receptionNumber,
                                     request.header.arbitraryFileIdentifier};
        auto downloadXml = buildBulkDownloadRequest(download, m_config.encoding);
        if (!downloadXml) {
            return Unexpected(downloadXml.error());
        }
        auto ticket = submit(Interface::BulkDownload, *downloadXml, context);
        if (!ticket) {
            return Unexpected(ticket.error());
        }
        auto result = await(*ticket, left());
        if (!result) {
            return result;
        }
        if (result->header.segmentOfResult != model::SegmentOfResult::Processing) {
            return result; // 1 or 9: the caller reads the units or the error
        }
        if (std::chrono::steady_clock::now() + wait >= deadline) {
            return Unexpected(
                Error{Errc::Timeout,
                      "the bulk result " + receipt->header.receptionNumber + " was still processing at the deadline",
                      receipt->header.receptionNumber});
        }
        std::this_thread::sleep_for(wait); // 処理中: poll again with backoff [S:1]
        wait = std::min(wait * 2, m_config.pollMax);
    }
}

} // namespace zaitaku::sync::oqs
