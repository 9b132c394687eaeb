// The SQL layer on its own: a one-row lookup binds its parameters in order and tells "no row"
// from an error.

#include "sync/sql/Database.h"

#include "support/TempDir.h"
#include "sync/sql/CipherKey.h"
#include "sync/sql/SqliteApi.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace zaitaku::sync::sql
{
namespace
{

TEST(DatabaseTest, QueryRowBindsInOrderAndTellsNoRowFromAnError)
{
    auto dir = testing::makeTempDir("zaitaku-sql");
    auto db = Database::open(sqlcipherApi(), (dir / "t.db").string(), OpenMode::ReadWriteCreate);
    ASSERT_TRUE(db) << db.error().message;
    base::SecureBytes key(32);
    std::fill(key.data(), key.data() + key.size(), std::uint8_t{7});
    ASSERT_TRUE(keyConnection(*db, key));
    ASSERT_TRUE(db->exec("CREATE TABLE t (a TEXT, b INTEGER); INSERT INTO t VALUES ('x', 1), ('y', 2)", "test"));

    auto found = db->queryRow("SELECT a, b FROM t WHERE b = ?1 AND a = ?2", 2, std::string("y"));
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->text(0), "y");
    EXPECT_EQ((*found)->integer(1), 2);

    auto none = db->queryRow("SELECT a FROM t WHERE b = ?1 AND a = ?2", 1, std::string("y"));
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_FALSE(none->has_value());

    auto broken = db->queryRow("SELECT a FROM no_such_table WHERE b = ?1", 1);
    EXPECT_FALSE(broken) << "a failing query is an error, never \"no row\"";
}

} // namespace
} // namespace zaitaku::sync::sql
