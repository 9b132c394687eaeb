#include "ui/cli/CardCommand.h"

#include "base/AtomicFile.h"
#include "base/Bytes.h"
#include "device/mynacard/Certificate.h"
#include "device/mynacard/MynaCard.h"
#include "device/mynacard/VerificationCodeB.h"
#include "hardware/readers/UsbHotplugMonitor.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/SecretPrompt.h"
#include "verify/rules/CertificateExpiry.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

namespace
{

using base::Bytes;
using device::Errc;
using nlohmann::json;

struct CardOptions
{
    std::string sub;
    std::string reader;
    bool asJson = false;
    std::chrono::milliseconds timeout{5000};
    std::map<std::string, std::string> values; // --out, --challenge-hex, --code-b-file, --staff-override
    bool ca = false;
    bool keepPhoto = false; // face-photo: a diagnostic copy on disk, asked for explicitly
};

constexpr const char* kUsage =
    "usage: zaitaku-cli card <command> [--reader NAME|INDEX] [--json] [--timeout-ms N]\n"
    "commands:\n"
    "  readers                       list readers and whether a card is present\n"
    "  status                        card type, PIN tries left, certificate serial/expiry, sign cert, 顔認証 card\n"
    "  read-cert --out FILE [--ca]   write the user-authentication certificate (or its CA) as DER\n"
    "  verify-pin [--staff-override STAFF]\n"
    "                                ask for the PIN (no echo) and VERIFY it once; refuses at 1 try left\n"
    "                                unless staff override\n"
    "  sign --challenge-hex HEX [--staff-override STAFF]\n"
    "                                VERIFY the PIN, sign SHA-256(challenge), verify the signature on the host\n"
    "  face-photo [--code-b-file FILE] [--out FILE --keep-photo]\n"
    "                                照合番号B as \"birth=YYYY-MM-DD,expiry-year=YYYY,code=NNNN\"\n"
    "                                from FILE, else typed at the prompt\n"
    "                                read the chip photo (JPEG 2000) with 照合番号B and report it; the photo\n"
    "                                is not kept (顔写真は保存されません). Diagnostics only: --out FILE\n"
    "                                --keep-photo writes it (0600); remove the file after use\n"
    "  watch [--timeout-ms N]        report supported USB readers plugged in and pulled out (one line or\n"
    "                                JSON object each; readers already present come first) until N ms\n"
    "                                have passed, or until interrupted\n"
    "Exit: 0 ok, 1 the card or reader refused or failed, 2 bad arguments.\n"
    "The PIN is read from the terminal without echo, or as one line from a pipe. It is never logged.\n";

json errorJson(const device::Error& e)
{
    json j{{"error", e.message}, {"code", base::toCode(e.code)}};
    if (!e.field.empty()) {
        j["field"] = e.field;
    }
    return j;
}

// Prints `j` as JSON or as "key: value" lines.
void emit(CliContext& ctx, const CardOptions& o, const json& j)
{
    if (o.asJson) {
        ctx.out << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
        return;
    }
    for (const auto& [key, value] : j.items()) {
        ctx.out << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    }
}

int fail(CliContext& ctx, const CardOptions& o, const device::Error& e, json extra = json::object())
{
    json j = errorJson(e);
    j.update(extra);
    if (o.asJson) {
        emit(ctx, o, j);
    } else {
        ctx.err << "zaitaku-cli card " << o.sub << ": " << e.message << " [" << base::toCode(e.code) << "]\n";
    }
    return e.code == Errc::InvalidInput ? kExitBadInput : kExitFailure;
}

std::string pinStateCode(device::PinState s)
{
    switch (s) {
    case device::PinState::Available:
        return "available";
    case device::PinState::Blocked:
        return "blocked";
    case device::PinState::NotSet:
        return "not_set";
    case device::PinState::Verified:
        return "verified";
    }
    return "unknown";
}

std::string cardTypeCode(device::TokenType t)
{
    switch (t) {
    case device::TokenType::PlasticCard:
        return "my_number_card";
    case device::TokenType::Android:
    case device::TokenType::IPhone:
        return "smartphone_jpki";
    case device::TokenType::Unknown:
        break;
    }
    return "unknown";
}

// Opens the backend, picks the reader and connects; the backend lives as long as the channel.
struct Connection
{
    std::unique_ptr<device::CardReader> backend;
    device::ConnectedCard card;
};

Expected<Connection, device::Error> openCard(CliContext& ctx, const CardOptions& o, device::ShareMode mode)
{
    auto backend = openReaderBackend(ctx);
    if (!backend) {
        return Unexpected(backend.error());
    }
    auto card = device::connectSelected(**backend, o.reader, mode);
    if (!card) {
        return Unexpected(card.error());
    }
    return Connection{std::move(*backend), std::move(*card)};
}

json certificateJson(const Bytes& der, const base::Clock& clock)
{
    auto info = device::parseCertificate(der);
    if (!info) {
        return json{{"auth_cert_error", info.error().message}};
    }
    const auto expiry = info->notAfter.withOffset(base::Timestamp::kJstOffsetMinutes).localDate();
    const auto status = rules::certificateStatus(expiry, clock.todayJst());
    return json{
        {"auth_cert_serial", info->serialHex},
        {"auth_cert_not_before", info->notBefore.withOffset(base::Timestamp::kJstOffsetMinutes).toString()},
        {"auth_cert_not_after", info->notAfter.withOffset(base::Timestamp::kJstOffsetMinutes).toString()},
        {"auth_cert_state", base::toCode(status.state)},
        {"auth_cert_issuer", info->issuer},
    };
}

std::optional<device::LastTryOverride> overrideOf(const CardOptions& o)
{
    auto it = o.values.find("staff-override");
    if (it == o.values.end()) {
        return std::nullopt;
    }
    return device::LastTryOverride{it->second};
}

int readers(CliContext& ctx, const CardOptions& o)
{
    auto backend = openReaderBackend(ctx);
    if (!backend) {
        return fail(ctx, o, backend.error());
    }
    auto list = (*backend)->listReaders();
    if (!list) {
        return fail(ctx, o, list.error());
    }
    json arr = json::array();
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& r = (*list)[i];
        json entry{
            {"index", i}, {"id", r.id}, {"name", r.name}, {"card_present", r.cardPresent}, {"atr", base::toHex(r.atr)}};
        if (!r.problem.empty()) {
            entry["problem"] = r.problem;
        }
        arr.push_back(std::move(entry));
    }
    if (o.asJson) {
        emit(ctx, o, json{{"readers", arr}});
    } else {
        for (const auto& r : arr) {
            ctx.out << r.at("index").get<std::size_t>() << "  " << r.at("id").get<std::string>() << "  "
                    << (r.at("card_present").get<bool>() ? "card   " : "empty  ") << r.at("name").get<std::string>()
                    << (r.contains("problem") ? "  (" + r.at("problem").get<std::string>() + ")" : "") << "\n";
        }
    }
    return kExitOk;
}

// Hot-plug events as they come (UsbHotplugMonitor runs its own thread: events are queued and
// printed here, one per line).
int watch(CliContext& ctx, const CardOptions& o, bool bounded)
{
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<hardware::ReaderPlugEvent> events;
    auto monitor = hardware::UsbHotplugMonitor::start([&](const hardware::ReaderPlugEvent& e) {
        std::lock_guard lock(mutex);
        events.push_back(e);
        arrived.notify_all();
    });
    if (!monitor) {
        return fail(ctx, o, monitor.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + o.timeout;
    std::unique_lock lock(mutex);
    for (;;) {
        const auto more = [&] { return !events.empty(); };
        if (bounded ? !arrived.wait_until(lock, deadline, more) : (arrived.wait(lock, more), false)) {
            return kExitOk;
        }
        const hardware::ReaderPlugEvent e = events.front();
        events.pop_front();
        const json j{{"event", e.added ? "added" : "removed"},
                     {"model", std::string(e.reader.model)},
                     {"transport", std::string(hardware::transportName(e.reader.transport))},
                     {"usb_id",
                      [&] {
                          char id[10];
                          std::snprintf(id, sizeof id, "%04x:%04x", e.reader.vendor, e.reader.product);
                          return std::string(id);
                      }()},
                     {"bus", e.bus},
                     {"address", e.address}};
        if (o.asJson) {
            ctx.out << j.dump() << std::endl;
        } else {
            ctx.out << (e.added ? "added    " : "removed  ") << e.reader.model << " ("
                    << j.at("usb_id").get<std::string>() << ", " << j.at("transport").get<std::string>() << ") bus "
                    << e.bus << " address " << e.address << std::endl;
        }
    }
}

int status(CliContext& ctx, const CardOptions& o)
{
    auto conn = openCard(ctx, o, device::ShareMode::Shared);
    if (!conn) {
        return fail(ctx, o, conn.error());
    }
    device::MynaCard card(*conn->card.channel, o.timeout);
    auto info = card.classify();
    if (!info) {
        return fail(ctx, o, info.error());
    }
    const device::PinStatus* pin = &info->authPin;
    json j{{"reader", conn->card.reader.name},
           {"card_type", cardTypeCode(info->tokenType)},
           {"token_label", info->tokenLabel},
           {"auth_pin_state", pinStateCode(pin->state)},
           {"auth_pin_tries_left", pin->state == device::PinState::NotSet ? json(nullptr) : json(pin->triesLeft)},
           {"sign_cert_present", info->signCertPresent},
           {"face_auth_only", info->faceAuthOnly}};
    auto cert = card.readAuthCertificate();
    if (!cert) {
        return fail(ctx, o, cert.error());
    }
    j.update(certificateJson(*cert, ctx.clock));
    j["apdus"] = card.stats().apdus;
    emit(ctx, o, j);
    return kExitOk;
}

int readCert(CliContext& ctx, const CardOptions& o)
{
    auto out = o.values.find("out");
    if (out == o.values.end()) {
        return fail(ctx, o, device::Error{Errc::InvalidInput, "--out FILE is required", "out"});
    }
    auto conn = openCard(ctx, o, device::ShareMode::Shared);
    if (!conn) {
        return fail(ctx, o, conn.error());
    }
    device::MynaCard card(*conn->card.channel, o.timeout);
    auto der = o.ca ? card.readAuthCaCertificate() : card.readAuthCertificate();
    if (!der) {
        return fail(ctx, o, der.error());
    }
    if (auto written = base::writeFileAtomically(
            out->second, std::string_view(reinterpret_cast<const char*>(der->data()), der->size()), 0600);
        !written) {
        return fail(
            ctx, o,
            device::Error{Errc::InvalidInput, "cannot write " + out->second + ": " + written.error().message, "out"});
    }
    json j{{"out", out->second}, {"bytes", der->size()}, {"apdus", card.stats().apdus}};
    if (!o.ca) {
        j.update(certificateJson(*der, ctx.clock));
    }
    emit(ctx, o, j);
    return kExitOk;
}

// Asks for the PIN and VERIFYs it once; on success the card stays verified on `card`'s connection.
int verifyPinOn(device::MynaCard& card, CliContext& ctx, const CardOptions& o, bool& verified)
{
    verified = false;
    auto before = card.authPinStatus();
    if (!before) {
        return fail(ctx, o, before.error());
    }
    if (before->state == device::PinState::Available && !o.asJson) {
        ctx.err << "暗証番号の残り回数 / PIN tries left: " << before->triesLeft << "\n";
    }
    std::string line = readSecretLine(ctx, "利用者証明用電子証明書の暗証番号（4桁） / PIN (4 digits): ");
    auto pin = device::makeAuthPin(line);
    wipe(line);
    if (!pin) {
        return fail(ctx, o, pin.error());
    }
    auto outcome = card.verifyAuthPin(*pin, overrideOf(o));
    if (!outcome) {
        json extra = json::object();
        if (outcome.error().code == Errc::PinLastTry) {
            extra["auth_pin_tries_left"] = 1;
        } else if (outcome.error().code == Errc::PinBlocked) {
            extra["auth_pin_tries_left"] = 0;
        }
        return fail(ctx, o, outcome.error(), extra);
    }
    if (!outcome->verified) {
        const json j{{"verified", false},
                     {"auth_pin_tries_left", outcome->triesLeft},
                     {"error", "wrong PIN"},
                     {"code", "pin_incorrect"}};
        if (o.asJson) {
            emit(ctx, o, j);
        } else {
            ctx.err << "暗証番号が違います。残り " << outcome->triesLeft << " 回 / Wrong PIN: " << outcome->triesLeft
                    << " tries left\n";
        }
        return kExitFailure;
    }
    verified = true;
    return kExitOk;
}

int verifyPin(CliContext& ctx, const CardOptions& o)
{
    auto conn = openCard(ctx, o, device::ShareMode::Exclusive);
    if (!conn) {
        return fail(ctx, o, conn.error());
    }
    device::MynaCard card(*conn->card.channel, o.timeout);
    bool verified = false;
    const int code = verifyPinOn(card, ctx, o, verified);
    if (verified) {
        emit(ctx, o, json{{"verified", true}, {"apdus", card.stats().apdus}});
    }
    return code;
}

int sign(CliContext& ctx, const CardOptions& o)
{
    auto hex = o.values.find("challenge-hex");
    if (hex == o.values.end()) {
        return fail(ctx, o, device::Error{Errc::InvalidInput, "--challenge-hex HEX is required", "challenge-hex"});
    }
    auto challenge = base::fromHex(hex->second);
    if (!challenge || challenge->empty()) {
        return fail(ctx, o, device::Error{Errc::InvalidInput, "--challenge-hex is not hex", "challenge-hex"});
    }
    auto conn = openCard(ctx, o, device::ShareMode::Exclusive);
    if (!conn) {
        return fail(ctx, o, conn.error());
    }
    device::MynaCard card(*conn->card.channel, o.timeout);
    auto cert = card.readAuthCertificate();
    if (!cert) {
        return fail(ctx, o, cert.error());
    }
    bool verified = false;
    if (const int code = verifyPinOn(card, ctx, o, verified); !verified) {
        return code;
    }
    auto signature = card.signChallenge(*challenge);
    if (!signature) {
        return fail(ctx, o, signature.error());
    }
    auto valid = device::verifySha256Signature(*cert, *challenge, *signature);
    json j{{"signature_hex", base::toHex(*signature)},
           {"signature_valid", valid && *valid},
           {"apdus", card.stats().apdus}};
    j.update(certificateJson(*cert, ctx.clock));
    emit(ctx, o, j);
    return valid && *valid ? kExitOk : kExitFailure;
}

int facePhoto(CliContext& ctx, const CardOptions& o)
{
    if (o.values.contains("pin-b-from")) {
        return fail(ctx, o, device::Error{Errc::InvalidInput, secretOnCommandLine("--pin-b-from", "--code-b-file")});
    }
    // Seed 002: 「顔写真は機器に保存されません」. The photo is read, reported and wiped; a file only on
    // an explicit diagnostic request.
    auto out = o.values.find("out");
    if (out != o.values.end() && !o.keepPhoto) {
        return fail(ctx, o,
                    device::Error{Errc::InvalidInput,
                                  "--out writes the patient's card photo to disk: add --keep-photo to confirm a "
                                  "diagnostic copy (remove it after use), or leave --out out",
                                  "out"});
    }
    const auto codeFile = o.values.find("code-b-file");
    std::string problem;
    auto spec = secretFromFileOrPrompt(ctx, codeFile == o.values.end() ? std::string() : codeFile->second,
                                       "照合番号B (birth=YYYY-MM-DD,expiry-year=YYYY,code=NNNN): ", problem);
    if (!spec) {
        return fail(ctx, o, device::Error{Errc::InvalidInput, problem});
    }
    auto codeB = device::parseVerificationCodeB(*spec);
    wipe(*spec);
    if (!codeB) {
        return fail(ctx, o, codeB.error());
    }
    auto conn = openCard(ctx, o, device::ShareMode::Exclusive);
    if (!conn) {
        return fail(ctx, o, conn.error());
    }
    device::MynaCard card(*conn->card.channel, o.timeout);
    auto photo = card.readFacePhoto(*codeB, overrideOf(o));
    if (!photo) {
        json extra = json::object();
        if (auto st = card.verificationCodeBStatus(); st && st->state == device::PinState::Available) {
            extra["code_b_tries_left"] = st->triesLeft;
        }
        return fail(ctx, o, photo.error(), extra);
    }
    // A face image: the owner's alone (0600), and never written through a planted link.
    if (out != o.values.end()) {
        if (auto written = base::writeFileAtomically(
                out->second,
                std::string_view(reinterpret_cast<const char*>(photo->jpeg2000.data()), photo->jpeg2000.size()), 0600);
            !written) {
            base::wipe(photo->jpeg2000);
            return fail(ctx, o,
                        device::Error{Errc::InvalidInput,
                                      "cannot write " + out->second + ": " + written.error().message, "out"});
        }
    }
    const std::size_t bytes = photo->jpeg2000.size();
    base::wipe(photo->jpeg2000);
    emit(ctx, o,
         json{{"out", out != o.values.end() ? json(out->second) : json(nullptr)},
              {"kept", out != o.values.end()},
              {"photo_bytes", bytes},
              {"photo_format", "jp2"},
              {"birthdate", photo->birthdate ? json(photo->birthdate->toString()) : json(nullptr)},
              {"card_expiry", photo->cardExpiry ? json(photo->cardExpiry->toString()) : json(nullptr)},
              {"apdus", card.stats().apdus}});
    return kExitOk;
}

} // namespace

int runCard(const Args& args, CliContext& ctx)
{
    static const OptionSpec kSpec{
        {"--json", "--ca", "--keep-photo"},
        {"--reader", "--timeout-ms", "--out", "--challenge-hex", "--pin-b-from", "--code-b-file", "--staff-override"},
        false};
    auto command = parseSubcommand(args, kSpec, "card", kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    const CommandOptions& parsed = *command.options;
    CardOptions o;
    o.sub = parsed.sub;
    o.asJson = parsed.has("--json");
    o.ca = parsed.has("--ca");
    o.keepPhoto = parsed.has("--keep-photo");
    o.reader = parsed.value("reader");
    o.values = parsed.values;
    if (const std::string v = parsed.value("timeout-ms"); parsed.values.contains("timeout-ms")) {
        if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) {
            ctx.err << "zaitaku-cli card: --timeout-ms takes milliseconds\n";
            return kExitBadInput;
        }
        o.timeout = std::chrono::milliseconds(std::stoi(v));
    }
    if (o.sub == "readers") {
        return readers(ctx, o);
    }
    if (o.sub == "watch") {
        return watch(ctx, o, parsed.values.contains("timeout-ms"));
    }
    if (o.sub == "status") {
        return status(ctx, o);
    }
    if (o.sub == "read-cert") {
        return readCert(ctx, o);
    }
    if (o.sub == "verify-pin") {
        return verifyPin(ctx, o);
    }
    if (o.sub == "sign") {
        return sign(ctx, o);
    }
    if (o.sub == "face-photo") {
        return facePhoto(ctx, o);
    }
    ctx.err << "zaitaku-cli card: unknown command '" << o.sub << "'\n" << kUsage;
    return kExitBadInput;
}

} // namespace zaitaku::cli
