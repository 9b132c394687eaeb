// zaitaku: the tablet app. `zaitaku` opens on the sign-in screen; `zaitaku --demo` starts the
// embedded demo stack (gateway on loopback with the simulated OQS terminal, an enrolled tablet store
// with the demo roster) and opens on the route; the virtual card comes through PC/SC when
// scripts/demo.sh has started it. Built without ZAITAKU_WITH_DEMO, the app has no --demo and links
// no gateway, simulator or test PKI.

#include "base/ProcessHardening.h"
#include "hardware/readers/ReaderRegistry.h"
#include "ui/app/AppPolicy.h"
#include "ui/app/MainWindow.h"
#include "ui/app/Style.h"
#if ZAITAKU_WITH_DEMO
#include "ui/demo/DemoStack.h"
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QTimer>
#include <iostream>

int main(int argc, char** argv)
{
    using namespace zaitaku;
    if (const auto problem = base::disableCoreDumps(); !problem.empty()) {
        std::cerr << "zaitaku: refusing to start: " << problem << "\n";
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("zaitaku"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("在宅 zaitaku: home-visit eligibility confirmation"));
    parser.addHelpOption();
    QCommandLineOption settingsFile(QStringLiteral("settings"), QStringLiteral("settings file"),
                                    QStringLiteral("FILE"));
    QCommandLineOption language(QStringLiteral("lang"), QStringLiteral("ja or en (overrides the settings)"),
                                QStringLiteral("LANG"));
    QCommandLineOption quitAfter(QStringLiteral("quit-after-ms"), QStringLiteral("close after N ms (smoke tests)"),
                                 QStringLiteral("N"));
    QCommandLineOption kiosk(QStringLiteral("kiosk"),
                             QStringLiteral("full screen, no way out but a manager's 終了 (the tablet's session)"));
    parser.addOptions({settingsFile, language, quitAfter, kiosk});
#if ZAITAKU_WITH_DEMO
    QCommandLineOption demo(QStringLiteral("demo"),
                            QStringLiteral("start the embedded demo stack and open on its route"));
    QCommandLineOption jpkiCa(QStringLiteral("jpki-ca"), QStringLiteral("the card CA for the demo gateway"),
                              QStringLiteral("FILE"));
    parser.addOptions({demo, jpkiCa});
#endif
    parser.process(app);

    const QString settingsPath =
        parser.isSet(settingsFile) ? parser.value(settingsFile) : app::AppSettings::defaultPath();
    QString problem;
    auto settings = app::AppSettings::load(settingsPath, &problem);
    if (!problem.isEmpty()) {
        std::cerr << "zaitaku: " << problem.toStdString() << "\n";
    }
    // The administrator's policy (security review M5, L11): the idle-lock cap and the printing.
    QString policyProblem;
    app::applyPolicy(settings, app::AppPolicy::load(QString::fromLatin1(app::AppPolicy::kDefaultPath), &policyProblem));
    if (!policyProblem.isEmpty()) {
        std::cerr << "zaitaku: " << policyProblem.toStdString() << "\n";
    }
    if (QFile cupsd(QStringLiteral("/etc/cups/cupsd.conf"));
        cupsd.open(QIODevice::ReadOnly) && app::cupsKeepsJobFiles(QString::fromUtf8(cupsd.readAll()))) {
        std::cerr << "zaitaku: CUPS keeps printed jobs' files in its spool (set PreserveJobFiles No in "
                     "/etc/cups/cupsd.conf: docs/OPERATIONS.md)\n";
    }
    if (parser.isSet(language)) {
        settings.language = parser.value(language) == QLatin1String("en") ? "en" : "ja";
    }
    app::applyStyle(app, settings.textSize);

    base::SystemClock clock;
    base::SteadyClock monotonic;
    base::SystemRandom random;
    app::SessionParts parts{clock,
                            monotonic,
                            random,
                            []() -> Expected<std::unique_ptr<device::CardReader>, device::Error> {
                                return std::unique_ptr<device::CardReader>(hardware::openReaderRegistry());
                            },
                            {}};
    app::QtDialogs dialogs;

#if ZAITAKU_WITH_DEMO
    std::unique_ptr<demo::DemoStack> stack;
    std::shared_ptr<app::AppSession> demoSession;
    if (parser.isSet(demo)) {
        auto started = demo::DemoStack::start(parser.value(jpkiCa).toStdString(), clock, monotonic, random);
        if (!started) {
            std::cerr << "zaitaku --demo: " << started.error() << "\n";
            return 1;
        }
        stack = std::move(*started);
        auto session = app::AppSession::adopt(stack->takeStore(), parts);
        if (!session) {
            std::cerr << "zaitaku --demo: " << session.error().message << "\n";
            return 1;
        }
        demoSession = std::move(*session);
        if (settings.facilityId.isEmpty()) {
            settings.facilityId = QStringLiteral("demo-facility");
        }
        std::cout << "zaitaku demo: gateway " << stack->url() << ", tablet " << stack->enrollment().deviceId
                  << "; close the window to end the demo\n";
    }
#endif
    int code = 0;
    {
        app::MainWindow window(settings, settingsPath, parts, dialogs);
#if ZAITAKU_WITH_DEMO
        if (demoSession) {
            window.adopt(demoSession, QStringLiteral("demo-nurse")); // the demo's signed-in nurse
            window.setBanner(QObject::tr("デモモード（ゲートウェイ %1）").arg(QString::fromStdString(stack->url())));
        }
        demoSession.reset();
#endif
        if (parser.isSet(kiosk)) {
            window.setKiosk(true);
        } else {
            window.show();
        }
        if (parser.isSet(quitAfter)) {
            QTimer::singleShot(parser.value(quitAfter).toInt(), &app, &QApplication::quit);
        }
        code = QApplication::exec();
    } // the window (and the session's store) close before the demo stack is torn down
    return code;
}
