// Roster import: all or nothing, every error names the entry and the field.

#include "sync/store/PatientRoster.h"

#include "support/StoreFixture.h"

namespace zaitaku::testing
{
namespace
{

using sync::Errc;
using namespace sync::store;

TEST_F(StoreTest, RosterImportWritesPatientsAndCareInOneEvent)
{
    const std::string file = R"([
      {"id":"p-001","name":"山田 太郎","name_kana":"ヤマダ タロウ","birthdate":"1948-04-02",
       "insurer_number":"39131015","insured_symbol":"","insured_number":"12345678","insured_branch":"00",
       "local_mrn":"MRN-1","care":{"service_kind":"houmon_kango","continuing":true}},
      {"id":"p-002","name":"佐藤 花子","name_kana":"ｻﾄｳ ﾊﾅｺ","birthdate":"1952-11-30",
       "insurer_number":"138057","insured_symbol":"世田谷","insured_number":"0047","insured_branch":""}
    ])";
    auto result = PatientRoster::import(*store, file, "clerk-1");
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->inserted, 2u);
    EXPECT_EQ(result->careRelationships, 1u);
    auto p = PatientRoster::find(store->db(), "p-002");
    ASSERT_TRUE(p && *p);
    EXPECT_EQ((*p)->insured.symbol, "世田谷");
    EXPECT_EQ((*p)->birthdate.toString(), "1952-11-30");
    auto care = PatientRoster::careOf(store->db(), "p-001");
    ASSERT_TRUE(care);
    ASSERT_EQ(care->size(), 1u);
    EXPECT_EQ((*care)[0].id, "p-001:houmon_kango");
    EXPECT_EQ(
        store->db().queryText("SELECT actor || ' ' || action FROM audit_log ORDER BY seq DESC LIMIT 1").value_or(""),
        "clerk-1 roster.import");

    // Importing again updates instead of duplicating.
    auto again = PatientRoster::import(*store, file, "clerk-1");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->inserted, 0u);
    EXPECT_EQ(again->updated, 2u);
    EXPECT_EQ(count("patient"), 2);
}

struct BadRoster
{
    const char* name;
    std::string json;
    std::string field;
};

class RosterValidationTest : public StoreTest, public ::testing::WithParamInterface<BadRoster>
{};

std::string entry(const std::string& replaceKey, const std::string& replacement)
{
    std::string e = R"({"id":"p-1","name":"山田 太郎","name_kana":"ヤマダ タロウ","birthdate":"1948-04-02",)"
                    R"("insurer_number":"39131015","insured_symbol":"","insured_number":"1","insured_branch":"00"})";
    if (!replaceKey.empty()) {
        const auto at = e.find("\"" + replaceKey + "\"");
        const auto end = e.find_first_of(",}", e.find(':', at));
        e = e.substr(0, at) + replacement + e.substr(end);
    }
    return e;
}

TEST_P(RosterValidationTest, RefusesTheFileAndWritesNothing)
{
    const auto auditBefore = count("audit_log");
    auto result = PatientRoster::import(*store, GetParam().json, "clerk-1");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::InvalidInput);
    EXPECT_EQ(result.error().field, GetParam().field) << result.error().message;
    EXPECT_EQ(count("patient"), 0);
    EXPECT_EQ(count("audit_log"), auditBefore);
}

INSTANTIATE_TEST_SUITE_P(
    Roster,
    RosterValidationTest,
    ::testing::Values(
        BadRoster{"NotJson", "[{", ""},
        BadRoster{"NotAnArray", "{}", ""},
        BadRoster{"UnknownKey", "[" + entry("", "").substr(0, entry("", "").size() - 1) + R"(,"mynumber":"1"}])",
                  "[0].mynumber"},
        BadRoster{"MissingKana", "[" + entry("name_kana", R"("local_mrn":"1")") + "]", "[0].name_kana"},
        BadRoster{"BadBirthdate", "[" + entry("birthdate", R"("birthdate":"1948-02-30")") + "]", "[0].birthdate"},
        BadRoster{"BirthdateNotString", "[" + entry("birthdate", R"("birthdate":19480402)") + "]", "[0].birthdate"},
        BadRoster{"KanjiInKana", "[" + entry("name_kana", R"("name_kana":"山田")") + "]", "[0].name_kana"},
        BadRoster{"InsurerLength", "[" + entry("insurer_number", R"("insurer_number":"1234567")") + "]",
                  "[0].insurer_number"},
        BadRoster{"BranchLetters", "[" + entry("insured_branch", R"("insured_branch":"AB")") + "]",
                  "[0].insured_branch"},
        BadRoster{"BadId", "[" + entry("id", R"("id":"p 1")") + "]", "[0].id"},
        BadRoster{"SecondEntryBad", "[" + entry("", "") + "," + entry("name", R"("name":"","id":"p-2")") + "]",
                  "[1].name"},
        BadRoster{"DuplicateId", "[" + entry("", "") + "," + entry("", "") + "]", "[1].id"},
        BadRoster{"BadCareKind", "[" + entry("id", R"("id":"p-1","care":{"service_kind":"spa"})") + "]",
                  "[0].care.service_kind"}),
    [](const auto& param) { return std::string(param.param.name); });

} // namespace
} // namespace zaitaku::testing
