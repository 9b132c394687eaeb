// The administrator's policy for every tablet (security review M5, L11): the idle-lock cap and
// the printing are not the nurse's to change; a form never goes to a printer in clear.

#include "ui/app/AppPolicy.h"

#include "support/TempDir.h"
#include "ui/app/visit/PrintSpool.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

using app::AppPolicy;

class AppPolicyTest : public ::testing::Test
{
protected:
    void SetUp() override { dir = makeTempDir("zaitaku-policy"); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    QString write(const std::string& name, const std::string& content, std::filesystem::perms mode)
    {
        const auto path = dir / name;
        std::ofstream(path) << content;
        std::filesystem::permissions(path, mode);
        return QString::fromStdString(path.string());
    }
    static constexpr auto kReadable = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                      std::filesystem::perms::group_read | std::filesystem::perms::others_read;
    std::filesystem::path dir;
};

TEST_F(AppPolicyTest, ThePolicyCapsTheLockAndDecidesThePrinting)
{
    // L11: any staff member could set the idle lock to 60 min, and print_command (executed) came
    // from the user's own settings file.
    const auto path = write("policy.json",
                            R"({"max_auto_lock_minutes": 10, "print_command": ["lp", "-d", "ward-2f"],)"
                            R"( "printer_check": ["lpstat", "-v", "ward-2f"]})",
                            kReadable);
    QString problem;
    const auto policy = AppPolicy::load(path, &problem, ::getuid());
    EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
    app::AppSettings settings;
    settings.autoLockMinutes = 60;
    settings.printCommand = QStringList{QStringLiteral("/home/nurse/evil.sh")};
    app::applyPolicy(settings, policy);
    EXPECT_EQ(settings.autoLockMinutes, 10);
    EXPECT_EQ(settings.maxAutoLockMinutes, 10);
    EXPECT_EQ(settings.printCommand.join(' '), QStringLiteral("lp -d ward-2f"));
    EXPECT_EQ(settings.printerCheck.join(' '), QStringLiteral("lpstat -v ward-2f"));

    const auto fallback = AppPolicy::load(QString::fromStdString((dir / "absent.json").string()), &problem, ::getuid());
    EXPECT_EQ(fallback.printCommand.join(' '), QStringLiteral("lp -o job-sheets=none -t zaitaku"))
        << "no banner page, no patient in the job title";
    EXPECT_EQ(fallback.maxAutoLockMinutes, 15);
}

TEST_F(AppPolicyTest, APolicyOthersCanWriteIsNoPolicy)
{
    const auto path =
        write("policy.json", R"({"max_auto_lock_minutes": 60})", kReadable | std::filesystem::perms::others_write);
    QString problem;
    const auto policy = AppPolicy::load(path, &problem, ::getuid());
    EXPECT_NE(problem.indexOf(QStringLiteral("writable")), -1) << problem.toStdString();
    EXPECT_EQ(policy.maxAutoLockMinutes, 15) << "the defaults, not the file";
    problem.clear();
    AppPolicy::load(write("other.json", "{}", kReadable), &problem, ::getuid() + 1);
    EXPECT_NE(problem.indexOf(QStringLiteral("root")), -1) << "another user's file";
    problem.clear();
    AppPolicy::load(write("bad.json", R"({"max_auto_lock_minutes": 0})", kReadable), &problem, ::getuid());
    EXPECT_FALSE(problem.isEmpty());
}

TEST_F(AppPolicyTest, AFormGoesOnlyToAnIppsOrUsbPrinter)
{
    // M5: with an IPP, LPD or socket printer the form (name, insurer numbers, signature) crossed
    // the network in clear.
    EXPECT_TRUE(app::printerUriProblem(QStringLiteral("device for ward-2f: ipps://printer.lan/ipp/print")).isEmpty());
    EXPECT_TRUE(app::printerUriProblem(QStringLiteral("device for desk: usb://Brother/HL-L2375DW?serial=1")).isEmpty());
    for (const char* clear : {"device for w: ipp://10.0.0.5/ipp/print", "device for w: socket://10.0.0.5:9100",
                              "device for w: lpd://10.0.0.5/queue", "no such printer"}) {
        EXPECT_FALSE(app::printerUriProblem(QString::fromUtf8(clear)).isEmpty()) << clear;
    }

    const auto out = dir / "printed";
    const auto printer = write("lp", "#!/bin/sh\ncp \"$1\" " + out.string() + "\n", std::filesystem::perms::owner_all);
    const auto clearCheck = write("lpstat", "#!/bin/sh\necho 'device for ward-2f: ipp://10.0.0.5/ipp/print'\n",
                                  std::filesystem::perms::owner_all);
    app::PrintJob job{{printer}, std::chrono::seconds(10), {clearCheck}};
    QString problem;
    EXPECT_FALSE(app::printPrivately("%PDF-1.4 form", job, &problem));
    EXPECT_NE(problem.indexOf(QStringLiteral("ipp:")), -1) << problem.toStdString();
    EXPECT_FALSE(std::filesystem::exists(out)) << "nothing was sent";
    job.printerCheck = {write("lpstat-ok", "#!/bin/sh\necho 'device for ward-2f: ipps://printer.lan/ipp/print'\n",
                              std::filesystem::perms::owner_all)};
    EXPECT_TRUE(app::printPrivately("%PDF-1.4 form", job, &problem)) << problem.toStdString();
    EXPECT_TRUE(std::filesystem::exists(out));
}

TEST_F(AppPolicyTest, CupsKeepsJobFilesUnlessToldNot)
{
    // M5: `lp` copies the form into /var/spool/cups, kept a day after printing by default.
    EXPECT_TRUE(app::cupsKeepsJobFiles(QString()));
    EXPECT_TRUE(app::cupsKeepsJobFiles(QStringLiteral("# PreserveJobFiles No\nPreserveJobFiles 86400\n")));
    EXPECT_FALSE(app::cupsKeepsJobFiles(QStringLiteral("LogLevel warn\nPreserveJobFiles No\n")));
}

} // namespace
} // namespace zaitaku::testing
