// The OQS bridge trusts nothing in the terminal's folders (issue 21, item 11): a result that is a
// symbolic link is never followed, requests and the bridge's own folders are the owner's alone.

#include "base/AtomicFile.h"
#include "base/Clock.h"
#include "base/Random.h"
#include "sync/oqs/OqsBridge.h"

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::sync::oqs
{
namespace
{

namespace fs = std::filesystem;

unsigned modeOf(const fs::path& path)
{
    struct stat st
    {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

TEST(OqsBridgeFilesTest, AResultThatIsASymlinkIsRefusedAndRequestsAreTheOwnersAlone)
{
    const fs::path root = fs::temp_directory_path() / ("zaitaku-bridge-" + std::to_string(::getpid()));
    fs::remove_all(root);
    for (const char* sub : {"req", "res"}) {
        fs::create_directories(root / sub);
    }
    base::SeededRandom random(7);
    base::SystemClock clock;
    BridgeConfig config{root / "req", root / "res", root / "state", "1312345678"};
    config.pollFirst = std::chrono::milliseconds(5);
    auto bridge = OqsBridge::open(config, random, clock);
    ASSERT_TRUE(bridge) << bridge.error().message;
    for (const char* sub : {"", "work", "pending", "archive"}) {
        EXPECT_EQ(modeOf(root / "state" / sub), 0700U) << sub;
    }

    auto ticket = (*bridge)->submit(Interface::Qualification, "<request/>", nlohmann::json::object());
    ASSERT_TRUE(ticket) << ticket.error().message;
    EXPECT_EQ(modeOf(root / "req" / ticket->fileName), 0600U);

    // A well-formed result, but outside res/, reached only through a link planted in res/.
    const fs::path elsewhere = root / "elsewhere.xml";
    fs::copy_file(fs::path(ZAITAKU_SOURCE_DIR) / "tests/data/oqs/single-kouki-sjis.xml", elsewhere);
    const auto name = fileNameOf(Interface::Qualification, false, parseFileName(ticket->fileName)->id);
    fs::create_symlink(elsewhere, root / "res" / name);
    auto result = (*bridge)->await(*ticket, std::chrono::milliseconds(300));
    ASSERT_FALSE(result) << "the bridge followed a symbolic link out of res/";
    EXPECT_NE(result.error().message.find("symbolic link"), std::string::npos) << result.error().message;
    EXPECT_TRUE(fs::exists(elsewhere));
    fs::remove_all(root);
}

TEST(OqsBridgeFilesTest, TheArchiveKeepsItsDaysForTheRetentionWindowOnly)
{
    // Security review L9: archive/YYYYMMDD kept every request and result (names, insurer numbers)
    // in clear for ever.
    const fs::path root = fs::temp_directory_path() / ("zaitaku-archive-" + std::to_string(::getpid()));
    fs::remove_all(root);
    for (const char* sub : {"req", "res"}) {
        fs::create_directories(root / sub);
    }
    base::SeededRandom random(7);
    base::ManualClock clock(base::Timestamp::parse("2026-12-06T10:00:00+09:00").value());
    auto bridge =
        OqsBridge::open(BridgeConfig{root / "req", root / "res", root / "state", "1312345678"}, random, clock);
    ASSERT_TRUE(bridge) << bridge.error().message;
    const fs::path archive = root / "state" / "archive";
    for (const char* day : {"20250101", "20260906", "20260907", "20261205", "notes"}) {
        fs::create_directories(archive / day);
        ASSERT_TRUE(base::writeFileAtomically((archive / day / "OQSsiquc01_x.xml").string(), "<x/>", 0600));
    }
    fs::create_directory_symlink(root / "req", archive / "20240101"); // never followed out of archive/
    EXPECT_EQ((*bridge)->purgeArchive(90), (std::vector<std::string>{"20250101", "20260906"}));
    EXPECT_FALSE(fs::exists(archive / "20260906"));
    EXPECT_TRUE(fs::exists(archive / "20260907")) << "90 days back is still kept";
    EXPECT_TRUE(fs::exists(archive / "20261205"));
    EXPECT_TRUE(fs::exists(archive / "notes")) << "not a day folder of ours";
    EXPECT_TRUE(fs::exists(root / "req")) << "a link is not followed";
    fs::remove_all(root);
}

} // namespace
} // namespace zaitaku::sync::oqs
