// Files written and read next to the store and by the OQS bridge (issue 21, items 6 and 11):
// a planted symlink never redirects a write, a link or a FIFO is refused when reading.

#include "base/AtomicFile.h"

#include "tests/support/TempDir.h"

#include <filesystem>
#include <future>
#include <sys/stat.h>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test
{
protected:
    void SetUp() override { dir = makeTempDir("zaitaku-atomic"); }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

TEST_F(AtomicFileTest, APlantedSymlinkAtTheTemporaryNameIsNotWrittenThrough)
{
    const auto victim = (dir / "victim").string();
    ASSERT_TRUE(base::writeFileAtomically(victim, "untouched", 0600));
    const auto target = (dir / "key.json").string();
    fs::create_symlink(victim, target + ".tmp");
    ASSERT_TRUE(base::writeFileAtomically(target, "new content", 0600));
    EXPECT_EQ(base::readSmallFile(victim, 100).value(), "untouched");
    EXPECT_EQ(base::readSmallFile(target, 100).value(), "new content");
    struct stat st
    {};
    ASSERT_EQ(::stat(target.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
}

TEST_F(AtomicFileTest, ReadingRefusesLinksWhenAskedAndFifosAlways)
{
    const auto real = (dir / "result.xml").string();
    ASSERT_TRUE(base::writeFileAtomically(real, "<x/>", 0600));
    const auto link = (dir / "link.xml").string();
    fs::create_symlink(real, link);
    EXPECT_TRUE(base::readSmallFile(link, 100, base::Links::Follow));
    auto refused = base::readSmallFile(link, 100, base::Links::Refuse);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("symbolic link"), std::string::npos) << refused.error().message;

    // A FIFO with no writer would block open() or read() forever; it is refused at once.
    const auto fifo = (dir / "fifo.xml").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto reading = std::async(std::launch::async, [&] { return base::readSmallFile(fifo, 100); });
    ASSERT_EQ(reading.wait_for(std::chrono::seconds(5)), std::future_status::ready) << "blocked on a FIFO";
    auto result = reading.get();
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("not a regular file"), std::string::npos) << result.error().message;
    EXPECT_FALSE(base::readSmallFile(dir.string(), 100)) << "a directory";
}

} // namespace
} // namespace zaitaku::testing
