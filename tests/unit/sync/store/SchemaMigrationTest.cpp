// Forward-only migrations, tested from every past schema version: a store left at version v (with
// the records that version could hold) opens, migrates to the latest, keeps its records, and ends
// with exactly the schema of a store created today.

#include "support/StoreFixture.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/CipherKey.h"
#include "sync/sql/Transaction.h"
#include "sync/store/KeyFile.h"
#include "sync/store/Schema.h"

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;
namespace sql = sync::sql;

std::string schemaOf(sql::Database& db)
{
    auto stmt = db.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                           "ORDER BY type, name");
    std::string out;
    while (stmt && stmt->step().value_or(false)) {
        out += stmt->text(0) + " " + stmt->text(1) + ": " + stmt->text(2) + "\n";
    }
    return out;
}

class SchemaMigrationTest : public ::testing::TestWithParam<int>
{};

TEST_P(SchemaMigrationTest, MigratesFromThisVersionKeepingRecords)
{
    const int from = GetParam();
    const auto dir = makeTempDir("zaitaku-migrate");
    base::ManualClock clock(base::Timestamp::parse("2026-11-21T10:00:00+09:00").value());
    base::SeededRandom random(1);

    // Today's schema, for comparison.
    InitOptions options;
    options.scrypt = fastScrypt();
    auto fresh = initStore((dir / "fresh.db").string(), kTestPassphrase, options, random, clock);
    ASSERT_TRUE(fresh);
    const std::string latestSchema = schemaOf(fresh->store.db());

    // A store written by the build that knew only `from`.
    const std::string path = (dir / "old.db").string();
    const base::SecureBytes key = makeDataKey(random);
    {
        auto db = sql::Database::open(sql::sqlcipherApi(), path, sql::OpenMode::ReadWriteCreate);
        ASSERT_TRUE(db);
        ASSERT_TRUE(sql::keyConnection(*db, key));
        ASSERT_TRUE(db->exec("PRAGMA journal_mode = WAL", "test"));
        ASSERT_TRUE(migrate(*db, from));
        ASSERT_EQ(db->queryInt("PRAGMA user_version").value_or(-1), from);
        ASSERT_TRUE(
            db->exec("INSERT INTO store_meta VALUES ('sentinel', 'zaitaku-store'), ('store_id', 'old-store');"
                     "INSERT INTO patient (id, name, name_kana, birthdate, insurer_number, insured_symbol, "
                     "insured_number, insured_branch, updated_at) VALUES ('p-1', 'n', 'ナ', '1950-01-01', "
                     "'39131015', '', '1', '00', '2025-01-01T00:00:00+00:00');"
                     "INSERT INTO visit (id, patient_id, service_kind, flow, state, scheduled_for, staff_id, "
                     "device_id) VALUES ('v-1', 'p-1', 'houmon_shinryo', 'first_visit', 'completed', "
                     "'2025-01-01', 's', 'd');"
                     "INSERT INTO outbox (idem_key, kind, record_id, payload, payload_sha256, state, created_at) "
                     "VALUES ('v-1', 'visit', 'v-1', '{}', 'h', 'queued', '2025-01-01T00:00:00+00:00');",
                     "fixture"));
        auto tx = sql::Transaction::begin(*db, sql::Durability::Full);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(sql::AuditLog::append(*db, sql::AuditEntry{"s", "visit.commit", "v-1", {}}, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }

    auto opened = Store::open(path, key, "old-store", clock);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(opened->db().queryInt("PRAGMA user_version").value_or(-1), latestSchemaVersion());
    EXPECT_EQ(schemaOf(opened->db()), latestSchema);
    EXPECT_EQ(opened->db().queryInt("SELECT count(*) FROM visit").value_or(0), 1);
    EXPECT_EQ(opened->db().queryInt("SELECT count(*) FROM outbox").value_or(0), 1);
    EXPECT_EQ(opened->db().queryText("PRAGMA integrity_check").value_or(""), "ok");
    auto audit = sql::AuditLog::verify(opened->db());
    ASSERT_TRUE(audit);
    EXPECT_TRUE(audit->ok());
    std::filesystem::remove_all(dir);
}

// Every version a store could have been left at (1 … latest - 1; 0 is a new store).
INSTANTIATE_TEST_SUITE_P(EveryPastVersion,
                         SchemaMigrationTest,
                         ::testing::Range(1, latestSchemaVersion()),
                         [](const auto& param) { return "FromVersion" + std::to_string(param.param); });

TEST(SchemaTest, VersionsAreConsecutiveFromOne)
{
    int expected = 1;
    for (const auto& m : migrations()) {
        EXPECT_EQ(m.version, expected++);
        EXPECT_FALSE(m.summary.empty());
    }
}

} // namespace
} // namespace zaitaku::testing
