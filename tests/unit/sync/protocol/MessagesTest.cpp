// The protocol's schema checks: every refusal names the field, limits hold, and what one end
// writes the other end parses back unchanged.

#include "sync/protocol/Messages.h"

#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/WireLimits.h"

#include <gtest/gtest.h>

namespace zaitaku::sync::protocol
{
namespace
{

base::Timestamp at(const char* text)
{
    return base::Timestamp::parse(text).value();
}

TEST(MessagesTest, RecordsRequestRoundTrips)
{
    RecordsRequest request;
    request.deviceTime = at("2026-11-21T10:00:00+09:00");
    request.records.push_back(
        {"k1", "visit", "v1", R"({"a":1})", std::string(64, 'a'), at("2026-11-21T09:00:00+09:00")});
    auto parsed = parseRecordsRequest(dump(toJson(request)));
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->records.size(), 1U);
    EXPECT_EQ(parsed->records[0].payload, R"({"a":1})");
    EXPECT_EQ(parsed->records[0].idemKey, "k1");
    EXPECT_EQ(parsed->deviceTime, request.deviceTime);
}

TEST(MessagesTest, SchemaErrorsNameTheField)
{
    struct Case
    {
        const char* body;
        const char* field;
    };
    const Case cases[] = {
        {R"({"records":[]})", "device_time"},
        {R"({"device_time":"2026-11-21T10:00:00+09:00","records":[]})", "records"},
        {R"({"device_time":"yesterday","records":[]})", "device_time"},
        {R"({"device_time":"2026-11-21T10:00:00+09:00","records":[{"idempotency_key":"k","kind":"visit","record_id":"r","payload":"{}","payload_sha256":"zz","created_at":"2026-11-21T10:00:00+09:00"}]})",
         "records[0].payload_sha256"},
        {R"({"device_time":"2026-11-21T10:00:00+09:00","records":[{"idempotency_key":7}]})",
         "records[0].idempotency_key"},
        {R"({"device_time":"2026-11-21T10:00:00+09:00","records":"x"})", "records"},
        {R"({"device_time":"2026-11-21T10:00:00+09:00","records":[],"extra":1})", "extra"},
    };
    for (const auto& c : cases) {
        auto parsed = parseRecordsRequest(c.body);
        ASSERT_FALSE(parsed) << c.body;
        EXPECT_EQ(parsed.error().code, Errc::ProtocolViolation);
        EXPECT_EQ(parsed.error().field, c.field) << c.body << " → " << parsed.error().message;
    }
}

TEST(MessagesTest, MalformedAndOversizedBodiesAreRefused)
{
    EXPECT_EQ(parseChallengeRequest("{").error().code, Errc::ProtocolViolation);
    EXPECT_EQ(parseChallengeRequest("[1]").error().code, Errc::ProtocolViolation);
    EXPECT_EQ(parseChallengeRequest(R"({"count":0})").error().field, "count");
    EXPECT_EQ(parseChallengeRequest(R"({"count":100000})").error().field, "count");
    EXPECT_EQ(parseChallengeRequest(std::string(kMaxBodyBytes + 1, ' ')).error().code, Errc::ProtocolViolation);
    std::string many = R"({"date":"2026-11-21","patients":[)";
    for (std::size_t i = 0; i <= kMaxPrecheckPatients; ++i) {
        many += (i ? ",\"p" : "\"p") + std::to_string(i) + "\"";
    }
    many += "]}";
    EXPECT_EQ(parsePrecheckRequest(many).error().field, "patients");
}

TEST(MessagesTest, HexIsAcceptedInEitherCaseAndReturnedLowerCase)
{
    EnrollRequest request{"CODE", "-----BEGIN CERTIFICATE REQUEST-----", std::string(64, 'A'), "tablet", "1"};
    auto parsed = parseEnrollRequest(dump(toJson(request)));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->signingKeyHex, std::string(64, 'a'));
}

TEST(MessagesTest, AnEnrollmentLabelCannotCarryTerminalEscapes)
{
    // Security review L6: `devices list` printed the tablet-chosen label raw to the operator.
    EnrollRequest request{"CODE", "-----BEGIN CERTIFICATE REQUEST-----", std::string(64, 'a'),
                          "\x1b]0;owned\a\x1b[2Jdevices: none", "1"};
    auto parsed = parseEnrollRequest(dump(toJson(request)));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().field, "label");
    request.label = "ステーション3のタブレット";
    EXPECT_TRUE(parseEnrollRequest(dump(toJson(request)))) << "any printable text, Japanese included";
}

TEST(MessagesTest, ResponsesRoundTrip)
{
    RecordsResponse response;
    response.epoch = "e1";
    response.serverTime = at("2026-11-21T10:00:00+09:00");
    response.skewSeconds = -42;
    RecordResult r;
    r.idemKey = "k";
    r.status = RecordStatus::Rejected;
    r.code = "signature_invalid";
    r.reason = "bad";
    r.field = "evidence[0].bundle.signature";
    r.flags = {"local_challenge"};
    response.results.push_back(r);
    auto parsed = parseRecordsResponse(dump(toJson(response)));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->skewSeconds, -42);
    EXPECT_EQ(parsed->results[0].status, RecordStatus::Rejected);
    EXPECT_EQ(parsed->results[0].field, "evidence[0].bundle.signature");
    EXPECT_EQ(parsed->results[0].flags, std::vector<std::string>{"local_challenge"});

    FeedPage page;
    page.epoch = "e1";
    page.items.push_back({3, "eligibility_result", "p1", at("2026-11-21T10:00:00+09:00"), {{"x", 1}}});
    page.next = 3;
    page.more = true;
    auto feed = parseFeedPage(dump(toJson(page)));
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->items[0].body["x"], 1);
    EXPECT_TRUE(feed->more);
}

// Pre-check entries and re-query answers carry the result as a typed snapshot (architecture
// step 2): what the gateway writes the tablet reads back field for field; a result that does not
// parse makes the message malformed, naming the field inside it.
TEST(MessagesTest, ResultsTravelTypedAndAMalformedOneNamesItsField)
{
    model::EligibilitySnapshot s;
    s.id = "s1";
    s.patientId = "p1";
    s.segmentOfResult = model::SegmentOfResult::Normal;
    s.processingResultStatus = model::ProcessingResultStatus::Normal;
    s.qualificationValidity = model::QualificationValidity::Valid;
    s.name = "在宅 花子";
    s.birthdate = base::Date::parse("1956-12-10").value();
    PrecheckResponse precheck;
    precheck.serverTime = at("2026-11-21T10:00:00+09:00");
    precheck.patients.push_back({"p1", s, at("2026-11-20T10:00:00+09:00"), {"copay_change_70"}});
    precheck.patients.push_back({"p2", std::nullopt, std::nullopt, {"no_result"}});
    auto parsed = parsePrecheckResponse(dump(toJson(precheck)));
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_TRUE(parsed->patients[0].snapshot);
    EXPECT_EQ(parsed->patients[0].snapshot->name, "在宅 花子");
    EXPECT_EQ(parsed->patients[0].snapshot->birthdate, s.birthdate);
    EXPECT_EQ(parsed->patients[0].snapshot->qualificationValidity, model::QualificationValidity::Valid);
    EXPECT_FALSE(parsed->patients[1].snapshot);

    auto bad = toJson(precheck);
    bad["patients"][0]["snapshot"]["qualification_validity"] = "not a code";
    auto refused = parsePrecheckResponse(dump(bad));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "patients[0].snapshot.qualification_validity") << refused.error().message;

    RequeryResponse requery;
    requery.allowed = true;
    requery.reason = "continuing_care";
    requery.cardReadNeeded = false;
    requery.snapshot = s;
    requery.receivedAt = at("2026-11-21T10:00:00+09:00");
    auto answer = parseRequeryResponse(dump(toJson(requery)));
    ASSERT_TRUE(answer) << answer.error().message;
    ASSERT_TRUE(answer->snapshot);
    EXPECT_EQ(answer->snapshot->id, "s1");
    auto badAnswer = toJson(requery);
    badAnswer["snapshot"]["birthdate"] = "1956-13-40";
    auto refusedAnswer = parseRequeryResponse(dump(badAnswer));
    ASSERT_FALSE(refusedAnswer);
    EXPECT_EQ(refusedAnswer.error().field, "snapshot.birthdate") << refusedAnswer.error().message;
}

TEST(EnrollmentCodeTest, FormatsAndParsesForgivingly)
{
    base::SeededRandom random(7);
    auto code = EnrollmentCode::generate(random, "0123456789abcdef");
    const std::string text = code.toString();
    EXPECT_EQ(text.size(), 16U + 3 + 1 + 16);
    auto typed = EnrollmentCode::parse(" " + text.substr(0, 4) + text.substr(5));
    ASSERT_TRUE(typed) << typed.error().message;
    EXPECT_EQ(typed->secret, code.secret);
    std::string lower = text;
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    EXPECT_EQ(EnrollmentCode::parse(lower)->secret, code.secret);
    EXPECT_EQ(EnrollmentCode::parse("ABCD-EFGH").error().field, "code");
    EXPECT_FALSE(EnrollmentCode::parse("IIII-IIII-IIII-IIII-0123456789abcdef")); // I is not Crockford
    EXPECT_FALSE(EnrollmentCode::parse("AAAA-AAAA-AAAA-AAAA-0123456789abcdeg"));
    EXPECT_EQ(EnrollmentCode::parseSecret(text.substr(0, 19)).value(), code.secret);
    EXPECT_FALSE(EnrollmentCode::parseSecret(text)); // the fingerprint is not sent
    EXPECT_FALSE(EnrollmentCode::parseSecret("0000-0000-0000-000U"));
}

} // namespace
} // namespace zaitaku::sync::protocol
