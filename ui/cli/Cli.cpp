#include "ui/cli/Cli.h"

#include "ui/cli/CardCommand.h"
#include "ui/cli/CustodyCommand.h"
#if ZAITAKU_WITH_DEMO
#include "ui/cli/DemoCommand.h"
#endif
#include "ui/cli/FaceCommand.h"
#include "ui/cli/OqsCommand.h"
#include "ui/cli/RouteCommand.h"
#include "ui/cli/RulesCommand.h"
#include "ui/cli/StoreCommand.h"
#include "ui/cli/SyncCommand.h"
#include "ui/cli/VisitCommand.h"

#include <algorithm>
#include <ostream>

namespace zaitaku::cli
{

namespace
{

struct Command
{
    const char* name;
    const char* summary;
    int (*run)(const Args&, CliContext&);
};

constexpr Command kCommands[] = {
    {"rules", "evaluate the eligibility rules (JSON on stdin, or --flags)", runRules},
    {"card", "talk to the My Number Card (readers, status, certificate, PIN, signature, photo)", runCard},
    {"store", "the encrypted store: init, unlock-check, stats, verify-audit, purge, export, import-patients", runStore},
    {"visit", "a visit at the door: first (F1), revisit (F2), fallback (F6), status", runVisit},
    {"face", "face verification: match two pictures, verify against a camera, calibrate, probe", runFace},
    {"custody", "the card custody ledger: deposit, checkout, return, list", runCustody},
    {"enroll", "enroll this tablet with a gateway (one-time code)", runEnroll},
    {"sync", "send queued records, fetch challenges and results", runSync},
    {"sync-status", "queued / sending / acked / dead-letter counts, last success, clock skew", runSyncStatus},
    {"route", "today's route from the tablet's cache (offline): ages, cached results, flags", runRoute},
    {"precheck", "route pre-check: today's patients, their latest results and flags", runPrecheck},
    {"sync-retry", "put a dead letter back in the queue (audited)", runSyncRetry},
    {"requery", "re-query a continuing patient's eligibility without the card (F2, when R7 allows)", runRequery},
    {"medinfo", "a patient's お薬・健診 (薬剤・特定健診情報) within the consented window", runMedicalInfo},
    {"oqs", "the OQS XML codec: parse a result file, build request files", runOqs},
#if ZAITAKU_WITH_DEMO
    {"demo", "run the embedded demo", runDemo},
#endif
};

void printUsage(std::ostream& out)
{
    out << "usage: zaitaku-cli <command> [options]\n"
           "zaitaku (在宅): offline-first verification for home visits.\n\ncommands:\n";
    for (const auto& command : kCommands) {
        out << "  " << command.name
            << std::string(std::max<int>(1, 13 - static_cast<int>(std::string(command.name).size())), ' ')
            << command.summary << "\n";
    }
    out << "\n`zaitaku-cli <command> --help` describes a command.\n";
}

} // namespace

int runCli(const Args& args, CliContext& ctx)
{
    if (args.empty()) {
        printUsage(ctx.err);
        return kExitBadInput;
    }
    if (isHelpFlag(args[0])) {
        printUsage(ctx.out);
        return kExitOk;
    }
    if (args[0] == "--version") {
        ctx.out << "zaitaku-cli " ZAITAKU_VERSION "\n";
        return kExitOk;
    }
    for (const auto& command : kCommands) {
        if (args[0] == command.name) {
            return command.run(Args(args.begin() + 1, args.end()), ctx);
        }
    }
    ctx.err << "zaitaku-cli: unknown command '" << args[0] << "'\n";
    printUsage(ctx.err);
    return kExitBadInput;
}

} // namespace zaitaku::cli
