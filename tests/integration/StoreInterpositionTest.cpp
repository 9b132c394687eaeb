// The hazard of docs/design/STORAGE-SYNC-STYLE.md §1.6, reproduced on purpose: this binary also loads OpenCV
// imgcodecs (→ GDAL → stock libsqlite3) and Qt's QSQLITE plugin (→ stock libsqlite3). If stock
// SQLite served the store, PRAGMA key would be ignored and the file written in plaintext. The
// static, symbol-hidden SQLCipher must serve the store while stock SQLite serves everybody else.

#include "support/StoreFixture.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>
#include <dlfcn.h>
#include <fstream>
#include <iterator>
#include <link.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;

bool libraryMapped(const std::string& needle)
{
    struct Search
    {
        std::string needle;
        bool found = false;
    } search{needle};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            auto* s = static_cast<Search*>(data);
            if (info->dlpi_name != nullptr && std::string(info->dlpi_name).find(s->needle) != std::string::npos) {
                s->found = true;
            }
            return 0;
        },
        &search);
    return search.found;
}

TEST(StoreInterpositionTest, StockSqliteInTheProcessDoesNotServeTheStore)
{
    // 1. Qt's QSQLITE plugin is loaded and answers with stock SQLite 3.40.
    {
        QSqlDatabase qt = QSqlDatabase::addDatabase("QSQLITE", "probe");
        qt.setDatabaseName(":memory:");
        ASSERT_TRUE(qt.open());
        QSqlQuery q(qt);
        ASSERT_TRUE(q.exec("select sqlite_version()"));
        ASSERT_TRUE(q.next());
        EXPECT_EQ(q.value(0).toString().left(4).toStdString(), "3.40");
    }
    // 2. OpenCV imgcodecs is loaded and used (GDAL, and through it libsqlite3, come with it).
    std::vector<std::uint8_t> png;
    ASSERT_TRUE(cv::imencode(".png", cv::Mat(8, 8, CV_8UC1, cv::Scalar(128)), png));
    EXPECT_TRUE(libraryMapped("libsqlite3.so.0"));
    EXPECT_TRUE(libraryMapped("libgdal"));
    // 3. This executable exports no SQLCipher symbol for anyone to bind to.
    EXPECT_EQ(dlsym(RTLD_DEFAULT, "sqlite3_key"), nullptr);
    EXPECT_EQ(dlsym(RTLD_DEFAULT, "sqlite3_rekey"), nullptr);
    Dl_info where{};
    void* open = dlsym(RTLD_DEFAULT, "sqlite3_open_v2");
    ASSERT_NE(open, nullptr);
    ASSERT_NE(dladdr(open, &where), 0);
    EXPECT_NE(std::string(where.dli_fname).find("libsqlite3"), std::string::npos) << where.dli_fname;

    // 4. The store, written in this very process, is encrypted.
    const auto dir = makeTempDir("zaitaku-interpose");
    const std::string path = (dir / "store.db").string();
    base::ManualClock clock(base::Timestamp::parse("2026-11-21T10:00:00+09:00").value());
    base::SeededRandom random(3);
    InitOptions options;
    options.scrypt = fastScrypt();
    {
        auto created = initStore(path, kTestPassphrase, options, random, clock);
        ASSERT_TRUE(created) << created.error().message;
        EXPECT_EQ(created->store.cipherVersion().rfind("4.6", 0), 0u);
        ASSERT_TRUE(PatientRoster::import(created->store, rosterJson("KNOWN-SECRET-4242"), "operator"));
    }
    const std::string bytes = readAll(path);
    ASSERT_GT(bytes.size(), 0u);
    EXPECT_NE(bytes.substr(0, 15), "SQLite format 3");
    EXPECT_EQ(bytes.find("KNOWN-SECRET-4242"), std::string::npos);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace zaitaku::testing

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
