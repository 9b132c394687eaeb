// The record-intake and wire-parser fuzz targets under ASan/UBSan on every CI run: deterministic
// edit scripts against the genuine payload and mutated wire messages (issue 34).

#include "GatewayHandleFuzz.h"
#include "RecordIntakeFuzz.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace zaitaku::fuzz
{
namespace
{

std::vector<std::uint8_t> bytesOf(const std::string& text)
{
    return {text.begin(), text.end()};
}

TEST(RecordIntakeCorpus, TheGenuineRecordIsAcceptedAndEveryEditIsRefusedByName)
{
    EXPECT_TRUE(runRecordIntake(nullptr, 0).accepted) << "the untouched payload is a valid record";
    std::mt19937 rng(20261206);
    std::size_t accepted = 0;
    const int kRounds = 20000;
    for (int i = 0; i < kRounds; ++i) {
        std::vector<std::uint8_t> script(2 + rng() % 24);
        for (auto& b : script) {
            b = static_cast<std::uint8_t>(rng());
        }
        accepted += runRecordIntake(script.data(), script.size()).accepted ? 1 : 0; // aborts on a broken invariant
    }
    // Harmless edits exist (a string changed in a free-text field), but most edits are refused.
    EXPECT_LT(accepted, static_cast<std::size_t>(kRounds) / 2) << accepted;
}

TEST(RecordIntakeCorpus, WireParsersNameWhatTheyRefuse)
{
    const std::vector<std::string> seeds{
        R"({"device_time":"2026-12-06T10:00:00+09:00","records":[{"idempotency_key":"k","kind":"visit","record_id":"v","payload":"{}","payload_sha256":"00","created_at":"2026-12-06T10:00:00+09:00"}]})",
        R"({"date":"2026-12-06","patients":["p-1","p-2"]})",
        R"({"patient_id":"p-1","service_kind":"houmon_shinryo","date":"2026-12-06"})",
        R"({"items":[{"seq":1,"kind":"eligibility_result","patient_id":"p-1","at":"2026-12-06T10:00:00+09:00","body":{}}],"next_after":1,"more":false,"epoch":"e"})",
        R"({"state":"done","kind":"precheck","result":{}})",
        R"({"patient_id":"p-1","service_kind":"houmon_shinryo","staff_id":"nurse-7"})",
        R"({"allowed":true,"reason":"available","reason_ja":"","items":[{"kind":"pharm","fetched_at":"2026-12-06T10:00:00+09:00","view_until":"2026-12-07T10:00:00+09:00","basis":"continuing_care","checkups":null,"medication":{"subject":{"name":"a","kana_name":"b","sex_code":"2","birthdate":"1955-06-15"},"events":[{"source":"dispensing","date":"2026-12-01","prescribed_date":null,"month":"202612","facility_code":"f","facility_name":"F","prescriber_code":"p","prescriber_name":"P","organization":"","issuing_org":"","in_out":"","drugs":[{"code":"c","name":"n","ingredient":"i","quantity":"1","unit":"錠","usage":"u","special_instruction":"","times":"28","usage_class":""}]}]}}]})",
        R"({"code":"rejected","error":"x","field":"records[0].payload"})",
        "listen = 127.0.0.1:8443",
        "ABCD-EFGH-JKLM-NPQR-0123456789abcdef",
    };
    std::mt19937 rng(34);
    const std::vector<std::string> fragments{"{", "}", "[", "]", "\"", ",", ":", "null", "1e999", "\\u0000", "\xFF"};
    for (int i = 0; i < 20000; ++i) {
        std::string input = seeds[rng() % seeds.size()];
        for (int e = 0, edits = 1 + static_cast<int>(rng() % 3); e < edits && !input.empty(); ++e) {
            const std::size_t at = rng() % input.size();
            switch (rng() % 3) {
            case 0:
                input[at] = static_cast<char>(input[at] ^ (1u << (rng() % 8)));
                break;
            case 1:
                input.insert(at, fragments[rng() % fragments.size()]);
                break;
            default:
                input.erase(at, 1 + rng() % 8);
                break;
            }
        }
        const auto bytes = bytesOf(input);
        runWireParsers(bytes.data(), bytes.size()); // aborts on an error without a message
    }
    SUCCEED();
}

TEST(RecordIntakeCorpus, TheHandlerAnswersEveryRouteWithoutA5xxAndTheAuditHolds)
{
    // GatewayService::handle as an enrolled tablet's session presents requests: 5,000 inputs.
    std::mt19937 rng(5000);
    int stored = 0;
    for (int i = 0; i < 5000; ++i) {
        std::vector<std::uint8_t> input(1 + rng() % 40);
        for (auto& b : input) {
            b = static_cast<std::uint8_t>(rng());
        }
        if (i % 10 == 0) {
            input.resize(1); // an untouched genuine visit now and then
            input[0] = 0;
        }
        stored += runGatewayHandle(input.data(), input.size()).stored ? 1 : 0; // aborts on a broken invariant
    }
    EXPECT_GE(stored, 500) << "every tenth input is the genuine visit, stored";
    EXPECT_TRUE(gatewayAuditVerifies());
}

} // namespace
} // namespace zaitaku::fuzz
