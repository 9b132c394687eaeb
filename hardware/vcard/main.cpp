// zaitaku-vcard: a virtual My Number Card served to pcscd through vpcd.

#include "base/Clock.h"
#include "hardware/vcard/Persona.h"
#include "hardware/vcard/TestPki.h"
#include "hardware/vcard/VirtualCard.h"
#include "hardware/vcard/VpcdLink.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <unistd.h>

namespace
{

using namespace zaitaku;

hardware::VpcdControl g_control;

void onSignal(int sig)
{
    if (sig == SIGUSR1) {
        g_control.inserted = false;
    } else if (sig == SIGUSR2) {
        g_control.inserted = true;
    } else {
        g_control.stop = true;
    }
    const char byte = 1;
    (void)!write(g_control.wakeFd, &byte, 1);
}

void usage(FILE* out)
{
    std::fprintf(out,
                 "usage: zaitaku-vcard [--persona NAME | --persona-file FILE] [--pki-dir DIR] [--photo IMAGE]\n"
                 "                     [--host 127.0.0.1] [--port 35963] [--remove-after N] [--verbose]\n"
                 "                     [--write-ca FILE] [--issued-at YYYY-MM-DDTHH:MM:SS+09:00] [--list-personas]\n"
                 "A virtual My Number Card (JPKI AP, 券面事項確認AP, refusing text AP) for pcscd's vpcd driver.\n"
                 "Signals: SIGUSR1 removes the card, SIGUSR2 inserts it, SIGTERM stops.\n"
                 "Personas: valid (PIN 1234), one-try-left, blocked, face-auth-only, expired-cert,\n"
                 "          expiring-cert, child. 照合番号B data of 'valid': birth=1980-02-17,\n"
                 "          expiry-year=2035, code=2285.\n");
}

} // namespace

int main(int argc, char** argv)
{
    std::string personaName = "valid";
    std::string personaFile;
    std::string pkiDir;
    std::string photo;
    std::string writeCa;
    std::string issuedAt;
    hardware::VpcdOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "zaitaku-vcard: %s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        } else if (arg == "--list-personas") {
            for (const auto& name : hardware::builtinPersonaNames()) {
                std::printf("%s\n", name.c_str());
            }
            return 0;
        } else if (arg == "--persona") {
            personaName = next();
        } else if (arg == "--persona-file") {
            personaFile = next();
        } else if (arg == "--pki-dir") {
            pkiDir = next();
        } else if (arg == "--photo") {
            photo = next();
        } else if (arg == "--host") {
            options.host = next();
        } else if (arg == "--port") {
            options.port = std::atoi(next().c_str());
        } else if (arg == "--remove-after") {
            options.removeAfterApdus = std::atoi(next().c_str());
        } else if (arg == "--write-ca") {
            writeCa = next();
        } else if (arg == "--issued-at") {
            issuedAt = next();
        } else if (arg == "--verbose") {
            options.verbose = true;
        } else {
            std::fprintf(stderr, "zaitaku-vcard: unknown argument '%s'\n", arg.c_str());
            usage(stderr);
            return 2;
        }
    }
    auto persona = personaFile.empty() ? hardware::builtinPersona(personaName) : hardware::loadPersonaFile(personaFile);
    if (!persona) {
        std::fprintf(stderr, "zaitaku-vcard: %s\n", persona.error().message.c_str());
        return 2;
    }
    if (!photo.empty()) {
        persona->photoPath = photo;
    }
    const base::SystemClock clock;
    // --issued-at fixes the certificates' dates, so two virtual cards of a persona are the same
    // card byte for byte (tests comparing readers); by default they are issued now.
    auto issued =
        issuedAt.empty() ? Expected<base::Timestamp, base::Error>(clock.nowJst()) : base::Timestamp::parse(issuedAt);
    if (!issued) {
        std::fprintf(stderr, "zaitaku-vcard: --issued-at: %s\n", issued.error().message.c_str());
        return 2;
    }
    auto pki = hardware::TestPki::open(pkiDir, *issued);
    if (!pki) {
        std::fprintf(stderr, "zaitaku-vcard: %s\n", pki.error().message.c_str());
        return 1;
    }
    auto image = hardware::buildCardImage(*persona, *pki, *issued);
    if (!image) {
        std::fprintf(stderr, "zaitaku-vcard: %s\n", image.error().message.c_str());
        return 1;
    }
    if (!writeCa.empty()) {
        std::ofstream(writeCa, std::ios::binary)
            .write(reinterpret_cast<const char*>(image->caCertificateDer.data()),
                   static_cast<std::streamsize>(image->caCertificateDer.size()));
    }
    hardware::VirtualCard card(std::move(*image));

    int pipeFds[2];
    if (pipe2(pipeFds, O_NONBLOCK | O_CLOEXEC) != 0) {
        std::perror("pipe2");
        return 1;
    }
    g_control.wakeFd = pipeFds[1];
    struct sigaction sa
    {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGUSR1, SIGUSR2, SIGTERM, SIGINT}) {
        sigaction(sig, &sa, nullptr);
    }
    std::fprintf(stderr, "vcard: persona '%s'\n", persona->name.c_str());
    hardware::VpcdLink link(card, options, g_control, pipeFds[0]);
    const int code = link.run();
    if (card.forbiddenAccesses() > 0) {
        std::fprintf(stderr, "vcard: FORBIDDEN ACCESSES: %d\n", card.forbiddenAccesses());
    }
    return code;
}
