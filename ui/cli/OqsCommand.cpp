#include "ui/cli/OqsCommand.h"

#include "base/AtomicFile.h"
#include "base/BoundedJson.h"
#include "sync/oqs/OqsBridge.h"
#include "sync/oqs/OqsRequests.h"
#include "sync/oqs/OqsResults.h"
#include "sync/oqs/OqsSimulator.h"
#include "sync/oqs/Xml.h"
#include "ui/cli/CommandOptions.h"

#include <filesystem>
#include <thread>

namespace zaitaku::cli
{

namespace
{

namespace oqs = sync::oqs;

int fail(CliContext& ctx, const CommandOptions& o, const char* command, const sync::Error& e)
{
    const bool badInput =
        e.code == sync::Errc::InvalidInput || e.code == sync::Errc::XmlMalformed || e.code == sync::Errc::XmlEncoding;
    return reportFailure(ctx, o, command, failureOf(e, badInput ? kExitBadInput : kExitFailure));
}

std::optional<std::string> readFile(const std::string& path)
{
    auto bytes = base::readSmallFile(path, oqs::kMaxXmlBytes + 1);
    return bytes ? std::optional<std::string>(std::move(*bytes)) : std::nullopt;
}

Expected<oqs::TextEncoding, sync::Error> encodingOf(const CommandOptions& o)
{
    const auto name = o.value("encoding");
    if (name.empty() || name == "shift_jis") {
        return oqs::TextEncoding::ShiftJis;
    }
    if (name == "utf-8") {
        return oqs::TextEncoding::Utf8;
    }
    return Unexpected(sync::Error{sync::Errc::InvalidInput, "--encoding must be shift_jis or utf-8", "encoding"});
}

std::string text(const nlohmann::json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

Expected<std::optional<base::Date>, sync::Error> dateOf(const nlohmann::json& j, const char* key)
{
    const auto t = text(j, key);
    if (t.empty()) {
        return std::optional<base::Date>();
    }
    auto d = base::Date::parse(t);
    if (!d) {
        return Unexpected(sync::Error{sync::Errc::InvalidInput, std::string(key) + " must be YYYY-MM-DD", key});
    }
    return std::optional<base::Date>(*d);
}

// {"interface": "qualification"|"bulk"|"bulk_download"|"consented_bulk"|"card"|"drug"|"checkup",
//  "medical_institution_code", "date", "file_id", "patients": [{insurer_number, insured_card_symbol,
//  insured_identification_number, insured_branch_number, birthdate, arbitrary_identifier}],
//  "reception_number", "certificate_file" (DER), "limit_application_certificate_related_cons_flg" (card:
//  "1" or "0", as the patient chose), "consent_from", "consent_to", "start_date", "end_date"}
Expected<std::pair<oqs::Interface, std::string>, sync::Error> buildFrom(const nlohmann::json& spec,
                                                                        oqs::TextEncoding encoding)
{
    using R = Expected<std::pair<oqs::Interface, std::string>, sync::Error>;
    auto done = [](oqs::Interface iface, Expected<std::string, sync::Error> xml) -> R {
        if (!xml) {
            return Unexpected(xml.error());
        }
        return std::make_pair(iface, *xml);
    };
    const std::string kind = text(spec, "interface");
    auto date = dateOf(spec, "date");
    if (!date) {
        return Unexpected(date.error());
    }
    oqs::RequestHeader header{*date, text(spec, "medical_institution_code"), text(spec, "file_id")};
    if (kind == "qualification" || kind == "bulk") {
        oqs::QualificationRequest r{header, {}};
        for (const auto& p : spec.value("patients", nlohmann::json::array())) {
            auto birth = dateOf(p, "birthdate");
            if (!birth) {
                return Unexpected(birth.error());
            }
            r.search.push_back({text(p, "insurer_number"), text(p, "insured_card_symbol"),
                                text(p, "insured_identification_number"), text(p, "insured_branch_number"), *birth,
                                text(p, "limit_application_certificate_related_cons_flg"),
                                text(p, "arbitrary_identifier")});
        }
        const bool bulk = kind == "bulk";
        return done(bulk ? oqs::Interface::BulkUpload : oqs::Interface::Qualification,
                    oqs::buildQualificationRequest(r, bulk, encoding));
    }
    if (kind == "bulk_download") {
        return done(oqs::Interface::BulkDownload,
                    oqs::buildBulkDownloadRequest(
                        {header.medicalInstitutionCode, text(spec, "reception_number"), header.arbitraryFileIdentifier},
                        encoding));
    }
    if (kind == "consented_bulk") {
        auto from = dateOf(spec, "consent_from");
        auto to = dateOf(spec, "consent_to");
        if (!from || !to) {
            return Unexpected(from ? to.error() : from.error());
        }
        return done(oqs::Interface::ConsentedBulkUpload,
                    oqs::buildConsentedBulkRequest({header, *from, *to, "2"}, encoding));
    }
    if (kind == "card") {
        auto der = readFile(text(spec, "certificate_file"));
        if (!der) {
            return Unexpected(
                sync::Error{sync::Errc::InvalidInput, "cannot read certificate_file", "certificate_file"});
        }
        // The patient's answer to 「限度額情報を提供しますか」 [seed 001], as chosen: 1 提供する, 0 提供しない.
        const auto limit = text(spec, "limit_application_certificate_related_cons_flg");
        if (limit != "0" && limit != "1") {
            return Unexpected(sync::Error{sync::Errc::InvalidInput,
                                          "limit_application_certificate_related_cons_flg must be \"1\" (提供する) "
                                          "or \"0\" (提供しない), as the patient chose",
                                          "limit_application_certificate_related_cons_flg"});
        }
        return done(oqs::Interface::CardQualification,
                    oqs::buildCardQualificationRequest({header, {der->begin(), der->end()}, limit}, encoding));
    }
    if (kind == "drug" || kind == "checkup") {
        const auto& p = spec.value("patients", nlohmann::json::array());
        const auto& first = p.empty() ? nlohmann::json::object() : p[0];
        auto start = dateOf(spec, "start_date");
        auto end = dateOf(spec, "end_date");
        if (!start || !end) {
            return Unexpected(start ? end.error() : start.error());
        }
        oqs::MedicalInfoRequest r{kind == "drug",
                                  header.medicalInstitutionCode,
                                  text(first, "insurer_number"),
                                  text(first, "insured_card_symbol"),
                                  text(first, "insured_identification_number"),
                                  text(first, "insured_branch_number"),
                                  header.arbitraryFileIdentifier,
                                  *start,
                                  *end,
                                  text(spec, "file_category"),
                                  text(spec, "pr_di_inf_classification"),
                                  "2"};
        return done(kind == "drug" ? oqs::Interface::DrugInfo : oqs::Interface::CheckupInfo,
                    oqs::buildMedicalInfoRequest(r, encoding));
    }
    return Unexpected(sync::Error{sync::Errc::InvalidInput,
                                  "interface must be qualification, bulk, bulk_download, consented_bulk, card, drug or "
                                  "checkup",
                                  "interface"});
}

int parseCommand(const CommandOptions& o, CliContext& ctx)
{
    if (o.positional.size() != 1) {
        return fail(ctx, o, "oqs parse", {sync::Errc::InvalidInput, "give one result file", "file"});
    }
    auto bytes = readFile(o.positional[0]);
    if (!bytes) {
        return fail(ctx, o, "oqs parse", {sync::Errc::InvalidInput, "cannot read " + o.positional[0], "file"});
    }
    auto file = oqs::parseResult(*bytes);
    if (!file) {
        return fail(ctx, o, "oqs parse", file.error());
    }
    const auto json = oqs::resultToJson(*file);
    if (o.has("--json")) {
        ctx.out << json.dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& unit : json.is_array() ? json : nlohmann::json::array({json})) {
        ctx.out << unit.value("outcome", "receipt") << ": " << unit.value("name", "") << " "
                << unit.value("insurer_number", "") << " copay "
                << (unit.contains("copay_percent") && unit["copay_percent"].is_number()
                        ? std::to_string(unit["copay_percent"].get<int>()) + "%"
                        : std::string("-"))
                << "\n";
        for (const auto& w : unit.value("warnings", nlohmann::json::array())) {
            ctx.out << "  warning: " << w.get<std::string>() << "\n";
        }
        for (const auto& t : unit.value("unknown_tags", nlohmann::json::array())) {
            ctx.out << "  unknown tag: " << t.get<std::string>() << "\n";
        }
    }
    return kExitOk;
}

int buildCommand(const CommandOptions& o, CliContext& ctx)
{
    auto encoding = encodingOf(o);
    if (!encoding) {
        return fail(ctx, o, "oqs build-request", encoding.error());
    }
    auto specText = o.value("from").empty() ? std::optional<std::string>() : readFile(o.value("from"));
    if (!specText) {
        return fail(ctx, o, "oqs build-request",
                    {sync::Errc::InvalidInput, "--from FILE.json (the request) is required and readable", "from"});
    }
    auto spec = base::parseJson(*specText);
    if (spec.is_discarded()) {
        return fail(ctx, o, "oqs build-request", {sync::Errc::InvalidInput, "--from is not JSON", "from"});
    }
    auto built = buildFrom(spec, *encoding);
    if (!built) {
        return fail(ctx, o, "oqs build-request", built.error());
    }
    const std::string id = text(spec, "file_id").empty() ? "000000000001" : text(spec, "file_id");
    const std::string name = oqs::fileNameOf(built->first, true, id);
    if (o.value("out").empty()) {
        ctx.out << built->second;
        return kExitOk;
    }
    // As the bridge writes: complete in a temporary name, then renamed into place.
    const auto path = (std::filesystem::path(o.value("out")) / name).string();
    if (auto done = base::writeFileAtomically(path, built->second, 0644); !done) {
        return fail(ctx, o, "oqs build-request", sync::fromBase(done.error()));
    }
    if (o.has("--json")) {
        ctx.out << nlohmann::json{{"file", path}, {"bytes", built->second.size()}}.dump() << "\n";
    } else {
        ctx.out << path << "\n";
    }
    return kExitOk;
}

} // namespace

int runOqs(const Args& args, CliContext& ctx)
{
    auto o = parseCommandOptions(args, OptionSpec{{"--json"}, {"--from", "--out", "--encoding"}, true}, "oqs", ctx);
    if (!o) {
        return kExitBadInput;
    }
    const std::string sub = args.empty() ? std::string() : args[0];
    if (o->help || sub.empty()) {
        ctx.out << "usage: zaitaku-cli oqs parse FILE.xml [--json]\n"
                   "       zaitaku-cli oqs build-request --from REQUEST.json [--out DIR] [--encoding shift_jis|utf-8] "
                   "[--json]\n";
        return sub.empty() && !o->help ? kExitBadInput : kExitOk;
    }
    if (sub == "parse") {
        return parseCommand(*o, ctx);
    }
    if (sub == "build-request") {
        return buildCommand(*o, ctx);
    }
    return fail(ctx, *o, "oqs", {sync::Errc::InvalidInput, "unknown sub-command '" + sub + "'", "command"});
}

int runOqsSimulator(const Args& args, CliContext& ctx, const std::atomic<bool>& stop)
{
    Args withSub{"run"};
    withSub.insert(withSub.end(), args.begin(), args.end());
    auto o = parseCommandOptions(
        withSub, OptionSpec{{"--json"}, {"--population", "--dir", "--encoding", "--interval-ms"}, false},
        "zaitaku-oqs-sim", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out << "usage: zaitaku-oqs-sim --population FILE.json --dir DIR [--encoding shift_jis|utf-8] "
                   "[--interval-ms 20]\n  answers DIR/req/*.xml in DIR/res/ (docs/OQS.md)\n";
        return kExitOk;
    }
    auto encoding = encodingOf(*o);
    if (!encoding) {
        return fail(ctx, *o, "zaitaku-oqs-sim", encoding.error());
    }
    auto population = oqs::loadPopulation(o->value("population"));
    if (!population) {
        return fail(ctx, *o, "zaitaku-oqs-sim", population.error());
    }
    const std::filesystem::path dir = o->value("dir");
    if (dir.empty()) {
        return fail(ctx, *o, "zaitaku-oqs-sim", {sync::Errc::InvalidInput, "--dir DIR is required", "dir"});
    }
    std::error_code ec;
    std::filesystem::create_directories(dir / "req", ec);
    std::filesystem::create_directories(dir / "res", ec);
    int interval = 20;
    if (!o->value("interval-ms").empty()) {
        interval = std::atoi(o->value("interval-ms").c_str());
        if (interval < 1 || interval > 10000) {
            return fail(ctx, *o, "zaitaku-oqs-sim",
                        {sync::Errc::InvalidInput, "--interval-ms must be 1..10000", "interval-ms"});
        }
    }
    oqs::OqsSimulator simulator(std::move(*population), dir / "req", dir / "res", ctx.clock, *encoding);
    ctx.out << "zaitaku-oqs-sim: answering " << (dir / "req").string() << " in " << (dir / "res").string() << "\n";
    ctx.out.flush();
    while (!stop) {
        if (simulator.pollOnce() == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(interval));
        }
    }
    ctx.out << "zaitaku-oqs-sim: stopped after " << simulator.answered() << " answers\n";
    return kExitOk;
}

} // namespace zaitaku::cli
